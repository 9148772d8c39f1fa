import { randomUUID } from 'node:crypto';
import { text } from 'express';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import { INPUT_LIMITS, inspectValue, scanJsonText } from '@netdesk/core';

/**
 * The HTTP edge, in front of every route: a request id, then bodies read and checked before Nest's
 * pipes see them. JSON is scanned for depth and key count in one linear pass before it is parsed, and
 * the parsed value is walked for prototype keys, NUL characters and lone surrogates; query strings and
 * text bodies (imports) are checked for the same characters. Every rejection is a 4xx in Nest's error
 * shape naming the problem.
 */
export const JSON_BODY_LIMIT = '1mb';
export const TEXT_BODY_LIMIT = '20mb';
const JSON_TYPES = ['application/json', 'application/*+json'];
const REQUEST_ID = /^[\w.:-]{1,64}$/;

function reject(res: Response, status: number, messages: string[]): void {
  const error = status === 413 ? 'Payload Too Large' : status === 415 ? 'Unsupported Media Type' : 'Bad Request';
  res.status(status).json({ statusCode: status, error, message: messages });
}

/** Takes the caller's `X-Request-Id` when it is a plain token, otherwise makes one; echoed in the response. */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  (req as Request & { id?: string }).id = id;
  res.setHeader('X-Request-Id', id);
  next();
};

/** The query string and the path must not carry NUL characters or malformed Unicode either. */
export const checkUrl: RequestHandler = (req, res, next) => {
  if (/%00/.test(req.url.split('?')[0])) return reject(res, 400, ['the path must not contain NUL characters']);
  let query: unknown;
  try {
    query = req.query;
  } catch {
    return reject(res, 400, ['the query string is malformed']);
  }
  const problems = inspectValue(query, 'query');
  if (problems.length) return reject(res, 400, problems);
  next();
};

/** JSON bodies arrive as text (size-limited), are scanned, then parsed without a reviver. */
export const readJson: RequestHandler[] = [
  text({ type: JSON_TYPES, limit: JSON_BODY_LIMIT }),
  (req: Request, res: Response, next: NextFunction) => {
    if (!req.is(JSON_TYPES) || typeof req.body !== 'string') return next();
    const raw = req.body;
    if (raw.trim() === '') {
      req.body = undefined;
      return next();
    }
    const tooBig = scanJsonText(raw, INPUT_LIMITS);
    if (tooBig) return reject(res, 400, [tooBig]);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return reject(res, 400, [`body is not valid JSON: ${(e as Error).message.slice(0, 200)}`]);
    }
    const problems = inspectValue(body, '', INPUT_LIMITS);
    if (problems.length) return reject(res, 400, problems);
    req.body = body;
    next();
  },
];

/** Text bodies (inventory files): the size limit, and no NUL characters (PostgreSQL cannot store them). */
export function readText(types: string[]): RequestHandler[] {
  return [
    text({ type: types, limit: TEXT_BODY_LIMIT }),
    (req: Request, res: Response, next: NextFunction) => {
      if (typeof req.body !== 'string' || !req.is(types)) return next();
      const at = req.body.indexOf('\u0000');
      if (at >= 0) {
        const line = req.body.slice(0, at).split('\n').length;
        return reject(res, 400, [`line ${line}: the file must not contain NUL characters`]);
      }
      next();
    },
  ];
}

/**
 * A body no reader took (form data, `text/plain`, no Content-Type, ...) would reach the routes as if
 * there were none: a 415 naming what is accepted instead.
 */
export const unreadBody: RequestHandler = (req, res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && req.body === undefined && !req.readableEnded) {
    const type = req.headers['content-type'] ?? 'none';
    return reject(res, 415, [
      `Content-Type ${type.slice(0, 100)} is not accepted: send application/json (inventory files to /api/devices/import as YAML or CSV)`,
    ]);
  }
  next();
};

/** Errors of the body readers (too large, bad charset, aborted) in Nest's error shape instead of HTML. */
export const bodyErrors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  const e = err as { status?: number; statusCode?: number; type?: string; limit?: number; message?: string };
  const status = e.status ?? e.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return next(err);
  if (e.type === 'entity.too.large') return reject(res, 413, [`body is larger than the limit of ${e.limit} bytes`]);
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
    return reject(res, 415, [String(e.message)]);
  return reject(res, status, [`the body could not be read: ${String(e.message).slice(0, 200)}`]);
};
