import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, SystemClock } from '@netdesk/core';
import { MetricsService } from '@netdesk/observability';
import { DeliveryAdmission } from './delivery-admission';
import { DeliveryDispatcher } from './delivery-dispatcher';
import type { DeliveryOutcome } from './delivery-outcome';
import { DeliveryOutcomes } from './delivery-outcomes';
import { DeliveryQueue } from './delivery-queue';
import { NOTIFICATION_OPTIONS, notificationOptions } from './notification-options';
import type { NotificationOptions } from './notification-options';
import { NOTIFICATION_TRANSPORTS } from './notification-transports';
import type { NotificationTransport } from './notification-transports';
import type { NotificationMessage, NotificationResultHandler, NotifyTargetInput } from './notification.types';
import { describeTarget, safeOrigin, toDeliverable } from './notify-target';
import type { NotificationChannel } from './notify-target';
import { SlidingWindowRateLimiter } from './rate-limiter';

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

/**
 * Delivers ticket notifications by email, generic webhook and Slack, in the background.
 *
 * `notify` never throws and never waits: it checks the per-ticket rate limit, queues one delivery per
 * target and returns (`DeliveryAdmission`). Deliveries run at most `concurrency` at a time, retry transient
 * failures with exponential backoff and jitter, honouring `Retry-After` (`DeliveryQueue`), go out through
 * the injected transports (`DeliveryDispatcher`), and report each target's outcome once through
 * `onResult` (`DeliveryOutcomes`), which ticketing turns into a `notified` timeline event.
 */
@Injectable()
export class NotificationService implements OnModuleDestroy {
  private readonly logger = new Logger('notifications');
  private readonly options: NotificationOptions;
  private readonly clock: Clock;
  private readonly limiter: SlidingWindowRateLimiter;
  /** `smtp://host:port` of NETDESK_SMTP_URL without its credentials, for display. */
  private readonly smtpServer?: string;
  private readonly smtpFrom: string;
  private readonly outcomes: DeliveryOutcomes;
  private readonly dispatcher: DeliveryDispatcher;
  private readonly queue: DeliveryQueue;
  private readonly admission: DeliveryAdmission;
  /** Aborted when shutdown starts: no new work, no more retries. */
  private readonly stopping = new AbortController();
  /** Aborted when the shutdown grace period is over: requests still in flight are cut. */
  private readonly abandon = new AbortController();

  constructor(
    config: NetdeskConfig,
    metrics: MetricsService,
    @Inject(NOTIFICATION_TRANSPORTS) transports: NotificationTransport[],
    @Optional() clock?: Clock,
    @Optional() @Inject(NOTIFICATION_OPTIONS) options?: Partial<NotificationOptions>,
  ) {
    this.options = notificationOptions(options);
    this.clock = clock ?? new SystemClock();
    this.limiter = new SlidingWindowRateLimiter(this.options.rateLimit.perTicket, this.options.rateLimit.windowMs);
    this.smtpServer = config.smtpUrl ? safeOrigin(config.smtpUrl) : undefined;
    this.smtpFrom = config.smtpFrom;
    this.outcomes = new DeliveryOutcomes(metrics.registry, this.clock, this.logger);
    this.dispatcher = new DeliveryDispatcher(transports, this.options.timeoutMs, this.clock, this.abandon.signal);
    this.queue = new DeliveryQueue(this.options, this.dispatcher, this.outcomes, this.stopping.signal);
    this.admission = new DeliveryAdmission(
      this.options,
      this.limiter,
      this.queue,
      this.outcomes,
      () => this.dispatcher.emailConfigured,
      this.clock,
      this.logger,
      this.stopping.signal,
    );
  }

  /** Whether `email:` targets can be delivered (NETDESK_SMTP_URL is set). */
  get emailConfigured(): boolean {
    return this.dispatcher.emailConfigured;
  }

  /** Deliveries queued, sending, or waiting to retry. */
  get pending(): number {
    return this.queue.pending;
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
      this.admission.accept(message, targets, onResult);
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
    if (target.kind === 'email' && !this.emailConfigured) {
      this.outcomes.count('email', 'not_configured');
      return result({ ok: false, retryable: false, error: 'email is not configured (set NETDESK_SMTP_URL)' }, 0);
    }
    if (this.stopping.signal.aborted) return result({ ok: false, retryable: false, error: 'shutting down' }, 0);
    if (!this.limiter.tryAcquire(`test:${requestedBy}`, started.getTime())) {
      this.outcomes.count(target.kind, 'rate_limited');
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
    const delivery = { id: randomUUID(), message, target, description, onResult: () => undefined, attempts: 1 };
    const outcome = await this.dispatcher.send(delivery).catch((err): DeliveryOutcome => {
      this.logger.error({ err, target: description }, 'notification transport threw');
      return { ok: false, retryable: false, error: 'internal error' };
    });
    this.outcomes.count(target.kind, outcome.ok ? 'sent' : 'failed');
    if (outcome.ok) this.logger.log({ target: description, requestedBy }, 'test notification sent');
    else this.logger.warn({ target: description, requestedBy, error: outcome.error }, 'test notification failed');
    return result(outcome, 1);
  }

  /** Where notifications go out today, for the settings screen: never a credential. */
  channels(): NotificationChannels {
    return {
      email: {
        configured: this.emailConfigured,
        server: this.smtpServer ?? null,
        from: this.smtpFrom,
      },
      webhook: { configured: true },
    };
  }

  async onModuleDestroy(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    // Deliveries waiting to retry are released by the abort above and report themselves.
    const inFlight = await this.queue.drain();
    if (inFlight > 0) {
      this.logger.warn({ inFlight }, 'shutdown: abandoning notifications still in flight');
      this.abandon.abort();
    }
    this.dispatcher.close();
  }
}
