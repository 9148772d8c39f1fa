/** What one delivery attempt came to. Error texts are log-safe: they never contain a webhook's URL. */
export type DeliveryOutcome =
  | { ok: true }
  | {
      ok: false;
      /** Whether another attempt may succeed (network error, timeout, 5xx, 429, transient SMTP reply). */
      retryable: boolean;
      error: string;
      /** The receiver's `Retry-After`, when it sent one. */
      retryAfterMs?: number;
    };
