import type { EventBus } from './event-bus';

/**
 * Runs a batch job until it says it is done, one run at a time; a `kick` while a run is under way folds
 * into one more run afterwards, so a burst of wake-ups costs at most two runs. For consumers that catch
 * up with a table (status history → tickets, → episodes) whenever something may have changed.
 */
export class CoalescingRunner {
  private running: Promise<void> = Promise.resolve();
  private busy = false;
  private again = false;
  private timer?: NodeJS.Timeout;
  private unsubscribe: (() => void)[] = [];

  /** `step` does one batch and resolves true when there may be more right away. */
  constructor(
    private readonly step: () => Promise<boolean>,
    private readonly onError: (err: unknown) => void,
  ) {}

  kick(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return this.running;
    }
    this.busy = true;
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (await this.step());
        } while (this.again);
      } catch (err) {
        this.onError(err);
      } finally {
        this.busy = false;
      }
    })();
    return this.running;
  }

  /** Runs now, on every event of `topics`, and every `intervalMs` as a safety net, until `stop()`. */
  start(bus: EventBus, topics: readonly string[], intervalMs: number): void {
    this.unsubscribe = topics.map((topic) => bus.subscribe(topic, () => void this.kick()));
    this.timer = setInterval(() => void this.kick(), intervalMs);
    this.timer.unref();
    void this.kick();
  }

  /** No more wake-ups; resolves when the run under way is over. */
  async stop(): Promise<void> {
    this.unsubscribe.forEach((off) => off());
    this.unsubscribe = [];
    clearInterval(this.timer);
    await this.running;
  }

  /** Resolves when the current run (if any) is over. */
  idle(): Promise<void> {
    return this.running;
  }
}
