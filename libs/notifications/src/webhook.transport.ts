import { Injectable } from '@nestjs/common';
import { isRetryableStatus, parseRetryAfterMs } from './retry-policy';
import type { DeliveryOutcome } from './delivery-outcome';

export interface WebhookRequest {
  url: string;
  body: unknown;
  /** Same for every attempt of one delivery, so receivers can drop duplicates. */
  deliveryId: string;
  timeoutMs: number;
  /** Aborts the attempt early (shutdown). */
  signal?: AbortSignal;
  now: Date;
}

/** Delivers `webhook:` and `slack:` targets (the body is already in the target's shape). */
export interface WebhookTransport {
  readonly kind: 'webhook';
  readonly configured: boolean;
  send(request: WebhookRequest): Promise<DeliveryOutcome>;
}

const USER_AGENT = 'NetDesk-Notifications/1';

/**
 * POSTs JSON with `fetch`. Redirects are not followed (a redirect could carry the payload to another
 * host); the response body is discarded. Errors name the cause, never the URL.
 */
@Injectable()
export class FetchWebhookTransport implements WebhookTransport {
  readonly kind = 'webhook';
  readonly configured = true;

  async send(request: WebhookRequest): Promise<DeliveryOutcome> {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'x-netdesk-delivery': request.deliveryId,
        },
        body: JSON.stringify(request.body),
        redirect: 'manual',
        signal,
      });
    } catch (e) {
      if (timeout.aborted) return { ok: false, retryable: true, error: `timeout after ${request.timeoutMs} ms` };
      if (request.signal?.aborted) return { ok: false, retryable: false, error: 'aborted: shutting down' };
      return { ok: false, retryable: true, error: `network error: ${networkCause(e)}` };
    }
    // Free the connection; the body is never needed and could be large.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    const retryable = isRetryableStatus(response.status);
    const retryAfterMs = retryable ? parseRetryAfterMs(response.headers.get('retry-after'), request.now) : undefined;
    const redirect = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    return {
      ok: false,
      retryable,
      error: `HTTP ${response.status}${redirect}`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`, … from undici's `fetch failed` error, without addresses or URLs. */
function networkCause(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; name?: unknown } })?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.name === 'string') return cause.name;
  return (e as { name?: string })?.name ?? 'unknown';
}
