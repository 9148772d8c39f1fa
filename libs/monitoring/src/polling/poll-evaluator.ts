import {
  detectReboot,
  downInterfaceLabels,
  evaluatePoll,
  Evaluation,
  evaluateThresholds,
  hasDownAncestor,
  hasSuspectAncestor,
  recordFlapState,
  reevaluateOnAncestorChange,
  ThresholdState,
} from '../domain';
import type { Clock } from '@netdesk/core';
import type { PingResult, ProbeLogger } from '../probes';
import type { DeviceEntry } from './device-entry';
import { errorsPerMinuteOf, readInterfaces, wanLinksOf } from './interface-readings';
import type { PollEngineConfig } from './poll-engine.config';
import type {
  DevicePollReport,
  InterfaceReading,
  MonitoredDevice,
  MonitoringChange,
  PollSink,
} from './poll-engine.types';
import type { SnmpOutcome } from './poll-round';
import type { PollScheduler } from './poll-scheduler';

/** Where a device sits: the watched devices above it (nearest first) and behind it. */
export interface DevicePaths {
  ancestorsOf(e: DeviceEntry): DeviceEntry[];
  descendantsOf(e: DeviceEntry): DeviceEntry[];
}

/**
 * Judges finished polls: runs the state machine with the path above the device (a `down` waits while
 * an ancestor is suspect), interfaces, reboots, flapping and thresholds, and hands the changes to the
 * sink before believing them. A change the sink could not store is rolled back, so the next poll finds
 * it again. A stored `down` or recovery re-judges the devices behind.
 */
export class PollEvaluator {
  pollsCompleted = 0;
  commitFailures = 0;

  constructor(
    private readonly deps: {
      sink: PollSink;
      clock: Clock;
      config: PollEngineConfig;
      log: ProbeLogger;
      paths: DevicePaths;
      scheduler: Pick<PollScheduler, 'schedule' | 'trigger'>;
    },
  ) {}

  /** Evaluates one finished poll; resolves with whether the device needs a quick re-probe. */
  async evaluate(
    e: DeviceEntry,
    plan: { dueAt: Date; kind: DevicePollReport['kind'] },
    ping: PingResult | null,
    snmp: SnmpOutcome | null,
  ): Promise<boolean> {
    const { config, log } = this.deps;
    const now = this.deps.clock.now();
    const changes: MonitoringChange[] = [];
    const previousInterfaces = e.interfaces;
    const previousUptime = e.uptime;
    const sampledAt = snmp?.systemAt ?? now;
    let readings: InterfaceReading[] | null = null;
    if (snmp?.interfaces) {
      const walk = readInterfaces(
        e.interfaces,
        snmp.interfaces,
        { uptimeTicks: snmp.system?.sysUpTimeTicks ?? null, at: sampledAt },
        e.device,
        config.flap,
      );
      for (const ifIndex of walk.skipped)
        log.debug({ deviceId: e.device.id, ifIndex }, 'interface with an out-of-range status skipped');
      changes.push(...walk.changes);
      e.interfaces = walk.tracks;
      readings = walk.readings;
    }
    const ticks = snmp?.system?.sysUpTimeTicks;
    if (ticks !== null && ticks !== undefined) {
      const sample = { sysUpTimeTicks: ticks, at: sampledAt };
      const reboot = e.uptime ? detectReboot(e.uptime, sample) : { rebooted: false as const };
      if (reboot.rebooted) {
        changes.push({
          kind: 'device_rebooted',
          deviceId: e.device.id,
          at: now,
          estimatedBootAt: reboot.estimatedBootAt,
          reason: `sysUpTime went back to ${Math.round(ticks / 100)} s: restarted around ${reboot.estimatedBootAt.toISOString()}`,
        });
      }
      e.uptime = sample;
    }

    // SNMP gave no interface table this time: keep judging by the last one we have
    const interfacesDown = downInterfaceLabels(
      [...(readings ? e.interfaces : previousInterfaces).values()].map((i) => i.snapshot),
      e.device.interfaceSelection,
    );
    const evaluation = this.deferIfAncestorSuspect(
      e,
      evaluatePoll({
        previous: e.state,
        observation: {
          icmp: ping ? { reachable: ping.received > 0, lossPct: ping.lossPct, rttMs: ping.rttMs } : undefined,
          snmp: e.device.snmp
            ? snmp?.answered
              ? { answered: true }
              : { answered: false, error: snmp?.error ?? 'no response' }
            : undefined,
          interfacesDown: snmp?.answered === false ? [] : interfacesDown,
          thresholds: e.device.thresholds,
        },
        ancestorDown: this.hasDownAncestor(e),
        config: config.stateMachine,
        now,
      }),
    );
    if (evaluation.transition) {
      const { from, to, reason, causes } = evaluation.transition;
      changes.push({ kind: 'device_status', deviceId: e.device.id, from, to, reason, causes, at: now });
    }
    const answered = (ping?.received ?? 0) > 0 || snmp?.answered === true;
    e.silent = !answered;
    const flap = recordFlapState(e.flap, answered ? 'ok' : 'fail', config.flap);
    if (flap.started || flap.stopped) {
      changes.push({
        kind: 'flapping',
        deviceId: e.device.id,
        ifIndex: null,
        flapping: flap.history.isFlapping,
        percentStateChange: flap.percentStateChange,
        at: now,
      });
    }

    const previousThresholds = e.thresholds;
    if (e.device.limits && answered) {
      const judged = judgeThresholds(e.thresholds, e.device, ping, snmp, readings, now);
      e.thresholds = judged.state;
      changes.push(...judged.changes);
    }

    const previousState = e.state;
    e.state = evaluation.state;
    e.flap = flap.history;
    if (changes.length) {
      try {
        await this.commit(e, changes);
      } catch (err) {
        // Not stored means not happened: roll back so the next poll finds (and stores) it again.
        this.commitFailures++;
        log.warn({ err, deviceId: e.device.id }, 'could not store a status change; will re-poll');
        e.state = {
          ...previousState,
          consecutiveFailures: evaluation.state.consecutiveFailures,
          consecutiveSuccesses: evaluation.state.consecutiveSuccesses,
        };
        e.interfaces = previousInterfaces;
        e.uptime = previousUptime;
        e.thresholds = previousThresholds;
        return true;
      }
      this.applyCommitted(e, changes);
    }
    this.pollsCompleted++;
    e.lastPolledAt = now.getTime();
    this.deps.sink.observe({
      deviceId: e.device.id,
      at: now,
      dueAt: plan.dueAt,
      kind: plan.kind,
      icmp: ping,
      snmp: snmp
        ? { answered: snmp.answered, error: snmp.error, system: snmp.system, hostResources: snmp.hostResources }
        : null,
      interfaces: readings,
      status: e.device.status,
      wanLinks: wanLinksOf(e.device, readings),
    });
    return evaluation.needsRecheck;
  }

  /**
   * Holds back a `down` until the path above is known: the ancestors are polled at once, and while any
   * of them is failing but unconfirmed the device waits, since it may turn out `unreachable`. Bounded by
   * `maxDeferrals` re-probes.
   */
  private deferIfAncestorSuspect(e: DeviceEntry, evaluation: Evaluation): Evaluation {
    if (evaluation.transition?.to !== 'down') {
      e.deferrals = 0;
      return evaluation;
    }
    const ancestors = this.deps.paths.ancestorsOf(e);
    if (!ancestors.length || e.deferrals >= this.deps.config.maxDeferrals) return evaluation;
    const now = this.deps.clock.now().getTime();
    if (e.deferrals === 0) {
      e.deferredSince = now;
      ancestors.forEach((a) => this.deps.scheduler.trigger(a));
    } else if (
      !hasSuspectAncestor(ancestors.map(healthOf)) &&
      ancestors.every((a) => a.lastPolledAt >= e.deferredSince)
    ) {
      return evaluation; // the path answers: the fault is this device's own
    }
    e.deferrals++;
    const { status, statusSince, reason } = e.state;
    return { state: { ...evaluation.state, status, statusSince, reason }, transition: null, needsRecheck: true };
  }

  private commit(e: DeviceEntry, changes: MonitoringChange[]): Promise<void> {
    const run = e.commits.then(() => this.deps.sink.commit(changes));
    e.commits = run.catch(() => undefined);
    return run;
  }

  /** After the sink stored them: update what the engine believes, and re-judge the devices behind. */
  private applyCommitted(e: DeviceEntry, changes: MonitoringChange[]): void {
    for (const change of changes) {
      if (change.kind === 'device_status') {
        e.device.status = change.to;
        e.device.statusSince = change.at;
        e.device.statusReason = change.reason;
        if (
          change.from === 'down' ||
          change.to === 'down' ||
          change.from === 'unreachable' ||
          change.to === 'unreachable'
        )
          this.rejudgeDescendants(e);
      } else if (change.kind === 'flapping' && change.ifIndex === null) {
        e.device.flapping = change.flapping;
      }
    }
  }

  private rejudgeDescendants(root: DeviceEntry): void {
    const { scheduler } = this.deps;
    const now = this.deps.clock.now();
    for (const child of this.deps.paths.descendantsOf(root)) {
      const id = child.device.id;
      const evaluation = reevaluateOnAncestorChange(child.state, this.hasDownAncestor(child), now);
      child.state = evaluation.state;
      if (evaluation.transition) {
        const { from, to, reason, causes } = evaluation.transition;
        const change: MonitoringChange = { kind: 'device_status', deviceId: id, from, to, reason, causes, at: now };
        this.commit(child, [change]).then(
          () => this.applyCommitted(child, [change]),
          (err) => {
            this.commitFailures++;
            this.deps.log.warn({ err, deviceId: id }, 'could not store a dependency change; will re-poll');
            if (!child.inFlight) scheduler.schedule(child, now.getTime(), 'recheck');
          },
        );
      }
      if (evaluation.needsRecheck && !child.inFlight) scheduler.schedule(child, now.getTime(), 'recheck');
    }
  }

  private hasDownAncestor(e: DeviceEntry): boolean {
    return hasDownAncestor(this.deps.paths.ancestorsOf(e).map(healthOf));
  }
}

function healthOf(e: DeviceEntry) {
  return { status: e.device.status, consecutiveFailures: e.state.consecutiveFailures };
}

/** Thresholds on what this poll measured; breaches and clears become changes stored with the rest. */
function judgeThresholds(
  previous: ThresholdState,
  device: MonitoredDevice,
  ping: PingResult | null,
  snmp: SnmpOutcome | null,
  readings: InterfaceReading[] | null,
  now: Date,
): { state: ThresholdState; changes: MonitoringChange[] } {
  const circuits = device.circuits ?? {};
  const resources = snmp?.hostResources;
  const { state, changes: found } = evaluateThresholds(
    previous,
    {
      jitterMs: ping?.jitterMs ?? null,
      cpuPct: resources?.cpuLoadPct ?? null,
      memPct: resources?.memory?.usedPct ?? null,
      interfaces:
        readings?.map((r) => ({
          ifIndex: r.ifIndex,
          name: r.name,
          alias: r.alias,
          speedBps: r.speedBps,
          inBps: r.inBps,
          outBps: r.outBps,
          errorsPerMin: errorsPerMinuteOf(r),
          evaluated: r.monitored || !!device.judgeAllInterfaces || !!circuits[r.ifIndex]?.capacityBps,
          circuit: circuits[r.ifIndex],
        })) ?? null,
    },
    device.limits!,
    now.getTime(),
  );
  const changes = found.map((c): MonitoringChange => ({
    kind: 'threshold',
    deviceId: device.id,
    ifIndex: c.ifIndex,
    breached: c.breached,
    reason: c.reason,
    detail: {
      faultType: c.faultType,
      metric: c.metric,
      value: c.value,
      threshold: c.threshold,
      ...(c.ifIndex !== null && {
        direction: c.direction,
        name: c.name,
        alias: c.alias,
        capacityBps: c.capacityBps ?? null,
        provider: c.provider ?? null,
        circuitId: c.circuitId ?? null,
      }),
    },
    at: now,
  }));
  return { state, changes };
}
