import { DEFAULT_RETRY_POLICY } from './retry-policy';
import type { RetryPolicy } from './retry-policy';

export interface NotificationOptions {
  retry: RetryPolicy;
  /** Per attempt: webhook request, SMTP connection and greeting. */
  timeoutMs: number;
  /** At most `perTicket` notify calls per ticket in any `windowMs`; beyond, targets report `rate limited`. */
  rateLimit: { perTicket: number; windowMs: number };
  /** Deliveries in flight at once (waiting between retries does not count). */
  concurrency: number;
  /** Deliveries waiting for a slot; beyond this new ones are dropped (counted and logged). */
  maxQueued: number;
  /** How long shutdown waits for deliveries in flight before abandoning them. */
  shutdownGraceMs: number;
  /** [0, 1); the backoff jitter. */
  random: () => number;
  /** Waits between attempts; must reject when `signal` aborts (shutdown). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const NOTIFICATION_OPTIONS = Symbol('NOTIFICATION_OPTIONS');

export const DEFAULT_NOTIFICATION_OPTIONS: NotificationOptions = {
  retry: DEFAULT_RETRY_POLICY,
  timeoutMs: 5000,
  rateLimit: { perTicket: 10, windowMs: 10 * 60_000 },
  concurrency: 8,
  maxQueued: 1000,
  shutdownGraceMs: 3000,
  random: Math.random,
  sleep: abortableSleep,
};

/** The defaults with what a `NOTIFICATION_OPTIONS` provider (or a test) overrides. */
export function notificationOptions(options?: Partial<NotificationOptions>): NotificationOptions {
  return {
    ...DEFAULT_NOTIFICATION_OPTIONS,
    ...options,
    retry: { ...DEFAULT_RETRY_POLICY, ...options?.retry },
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
