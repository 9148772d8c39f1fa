import { AddressInfo } from 'node:net';
import { io, Socket } from 'socket.io-client';
import type { TestApp } from '../support/test-app';

/** A live-feed client that records every event it receives, in order. */
export interface LiveTestClient {
  socket: Socket;
  events: { event: string; data: unknown }[];
  /** Events of one name so far. */
  of<T = Record<string, unknown>>(event: string): T[];
  /** Resolves with the `n`-th event of that name (1-based), waiting up to `timeoutMs`. */
  next<T = Record<string, unknown>>(event: string, n?: number, timeoutMs?: number): Promise<T>;
  /** Waits until `predicate` holds over the events received so far. */
  until(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): void;
}

export async function listen(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer();
  if (!server.listening) await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Connects to `/live`; resolves once connected (rejects with the connect_error). */
export function connectLive(
  baseUrl: string,
  auth: Record<string, unknown>,
  options: { query?: Record<string, string> } = {},
): Promise<LiveTestClient> {
  const socket = io(`${baseUrl}/live`, {
    auth,
    query: options.query,
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  const events: LiveTestClient['events'] = [];
  socket.onAny((event: string, data: unknown) => events.push({ event, data }));
  const until: LiveTestClient['until'] = (predicate, timeoutMs = 5000, what = 'condition') =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (predicate()) return resolve();
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
        setTimeout(check, 10);
      };
      check();
    });
  const of = <T>(event: string) => events.filter((e) => e.event === event).map((e) => e.data as T);
  const client: LiveTestClient = {
    socket,
    events,
    of,
    next: async <T>(event: string, n = 1, timeoutMs = 5000) => {
      await until(() => of(event).length >= n, timeoutMs, `${event} #${n}`);
      return of<T>(event)[n - 1];
    },
    until,
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}
