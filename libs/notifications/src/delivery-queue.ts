import { Logger } from '@nestjs/common';
import type { DeliveryOutcome } from './delivery-outcome';
import type { Delivery, DeliveryDispatcher } from './delivery-dispatcher';
import type { DeliveryOutcomes } from './delivery-outcomes';
import type { NotificationOptions } from './notification-options';
import { decideRetry } from './retry-policy';

/**
 * Accepted deliveries: at most `concurrency` in flight, the rest waiting in order; a transient failure
 * waits its backoff (honouring `Retry-After`) and goes back to the front of the queue. Sending starts on a
 * later turn of the event loop, never inside the caller's `notify`.
 */
export class DeliveryQueue {
  private pumpScheduled = false;
  private readonly logger = new Logger('notifications');
  private readonly queue: Delivery[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly waiting = new Set<Delivery>();

  constructor(
    private readonly options: NotificationOptions,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly outcomes: DeliveryOutcomes,
    /** Aborted when shutdown starts: no more retries. */
    private readonly stopping: AbortSignal,
  ) {}

  /** Deliveries queued, sending, or waiting to retry. */
  get pending(): number {
    return this.queue.length + this.running.size + this.waiting.size;
  }

  get full(): boolean {
    return this.queue.length >= this.options.maxQueued;
  }

  /** Queues a delivery; call `schedulePump` once the caller's deliveries are all in. */
  push(delivery: Delivery): void {
    this.queue.push(delivery);
  }

  /** Starts queued deliveries on a later turn of the event loop: `notify` itself does no sending work. */
  schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Shutdown (after `stopping` aborted): what is queued is reported as not sent (waiting retries report
   * themselves), then up to `shutdownGraceMs` for the deliveries in flight. Resolves how many are left.
   */
  async drain(): Promise<number> {
    for (const delivery of this.queue.splice(0))
      this.outcomes.finish(delivery, false, 'not sent: shutting down', 'shutdown');
    if (this.running.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.shutdownGraceMs);
    });
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    clearTimeout(timer);
    return this.running.size;
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency && this.queue.length > 0) {
      const delivery = this.queue.shift() as Delivery;
      const run = this.attempt(delivery).catch((err) => {
        this.logger.error(
          { err, ticketId: delivery.message.ticketId, target: delivery.description },
          'notification delivery crashed',
        );
        this.outcomes.finish(delivery, false, 'internal error', 'failed');
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
    const outcome = await this.dispatcher.send(delivery).catch((err): DeliveryOutcome => {
      this.logger.error(
        { err, ticketId: delivery.message.ticketId, target: delivery.description },
        'notification transport threw',
      );
      return { ok: false, retryable: false, error: 'internal error' };
    });
    if (outcome.ok) {
      this.outcomes.finish(delivery, true);
      return;
    }
    delivery.lastError = outcome.error;
    const decision = decideRetry(delivery.attempts, outcome, this.options.retry, this.options.random);
    if (!decision.retry || this.stopping.aborted) {
      const error =
        decision.retry === false && decision.reason ? `${outcome.error} (${decision.reason})` : outcome.error;
      this.outcomes.finish(delivery, false, error, 'failed');
      return;
    }
    this.logger.debug(
      {
        ticketId: delivery.message.ticketId,
        target: delivery.description,
        attempt: delivery.attempts,
        error: outcome.error,
        delayMs: decision.delayMs,
      },
      'notification attempt failed, will retry',
    );
    this.retryLater(delivery, decision.delayMs);
  }

  private retryLater(delivery: Delivery, delayMs: number): void {
    this.waiting.add(delivery);
    const notRetried = () =>
      this.outcomes.finish(delivery, false, `${delivery.lastError}; not retried: shutting down`, 'shutdown');
    this.options.sleep(delayMs, this.stopping).then(
      () => {
        this.waiting.delete(delivery);
        if (this.stopping.aborted) return notRetried();
        // Already accepted: a retry goes to the front and is never dropped for a full queue.
        this.queue.unshift(delivery);
        this.pump();
      },
      () => {
        this.waiting.delete(delivery);
        notRetried();
      },
    );
  }
}
