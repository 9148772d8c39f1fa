import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { Counter } from 'prom-client';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, SystemClock } from '@netdesk/core';
import { MetricsService } from '@netdesk/observability';
import { SmtpEmailTransport } from './email.transport';
import type { EmailTransport } from './email.transport';
import type { DeliveryOutcome } from './delivery-outcome';
import { formatEmail, formatSlack, formatWebhook } from './notification-payloads';
import type {
  NotificationMessage,
  NotificationResult,
  NotificationResultHandler,
  NotifyTargetInput,
} from './notification.types';
import { describeTarget, InvalidNotifyTargetError, parseNotifyTarget, safeOrigin } from './notify-target';
import type { DeliverableTarget, NotificationChannel } from './notify-target';
import { SlidingWindowRateLimiter } from './rate-limiter';
import { decideRetry, DEFAULT_RETRY_POLICY } from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import { FetchWebhookTransport } from './webhook.transport';
import type { WebhookTransport } from './webhook.transport';

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
  /** Replace the real transports (tests). Email defaults to SMTP over NETDESK_SMTP_URL when set. */
  transports?: { email?: EmailTransport; webhook?: WebhookTransport };
}

export const NOTIFICATION_OPTIONS = Symbol('NOTIFICATION_OPTIONS');

/** What a test message came to. */
export interface NotificationTestResult {
  /** Log-safe: a webhook shows its scheme and host only. */
  target: string;
  channel: NotificationChannel;
  ok: boolean;
  /** 1 when it was sent, 0 when it could not be (email not configured, rate limited). */
  attempts: number;
  /** The transport's error: `SMTP 550 …`, `SMTP error: ESOCKET`, `HTTP 404`, `network error: ECONNREFUSED`. */
  error?: string;
  durationMs: number;
}

export interface NotificationChannels {
  email: { configured: boolean; server: string | null; from: string };
  webhook: { configured: boolean };
}

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

type MetricResult = 'sent' | 'failed' | 'rate_limited' | 'dropped' | 'invalid' | 'not_configured' | 'shutdown';

interface Delivery {
  readonly id: string;
  readonly message: NotificationMessage;
  readonly target: DeliverableTarget;
  readonly description: string;
  readonly onResult: NotificationResultHandler;
  attempts: number;
  lastError?: string;
}

/**
 * Delivers ticket notifications by email, generic webhook and Slack, in the background.
 *
 * `notify` never throws and never waits: it checks the per-ticket rate limit, queues one delivery per
 * target and returns. Deliveries run at most `concurrency` at a time, retry transient failures with
 * exponential backoff and jitter (honouring `Retry-After`), and report each target's outcome once
 * through `onResult`, which ticketing turns into a `notified` timeline event.
 */
@Injectable()
export class NotificationService implements OnModuleDestroy {
  private readonly logger = new Logger('notifications');
  private readonly options: NotificationOptions;
  private readonly clock: Clock;
  private readonly limiter: SlidingWindowRateLimiter;
  private readonly email?: EmailTransport;
  /** `smtp://host:port` of NETDESK_SMTP_URL without its credentials, for display. */
  private readonly smtpServer?: string;
  private readonly smtpFrom: string;
  private readonly webhook: WebhookTransport;
  private readonly total: Counter<'channel' | 'result'>;
  private readonly queue: Delivery[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly waiting = new Set<Delivery>();
  /** Aborted when shutdown starts: no new work, no more retries. */
  private readonly stopping = new AbortController();
  /** Aborted when the shutdown grace period is over: requests still in flight are cut. */
  private readonly abandon = new AbortController();
  private pumpScheduled = false;
  private droppedSinceLog = 0;
  private lastDropLogMs = -Infinity;

  constructor(
    config: NetdeskConfig,
    metrics: MetricsService,
    @Optional() clock?: Clock,
    @Optional() @Inject(NOTIFICATION_OPTIONS) options?: Partial<NotificationOptions>,
  ) {
    this.options = { ...DEFAULT_NOTIFICATION_OPTIONS, ...options };
    this.options.retry = { ...DEFAULT_RETRY_POLICY, ...options?.retry };
    this.clock = clock ?? new SystemClock();
    this.limiter = new SlidingWindowRateLimiter(this.options.rateLimit.perTicket, this.options.rateLimit.windowMs);
    this.email =
      this.options.transports?.email ??
      (config.smtpUrl ? new SmtpEmailTransport(config.smtpUrl, config.smtpFrom, this.options.timeoutMs) : undefined);
    this.webhook = this.options.transports?.webhook ?? new FetchWebhookTransport();
    this.smtpServer = config.smtpUrl ? safeOrigin(config.smtpUrl) : undefined;
    this.smtpFrom = config.smtpFrom;
    this.total = new Counter({
      name: 'netdesk_notifications_total',
      help: 'Notification targets by channel and outcome (sent, failed, rate_limited, dropped, invalid, not_configured, shutdown)',
      labelNames: ['channel', 'result'],
      registers: [metrics.registry],
    });
  }

  /** Whether `email:` targets can be delivered (NETDESK_SMTP_URL is set). */
  get emailConfigured(): boolean {
    return this.email !== undefined;
  }

  /** Deliveries queued, sending, or waiting to retry. */
  get pending(): number {
    return this.queue.length + this.running.size + this.waiting.size;
  }

  /**
   * Sends `message` to every target in the background and returns at once. `onResult` is called once
   * per target, asynchronously, never from inside this call. Never throws.
   */
  notify(
    message: NotificationMessage,
    targets: readonly NotifyTargetInput[],
    onResult: NotificationResultHandler,
  ): void {
    try {
      this.accept(message, targets, onResult);
    } catch (err) {
      this.logger.error({ err, ticketId: message?.ticketId }, 'notify failed unexpectedly');
    }
  }

  /**
   * Sends one test message to `input` now, through the real transport, once (no retries: the person who
   * asked waits for the answer), and says how it went. Throws `InvalidNotifyTargetError` for a target
   * that does not parse or is not deliverable (team:, user:); a delivery failure is a result, not a throw.
   */
  async sendTest(input: string, requestedBy: string): Promise<NotificationTestResult> {
    const target = toDeliverable(input);
    const description = describeTarget(target);
    const started = this.clock.now();
    const result = (outcome: DeliveryOutcome, attempts: number): NotificationTestResult => ({
      target: description,
      channel: target.kind,
      ok: outcome.ok,
      attempts,
      ...(outcome.ok ? {} : { error: outcome.error }),
      durationMs: Math.max(0, this.clock.now().getTime() - started.getTime()),
    });
    if (target.kind === 'email' && !this.email) {
      this.total.inc({ channel: 'email', result: 'not_configured' });
      return result({ ok: false, retryable: false, error: 'email is not configured (set NETDESK_SMTP_URL)' }, 0);
    }
    if (this.stopping.signal.aborted) return result({ ok: false, retryable: false, error: 'shutting down' }, 0);
    if (!this.limiter.tryAcquire(`test:${requestedBy}`, started.getTime())) {
      this.total.inc({ channel: target.kind, result: 'rate_limited' });
      return result({ ok: false, retryable: false, error: 'rate limited: too many tests; wait a few minutes' }, 0);
    }
    const message: NotificationMessage = {
      ticketId: 'test',
      ticketNumber: 'test',
      event: 'test',
      priority: 'P4',
      title: 'Test notification from NetDesk',
      text: `A test message, sent at ${started.toISOString()} by ${requestedBy} from the notification settings. Nothing needs doing.`,
    };
    const delivery: Delivery = {
      id: randomUUID(),
      message,
      target,
      description,
      onResult: () => undefined,
      attempts: 1,
    };
    const outcome = await this.send(delivery).catch((err): DeliveryOutcome => {
      this.logger.error({ err, target: description }, 'notification transport threw');
      return { ok: false, retryable: false, error: 'internal error' };
    });
    this.total.inc({ channel: target.kind, result: outcome.ok ? 'sent' : 'failed' });
    if (outcome.ok) this.logger.log({ target: description, requestedBy }, 'test notification sent');
    else this.logger.warn({ target: description, requestedBy, error: outcome.error }, 'test notification failed');
    return result(outcome, 1);
  }

  /** Where notifications go out today, for the settings screen: never a credential. */
  channels(): NotificationChannels {
    return {
      email: {
        configured: this.email !== undefined,
        server: this.smtpServer ?? null,
        from: this.smtpFrom,
      },
      webhook: { configured: true },
    };
  }

  async onModuleDestroy(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    for (const delivery of this.queue.splice(0)) this.finish(delivery, false, 'not sent: shutting down', 'shutdown');
    // Deliveries waiting to retry are released by the abort above and report themselves.
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.shutdownGraceMs);
      });
      await Promise.race([Promise.allSettled([...this.running]), grace]);
      clearTimeout(timer);
      if (this.running.size > 0) {
        this.logger.warn({ inFlight: this.running.size }, 'shutdown: abandoning notifications still in flight');
        this.abandon.abort();
      }
    }
    this.email?.close();
  }

  private accept(
    message: NotificationMessage,
    targets: readonly NotifyTargetInput[],
    onResult: NotificationResultHandler,
  ): void {
    if (targets.length === 0) return;
    const ticketId = message.ticketId;
    if (this.stopping.signal.aborted) {
      for (const input of targets)
        this.reportWithoutSending(input, onResult, 'not sent: shutting down', 'shutdown', ticketId);
      return;
    }
    if (!this.limiter.tryAcquire(ticketId, this.clock.now().getTime())) {
      this.logger.warn(
        {
          ticketId,
          targets: targets.length,
          limit: this.options.rateLimit.perTicket,
          windowMs: this.options.rateLimit.windowMs,
        },
        'notification rate limited',
      );
      for (const input of targets) this.reportWithoutSending(input, onResult, 'rate limited', 'rate_limited', ticketId);
      return;
    }
    for (const input of targets) {
      let target: DeliverableTarget;
      try {
        target = toDeliverable(input);
      } catch (e) {
        const error = e instanceof InvalidNotifyTargetError ? e.message : 'invalid notify target';
        this.logger.warn({ ticketId, error }, 'notification target rejected');
        this.report(
          onResult,
          { target: invalidDescription(input), channel: 'invalid', ok: false, attempts: 0, error },
          'invalid',
        );
        continue;
      }
      const description = describeTarget(target);
      if (target.kind === 'email' && !this.email) {
        this.report(
          onResult,
          { target: description, channel: 'email', ok: false, attempts: 0, error: 'email is not configured' },
          'not_configured',
        );
        continue;
      }
      if (this.queue.length >= this.options.maxQueued) {
        this.countDrop(ticketId);
        this.report(
          onResult,
          {
            target: description,
            channel: target.kind,
            ok: false,
            attempts: 0,
            error: 'dropped: notification queue full',
          },
          'dropped',
        );
        continue;
      }
      this.queue.push({ id: randomUUID(), message, target, description, onResult, attempts: 0 });
    }
    this.schedulePump();
  }

  /** Starts queued deliveries on a later turn of the event loop: `notify` itself does no sending work. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.queue.length > 0) {
      const delivery = this.queue.shift() as Delivery;
      const run = this.attempt(delivery).catch((err) => {
        this.logger.error(
          { err, ticketId: delivery.message.ticketId, target: delivery.description },
          'notification delivery crashed',
        );
        this.finish(delivery, false, 'internal error', 'failed');
      });
      this.running.add(run);
      void run.finally(() => {
        this.running.delete(run);
        this.pump();
      });
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.attempts += 1;
    const outcome = await this.send(delivery).catch((err): DeliveryOutcome => {
      this.logger.error(
        { err, ticketId: delivery.message.ticketId, target: delivery.description },
        'notification transport threw',
      );
      return { ok: false, retryable: false, error: 'internal error' };
    });
    const ticketId = delivery.message.ticketId;
    if (outcome.ok) {
      this.finish(delivery, true);
      return;
    }
    delivery.lastError = outcome.error;
    const decision = decideRetry(delivery.attempts, outcome, this.options.retry, this.options.random);
    if (!decision.retry || this.stopping.signal.aborted) {
      const error =
        decision.retry === false && decision.reason ? `${outcome.error} (${decision.reason})` : outcome.error;
      this.finish(delivery, false, error, 'failed');
      return;
    }
    this.logger.debug(
      {
        ticketId,
        target: delivery.description,
        attempt: delivery.attempts,
        error: outcome.error,
        delayMs: decision.delayMs,
      },
      'notification attempt failed, will retry',
    );
    this.waiting.add(delivery);
    this.options.sleep(decision.delayMs, this.stopping.signal).then(
      () => {
        this.waiting.delete(delivery);
        if (this.stopping.signal.aborted) {
          this.finish(delivery, false, `${delivery.lastError}; not retried: shutting down`, 'shutdown');
          return;
        }
        // Already accepted: a retry goes to the front and is never dropped for a full queue.
        this.queue.unshift(delivery);
        this.pump();
      },
      () => {
        this.waiting.delete(delivery);
        this.finish(delivery, false, `${delivery.lastError}; not retried: shutting down`, 'shutdown');
      },
    );
  }

  private send(delivery: Delivery): Promise<DeliveryOutcome> {
    const { target, message } = delivery;
    const now = this.clock.now();
    if (target.kind === 'email') {
      return (this.email as EmailTransport).send({
        to: target.address,
        content: formatEmail(message),
        deliveryId: delivery.id,
      });
    }
    const body = target.kind === 'slack' ? formatSlack(message) : formatWebhook(message, now);
    return this.webhook.post({
      url: target.url,
      body,
      deliveryId: delivery.id,
      timeoutMs: this.options.timeoutMs,
      signal: this.abandon.signal,
      now,
    });
  }

  private finish(delivery: Delivery, ok: boolean, error?: string, result: MetricResult = ok ? 'sent' : 'failed'): void {
    const fields = {
      ticketId: delivery.message.ticketId,
      event: delivery.message.event,
      target: delivery.description,
      channel: delivery.target.kind,
      attempts: delivery.attempts,
    };
    if (ok) this.logger.log(fields, 'notification sent');
    else this.logger.warn({ ...fields, error }, 'notification failed');
    this.report(
      delivery.onResult,
      {
        target: delivery.description,
        channel: delivery.target.kind,
        ok,
        attempts: delivery.attempts,
        ...(ok ? {} : { error }),
      },
      result,
    );
  }

  private reportWithoutSending(
    input: NotifyTargetInput,
    onResult: NotificationResultHandler,
    error: string,
    result: MetricResult,
    ticketId: string,
  ): void {
    let channel: NotificationResult['channel'] = 'invalid';
    let target = invalidDescription(input);
    try {
      const parsed = toDeliverable(input);
      channel = parsed.kind;
      target = describeTarget(parsed);
    } catch {
      // reported as an invalid target, with the same error as every other target of the call
    }
    this.logger.debug({ ticketId, target, error }, 'notification not sent');
    this.report(onResult, { target, channel, ok: false, attempts: 0, error }, result);
  }

  /** Counts the outcome and calls `onResult` later, isolating the caller from its errors. */
  private report(
    onResult: NotificationResultHandler,
    partial: Omit<NotificationResult, 'at'>,
    result: MetricResult,
  ): void {
    this.total.inc({ channel: partial.channel, result });
    const full: NotificationResult = { ...partial, at: this.clock.now() };
    queueMicrotask(() => {
      try {
        const returned = onResult(full);
        if (returned instanceof Promise) {
          returned.catch((err: unknown) =>
            this.logger.error({ err, target: full.target }, 'notification result handler failed'),
          );
        }
      } catch (err) {
        this.logger.error({ err, target: full.target }, 'notification result handler failed');
      }
    });
  }

  private countDrop(ticketId: string): void {
    this.droppedSinceLog += 1;
    const nowMs = this.clock.now().getTime();
    if (nowMs - this.lastDropLogMs < 10_000) return;
    this.logger.error(
      { ticketId, dropped: this.droppedSinceLog, maxQueued: this.options.maxQueued },
      'notification queue full: notifications dropped',
    );
    this.droppedSinceLog = 0;
    this.lastDropLogMs = nowMs;
  }
}

function toDeliverable(input: NotifyTargetInput): DeliverableTarget {
  const target = typeof input === 'string' ? parseNotifyTarget(input) : input;
  if (target.kind === 'team' || target.kind === 'user') {
    throw new InvalidNotifyTargetError(
      describeTarget(target),
      'must be resolved to email targets by the caller before notify',
    );
  }
  return target;
}

/** A log-safe label for an entry that did not parse: its kind prefix only. */
function invalidDescription(input: NotifyTargetInput): string {
  if (typeof input !== 'string') return describeTarget(input);
  const m = /^\s*(email|webhook|slack|team|user)\s*:/i.exec(input);
  if (!m) return 'invalid';
  const kind = m[1].toLowerCase();
  if (kind === 'team' || kind === 'user' || kind === 'email') return input.trim().slice(0, 120);
  return `${kind}:(invalid)`;
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
