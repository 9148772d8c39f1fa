import { randomUUID } from 'node:crypto';
import type { Logger } from '@nestjs/common';
import type { Clock } from '@netdesk/core';
import type { DeliveryOutcomes } from './delivery-outcomes';
import type { DeliveryQueue } from './delivery-queue';
import type { NotificationOptions } from './notification-options';
import type { NotificationMessage, NotificationResultHandler, NotifyTargetInput } from './notification.types';
import { describeTarget, InvalidNotifyTargetError, invalidTargetDescription, toDeliverable } from './notify-target';
import type { DeliverableTarget } from './notify-target';
import type { SlidingWindowRateLimiter } from './rate-limiter';

/**
 * Which targets of a `notify` call are queued: none while shutting down or when the ticket is over its
 * rate limit; of the others, those that parse, whose channel is configured, and that fit in the queue.
 * Every target left out is reported at once (asynchronously) with the reason.
 */
export class DeliveryAdmission {
  constructor(
    private readonly options: NotificationOptions,
    private readonly limiter: SlidingWindowRateLimiter,
    private readonly queue: DeliveryQueue,
    private readonly outcomes: DeliveryOutcomes,
    private readonly emailConfigured: () => boolean,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly stopping: AbortSignal,
  ) {}

  accept(
    message: NotificationMessage,
    targets: readonly NotifyTargetInput[],
    onResult: NotificationResultHandler,
  ): void {
    if (targets.length === 0) return;
    const ticketId = message.ticketId;
    if (this.stopping.aborted) {
      for (const input of targets)
        this.outcomes.reportWithoutSending(input, onResult, 'not sent: shutting down', 'shutdown', ticketId);
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
      for (const input of targets)
        this.outcomes.reportWithoutSending(input, onResult, 'rate limited', 'rate_limited', ticketId);
      return;
    }
    for (const input of targets) {
      let target: DeliverableTarget;
      try {
        target = toDeliverable(input);
      } catch (e) {
        const error = e instanceof InvalidNotifyTargetError ? e.message : 'invalid notify target';
        this.logger.warn({ ticketId, error }, 'notification target rejected');
        this.outcomes.report(
          onResult,
          { target: invalidTargetDescription(input), channel: 'invalid', ok: false, attempts: 0, error },
          'invalid',
        );
        continue;
      }
      const description = describeTarget(target);
      if (target.kind === 'email' && !this.emailConfigured()) {
        this.outcomes.report(
          onResult,
          { target: description, channel: 'email', ok: false, attempts: 0, error: 'email is not configured' },
          'not_configured',
        );
        continue;
      }
      if (this.queue.full) {
        this.outcomes.countDrop(ticketId, this.options.maxQueued);
        this.outcomes.report(
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
    this.queue.schedulePump();
  }
}
