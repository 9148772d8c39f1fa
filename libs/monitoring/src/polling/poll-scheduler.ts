import { planNextPoll } from '../domain';
import type { Clock } from '@netdesk/core';
import type { DeviceEntry } from './device-entry';
import { DueQueue } from './due-queue';
import type { PollEngineConfig } from './poll-engine.config';
import type { DevicePollReport } from './poll-engine.types';

/**
 * When each device is polled: a due queue of every device's next poll, gathered into ICMP rounds on a
 * fixed grid of the clock (`roundGapMs`), with triggered polls and rechecks sent at once and the quick
 * re-probes of silent devices in rounds of their own. A poll's result plans the next one.
 */
export class PollScheduler {
  private readonly queue = new DueQueue();
  private pending: string[] = [];
  /** Due quick re-probes of silent devices: rounds of their own, not queued behind the big ones. */
  private pendingQuick: string[] = [];
  private timer?: NodeJS.Timeout;
  /** One-shot timer for the earliest recheck, so confirmations do not wait for the next tick. */
  private wake?: { at: number; timer: NodeJS.Timeout };
  private roundsInFlight = 0;
  private quickRoundsInFlight = 0;
  /** The round-gap window (now / roundGapMs) of the last regular round. */
  private lastRoundWindow = -1;
  /** Pending devices that should not wait for the round gap (triggered, rechecks). */
  private urgentPending = 0;
  private readonly rounds = new Set<Promise<void>>();
  private stopped = true;

  constructor(
    private readonly deps: {
      clock: Clock;
      config: PollEngineConfig;
      /** The watched device of that id, if it still is. */
      entry: (id: string) => DeviceEntry | undefined;
      /** Polls a batch of devices (due, marked in flight); `quick`: re-probes of silent devices. */
      runRound: (ids: string[], quick: boolean) => Promise<void>;
      onRound?: (round: { devices: number; durationMs: number }) => void;
    },
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.deps.config.tickMs);
    this.timer.unref?.();
  }

  /** Stops scheduling and waits for the rounds under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake.timer);
    this.wake = undefined;
    await Promise.allSettled([...this.rounds]);
  }

  stats(): { roundsInFlight: number; pendingDevices: number } {
    return {
      roundsInFlight: this.roundsInFlight + this.quickRoundsInFlight,
      pendingDevices: this.pending.length + this.pendingQuick.length,
    };
  }

  schedule(e: DeviceEntry, at: number, kind: DevicePollReport['kind']): void {
    e.next = { at, kind };
    this.queue.schedule(e.device.id, at);
  }

  remove(deviceId: string): void {
    this.queue.remove(deviceId);
  }

  /** Polls a device now; coalesced into one more poll if a poll is already under way. */
  trigger(e: DeviceEntry): void {
    if (e.inFlight) e.triggered = true;
    else this.schedule(e, this.deps.clock.now().getTime(), 'triggered');
  }

  /** One scheduling step; the timer calls it, tests and the benchmark may call it directly. */
  tick(): void {
    const { config } = this.deps;
    const now = this.deps.clock.now().getTime();
    for (const { id } of this.queue.popDue(now)) {
      const entry = this.deps.entry(id);
      if (entry && !entry.inFlight) {
        entry.inFlight = true;
        if (entry.next.kind === 'recheck' && entry.silent) this.pendingQuick.push(id);
        else {
          this.pending.push(id);
          if (entry.next.kind !== 'scheduled') this.urgentPending++;
        }
      }
    }
    while (this.pendingQuick.length && this.quickRoundsInFlight < config.maxRoundsInFlight) {
      this.quickRoundsInFlight++;
      this.startRound(this.pendingQuick.splice(0, config.maxRoundSize), true);
    }
    // Rounds on a fixed grid of the clock: a device's wait for its round is then the same every interval,
    // so its polls stay exactly one interval apart (a cut just after a poll is not found any later).
    const window = Math.floor(now / Math.max(1, config.roundGapMs));
    const gathered =
      this.urgentPending > 0 || this.pending.length >= config.maxRoundSize || window !== this.lastRoundWindow;
    if (!gathered) return;
    while (this.pending.length && this.roundsInFlight < config.maxRoundsInFlight) {
      this.roundsInFlight++;
      this.lastRoundWindow = window;
      this.startRound(this.pending.splice(0, config.maxRoundSize), false);
    }
    if (!this.pending.length) this.urgentPending = 0;
  }

  /** A poll is over: plans the next one (a recheck, a triggered poll, or the regular slot). */
  finish(e: DeviceEntry, needsRecheck: boolean): void {
    e.inFlight = false;
    if (!this.deps.entry(e.device.id)) return;
    const now = this.deps.clock.now();
    if (e.triggered) {
      e.triggered = false;
      this.schedule(e, now.getTime(), 'triggered');
      return;
    }
    // An out-of-schedule poll (first look, trap, recheck) leaves the regular slot where it was.
    const slotAhead = e.lastDueAt.getTime() > now.getTime();
    const plan =
      slotAhead && !needsRecheck
        ? { at: e.lastDueAt, kind: 'scheduled' as const }
        : planNextPoll({
            lastDueAt: e.lastDueAt,
            intervalSec: e.device.pollIntervalSec,
            now,
            needsRecheck,
            // spaced from the start of the last poll: a poll that took longer than the spacing is followed at once
            recheckSpacingMs: Math.max(0, e.startedAt + this.deps.config.recheckSpacingMs - now.getTime()),
          });
    if (plan.kind === 'scheduled') e.lastDueAt = plan.at;
    this.schedule(e, plan.at.getTime(), plan.kind);
    if (plan.kind === 'recheck') this.wakeAt(plan.at.getTime());
  }

  private startRound(batch: string[], quick: boolean): void {
    const started = Date.now();
    const round = this.deps.runRound(batch, quick).finally(() => {
      this.deps.onRound?.({ devices: batch.length, durationMs: Date.now() - started });
      if (quick) this.quickRoundsInFlight--;
      else this.roundsInFlight--;
      this.rounds.delete(round);
    });
    this.rounds.add(round);
  }

  /** Runs a tick at `at` rather than at the next regular one (only while started: tests tick by hand). */
  private wakeAt(at: number): void {
    if (this.stopped || (this.wake && this.wake.at <= at)) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(
      () => {
        this.wake = undefined;
        if (!this.stopped) this.tick();
      },
      Math.max(0, at - this.deps.clock.now().getTime()),
    );
    timer.unref?.();
    this.wake = { at, timer };
  }
}
