import type { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Clock } from '@netdesk/core';
import type { Delivery } from './delivery-dispatcher';
import type { NotificationResult, NotificationResultHandler, NotifyTargetInput } from './notification.types';
import { describeTarget, invalidTargetDescription, toDeliverable } from './notify-target';
import type { NotificationChannel } from './notify-target';

export type MetricResult = 'sent' | 'failed' | 'rate_limited' | 'dropped' | 'invalid' | 'not_configured' | 'shutdown';

/**
 * Each target's outcome, reported once: counted in `netdesk_notifications_total`, logged, and handed to
 * the caller's `onResult` later (never from inside `notify`), isolating the caller from its errors.
 */
export class DeliveryOutcomes {
  private readonly total: Counter<'channel' | 'result'>;
  private droppedSinceLog = 0;
  private lastDropLogMs = -Infinity;

  constructor(
    registry: Registry,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.total = new Counter({
      name: 'netdesk_notifications_total',
      help: 'Notification targets by channel and outcome (sent, failed, rate_limited, dropped, invalid, not_configured, shutdown)',
      labelNames: ['channel', 'result'],
      registers: [registry],
    });
  }

  /** Counts an outcome that has no `onResult` (a test message). */
  count(channel: NotificationChannel | 'invalid', result: MetricResult): void {
    this.total.inc({ channel, result });
  }

  finish(delivery: Delivery, ok: boolean, error?: string, result: MetricResult = ok ? 'sent' : 'failed'): void {
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

  reportWithoutSending(
    input: NotifyTargetInput,
    onResult: NotificationResultHandler,
    error: string,
    result: MetricResult,
    ticketId: string,
  ): void {
    let channel: NotificationResult['channel'] = 'invalid';
    let target = invalidTargetDescription(input);
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
  report(onResult: NotificationResultHandler, partial: Omit<NotificationResult, 'at'>, result: MetricResult): void {
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

  /** A delivery dropped for a full queue: one error line per 10 s at most, with how many. */
  countDrop(ticketId: string, maxQueued: number): void {
    this.droppedSinceLog += 1;
    const nowMs = this.clock.now().getTime();
    if (nowMs - this.lastDropLogMs < 10_000) return;
    this.logger.error(
      { ticketId, dropped: this.droppedSinceLog, maxQueued },
      'notification queue full: notifications dropped',
    );
    this.droppedSinceLog = 0;
    this.lastDropLogMs = nowMs;
  }
}
