import { DeviceTopology, firstDueAt, pollLagMs } from '../domain';
import type { Clock } from '@netdesk/core';
import type { ProbeLogger } from '../probes';
import { silentProbeLogger } from '../probes';
import { DeviceEntry, newDeviceEntry } from './device-entry';
import { DEFAULT_POLL_ENGINE_CONFIG, PollEngineConfig } from './poll-engine.config';
import type { MonitoredDevice, PollSink } from './poll-engine.types';
import { PollEvaluator } from './poll-evaluator';
import { IcmpProber, RoundProber, SnmpPoller } from './poll-round';
import { PollScheduler } from './poll-scheduler';

export { DEFAULT_POLL_ENGINE_CONFIG } from './poll-engine.config';
export type { PollEngineConfig } from './poll-engine.config';
export type { IcmpProber, SnmpPoller } from './poll-round';

export interface PollEngineStats {
  devices: number;
  pollsCompleted: number;
  roundsInFlight: number;
  pendingDevices: number;
  commitFailures: number;
}

/**
 * The poller's core, free of Nest and the database: schedules every device on its own interval
 * (spread by a per-device offset), probes due devices in batched ICMP rounds with SNMP alongside,
 * runs the state machine with dependencies and flap detection, and hands durable changes to the sink
 * before acting on them. A failure or recovery is confirmed by re-probes at `recheckSpacingMs`,
 * not by waiting whole intervals. A device whose ancestor is failing but not yet confirmed waits
 * (a few rechecks) before it is declared down, so the root cause is found first.
 *
 * This class holds the watched devices and wires the parts: the scheduler (when), the round prober
 * (ICMP and SNMP), the evaluator (what it means, stored before believed) and the topology (who is behind whom).
 */
export class PollEngine {
  private readonly entries = new Map<string, DeviceEntry>();
  private readonly topology = new DeviceTopology();
  private readonly scheduler: PollScheduler;
  private readonly prober: RoundProber;
  private readonly evaluator: PollEvaluator;

  constructor(
    private readonly deps: {
      icmp: IcmpProber;
      snmp: SnmpPoller;
      sink: PollSink;
      clock: Clock;
      config?: Partial<PollEngineConfig>;
      logger?: ProbeLogger;
      onLag?: (lagMs: number, intervalSec: number) => void;
      onRound?: (round: { devices: number; durationMs: number }) => void;
    },
    private readonly config: PollEngineConfig = { ...DEFAULT_POLL_ENGINE_CONFIG, ...deps.config },
    private readonly log: ProbeLogger = deps.logger ?? silentProbeLogger,
  ) {
    const { clock } = deps;
    this.scheduler = new PollScheduler({
      clock,
      config,
      entry: (id) => this.entries.get(id),
      runRound: (ids, quick) => this.runRound(ids, quick),
      onRound: deps.onRound,
    });
    this.prober = new RoundProber({ icmp: deps.icmp, snmp: deps.snmp, clock, config, log });
    this.evaluator = new PollEvaluator({
      sink: deps.sink,
      clock,
      config,
      log,
      scheduler: this.scheduler,
      paths: {
        ancestorsOf: (e) => this.topology.ancestorIds(e.device.id).map((id) => this.entries.get(id)!),
        descendantsOf: (e) =>
          this.topology
            .descendantIds(e.device.id)
            .map((id) => this.entries.get(id))
            .filter((d): d is DeviceEntry => d !== undefined),
      },
    });
  }

  start(): void {
    this.scheduler.start();
  }

  /** Stops scheduling and waits for the polls under way (and their commits) to finish. */
  async stop(): Promise<void> {
    await this.scheduler.stop();
    await Promise.allSettled([...this.entries.values()].map((e) => e.commits));
  }

  stats(): PollEngineStats {
    return {
      devices: this.entries.size,
      pollsCompleted: this.evaluator.pollsCompleted,
      ...this.scheduler.stats(),
      commitFailures: this.evaluator.commitFailures,
    };
  }

  status(deviceId: string): MonitoredDevice['status'] | undefined {
    return this.entries.get(deviceId)?.device.status;
  }

  /** Adds a device or applies changes to one already watched. */
  upsert(device: MonitoredDevice): void {
    const now = this.deps.clock.now();
    const existing = this.entries.get(device.id);
    if (existing) {
      const { device: old } = existing;
      if (old.host !== device.host || JSON.stringify(old.snmp) !== JSON.stringify(device.snmp))
        this.deps.snmp.forget(device.id);
      existing.device = {
        ...device,
        status: old.status,
        statusSince: old.statusSince,
        statusReason: old.statusReason,
        flapping: old.flapping,
      };
      this.topology.set(device.id, device.parentId);
      if (old.pollIntervalSec !== device.pollIntervalSec && !existing.inFlight) {
        existing.lastDueAt = firstDueAt(device.id, device.pollIntervalSec, now);
        this.scheduler.schedule(existing, existing.lastDueAt.getTime(), 'scheduled');
      }
      return;
    }
    const entry = newDeviceEntry(device, now);
    this.entries.set(device.id, entry);
    this.topology.set(device.id, device.parentId);
    // A device never polled, or one that was failing when we stopped, is looked at at once.
    const soon = device.status === 'unknown' || device.status === 'down' || device.status === 'unreachable';
    this.scheduler.schedule(entry, soon ? now.getTime() : entry.lastDueAt.getTime(), soon ? 'triggered' : 'scheduled');
  }

  remove(deviceId: string): void {
    if (!this.entries.has(deviceId)) return;
    this.topology.delete(deviceId);
    this.entries.delete(deviceId);
    this.scheduler.remove(deviceId);
    this.deps.snmp.forget(deviceId);
  }

  /** Polls a device now (a trap arrived, an operator asked); coalesced if a poll is already under way. */
  pollNow(deviceId: string): boolean {
    const entry = this.entries.get(deviceId);
    if (!entry) return false;
    this.scheduler.trigger(entry);
    return true;
  }

  /** One scheduling step; the timer calls it, tests and the benchmark may call it directly. */
  tick(): void {
    this.scheduler.tick();
  }

  private async runRound(ids: string[], quick: boolean): Promise<void> {
    const startedAt = this.deps.clock.now();
    const entries = ids.map((id) => this.entries.get(id)).filter((e): e is DeviceEntry => e !== undefined);
    const plans = new Map(entries.map((e) => [e.device.id, { dueAt: new Date(e.next.at), kind: e.next.kind }]));
    for (const e of entries) {
      e.startedAt = startedAt.getTime();
      this.deps.onLag?.(pollLagMs(new Date(e.next.at), startedAt), e.device.pollIntervalSec);
    }
    const probes = await this.prober.probe(entries, quick);
    if (!probes) {
      entries.forEach((e) => this.scheduler.finish(e, true));
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const plan = plans.get(e.device.id)!;
        const ping = probes.ping(e.device.host);
        const snmp = (await probes.snmp(e.device.id)) ?? null;
        try {
          const needsRecheck = await this.evaluator.evaluate(e, plan, ping, snmp);
          this.scheduler.finish(e, needsRecheck);
        } catch (err) {
          this.log.warn({ err, deviceId: e.device.id }, 'poll evaluation failed');
          this.scheduler.finish(e, true);
        }
      }),
    );
  }
}
