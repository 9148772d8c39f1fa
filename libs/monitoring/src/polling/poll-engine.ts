import {
  DEFAULT_FLAP_THRESHOLDS,
  DEFAULT_RECHECK_SPACING_MS,
  DEFAULT_STATE_MACHINE_CONFIG,
  DeviceState,
  downInterfaceLabels,
  EMPTY_FLAP_HISTORY,
  evaluatePoll,
  Evaluation,
  firstDueAt,
  FlapHistory,
  FlapThresholds,
  planNextPoll,
  pollLagMs,
  recordFlapState,
  reevaluateOnAncestorChange,
  detectReboot,
  DeviceTopology,
  hasDownAncestor,
  hasSuspectAncestor,
  evaluateThresholds,
  seedThresholdState,
  ThresholdState,
  StateMachineConfig,
  UptimeSample,
} from '../domain';
import type { Clock } from '@netdesk/core';
import type {
  FpingProbeOptions,
  PingResult,
  ProbeLogger,
  SnmpHostResources,
  SnmpInterface,
  SnmpSystemInfo,
  SnmpTarget,
} from '../probes';
import { silentProbeLogger } from '../probes';
import { DueQueue } from './due-queue';
import { errorsPerMinuteOf, InterfaceTracks, readInterfaces, seedInterfaces, wanLinksOf } from './interface-readings';
import type {
  DevicePollReport,
  InterfaceReading,
  MonitoredDevice,
  MonitoringChange,
  PollSink,
} from './poll-engine.types';

/** Batch ICMP: one call probes many hosts (FpingProber; PingProber.probeMany as the fallback). */
export interface IcmpProber {
  /** `options` overrides the echo count and timings for this call (the quick re-probes of silent devices). */
  probe(hosts: readonly string[], options?: FpingProbeOptions): Promise<PingResult[]>;
}

/** The part of SnmpClient the engine uses. */
export interface SnmpPoller {
  pollSystem(target: SnmpTarget): Promise<SnmpSystemInfo>;
  pollInterfaces(target: SnmpTarget): Promise<{ interfaces: SnmpInterface[] }>;
  pollHostResources(target: SnmpTarget): Promise<SnmpHostResources>;
  forget(deviceId: string): void;
}

export interface PollEngineConfig {
  stateMachine: StateMachineConfig;
  flap: FlapThresholds;
  /** Spacing of the re-probes that confirm a failure or recovery, start to start. */
  recheckSpacingMs: number;
  /**
   * Re-probes of a device that answered nothing last time (a `down` being confirmed): ICMP echoes
   * and an SNMP system get in parallel, each given `timeoutMs` in all, instead of a full poll (whose
   * SNMP timeout and retry would make every confirmation take seconds). The echo count is kept, so a
   * lossy link is judged on as many echoes as before.
   */
  silentRecheck: { timeoutMs: number; pingCount: number; pingPeriodMs: number };
  /** How often due devices are gathered into an ICMP round. */
  tickMs: number;
  /**
   * Devices merely on schedule wait up to this long to share a round (one fping run) with the next ones
   * due; triggered polls and rechecks never wait. Fewer, larger rounds cost less CPU per check.
   */
  roundGapMs: number;
  /** ICMP rounds (fping processes) running at once. */
  maxRoundsInFlight: number;
  /** Hosts in one round at most. */
  maxRoundSize: number;
  /** How many rechecks a device may wait for an ancestor whose own failure is not yet confirmed. */
  maxDeferrals: number;
  pollHostResources: boolean;
}

export const DEFAULT_POLL_ENGINE_CONFIG: PollEngineConfig = {
  stateMachine: { ...DEFAULT_STATE_MACHINE_CONFIG, maxLossPct: 50, maxRttMs: 500 },
  flap: DEFAULT_FLAP_THRESHOLDS,
  recheckSpacingMs: DEFAULT_RECHECK_SPACING_MS,
  silentRecheck: { timeoutMs: 600, pingCount: 3, pingPeriodMs: 50 },
  tickMs: 250,
  roundGapMs: 1000,
  maxRoundsInFlight: 4,
  maxRoundSize: 20_000,
  maxDeferrals: 5,
  pollHostResources: true,
};

interface Entry {
  device: MonitoredDevice;
  state: DeviceState;
  flap: FlapHistory;
  interfaces: InterfaceTracks;
  /** Threshold tracks (streaks, breaches) between polls. */
  thresholds: ThresholdState;
  uptime?: UptimeSample;
  lastDueAt: Date;
  next: { at: number; kind: DevicePollReport['kind'] };
  inFlight: boolean;
  triggered: boolean;
  deferrals: number;
  /** When the pending down was first held back to check the path above (ms). */
  deferredSince: number;
  /** When this device's last poll finished (ms). */
  lastPolledAt: number;
  /** When this device's current or last poll started (ms): rechecks are spaced from it. */
  startedAt: number;
  /** The last poll got nothing back (no echo reply, no SNMP answer): its rechecks are quick ones. */
  silent: boolean;
  /** Commits for one device run one after another, in order. */
  commits: Promise<void>;
}

interface SnmpOutcome {
  answered: boolean;
  /** When the system group answered: counters and sysUpTime are dated by it, not by when the poll ended. */
  systemAt?: Date;
  error?: string;
  system?: SnmpSystemInfo;
  interfaces?: SnmpInterface[];
  hostResources?: SnmpHostResources | null;
}

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
 */
export class PollEngine {
  private readonly entries = new Map<string, Entry>();
  private readonly topology = new DeviceTopology();
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
  private pollsCompleted = 0;
  private commitFailures = 0;

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
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.config.tickMs);
    this.timer.unref?.();
  }

  /** Stops scheduling and waits for the polls under way (and their commits) to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake.timer);
    this.wake = undefined;
    await Promise.allSettled([...this.rounds]);
    await Promise.allSettled([...this.entries.values()].map((e) => e.commits));
  }

  stats(): PollEngineStats {
    return {
      devices: this.entries.size,
      pollsCompleted: this.pollsCompleted,
      roundsInFlight: this.roundsInFlight + this.quickRoundsInFlight,
      pendingDevices: this.pending.length + this.pendingQuick.length,
      commitFailures: this.commitFailures,
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
        this.scheduleAt(existing, existing.lastDueAt.getTime(), 'scheduled');
      }
      return;
    }
    const lastDueAt = firstDueAt(device.id, device.pollIntervalSec, now);
    const entry: Entry = {
      device: { ...device },
      state: {
        status: device.status,
        statusSince: device.statusSince,
        consecutiveFailures: 0,
        consecutiveSuccesses: 0,
        reason: device.statusReason,
      },
      flap: { ...EMPTY_FLAP_HISTORY, isFlapping: device.flapping },
      interfaces: seedInterfaces(device),
      thresholds: seedThresholdState(device.breachedThresholds ?? [], now.getTime()),
      lastDueAt,
      next: { at: lastDueAt.getTime(), kind: 'scheduled' },
      inFlight: false,
      triggered: false,
      deferrals: 0,
      deferredSince: 0,
      lastPolledAt: 0,
      startedAt: 0,
      silent: false,
      commits: Promise.resolve(),
    };
    this.entries.set(device.id, entry);
    this.topology.set(device.id, device.parentId);
    // A device never polled, or one that was failing when we stopped, is looked at at once.
    const soon = device.status === 'unknown' || device.status === 'down' || device.status === 'unreachable';
    this.scheduleAt(entry, soon ? now.getTime() : lastDueAt.getTime(), soon ? 'triggered' : 'scheduled');
  }

  remove(deviceId: string): void {
    const entry = this.entries.get(deviceId);
    if (!entry) return;
    this.topology.delete(deviceId);
    this.entries.delete(deviceId);
    this.queue.remove(deviceId);
    this.deps.snmp.forget(deviceId);
  }

  /** Polls a device now (a trap arrived, an operator asked); coalesced if a poll is already under way. */
  pollNow(deviceId: string): boolean {
    const entry = this.entries.get(deviceId);
    if (!entry) return false;
    if (entry.inFlight) entry.triggered = true;
    else this.scheduleAt(entry, this.deps.clock.now().getTime(), 'triggered');
    return true;
  }

  /** One scheduling step; the timer calls it, tests and the benchmark may call it directly. */
  tick(): void {
    const now = this.deps.clock.now().getTime();
    for (const { id } of this.queue.popDue(now)) {
      const entry = this.entries.get(id);
      if (entry && !entry.inFlight) {
        entry.inFlight = true;
        if (entry.next.kind === 'recheck' && entry.silent) this.pendingQuick.push(id);
        else {
          this.pending.push(id);
          if (entry.next.kind !== 'scheduled') this.urgentPending++;
        }
      }
    }
    while (this.pendingQuick.length && this.quickRoundsInFlight < this.config.maxRoundsInFlight) {
      this.quickRoundsInFlight++;
      this.startRound(this.pendingQuick.splice(0, this.config.maxRoundSize), true);
    }
    // Rounds on a fixed grid of the clock: a device's wait for its round is then the same every interval,
    // so its polls stay exactly one interval apart (a cut just after a poll is not found any later).
    const window = Math.floor(now / Math.max(1, this.config.roundGapMs));
    const gathered =
      this.urgentPending > 0 || this.pending.length >= this.config.maxRoundSize || window !== this.lastRoundWindow;
    if (!gathered) return;
    while (this.pending.length && this.roundsInFlight < this.config.maxRoundsInFlight) {
      this.roundsInFlight++;
      this.lastRoundWindow = window;
      this.startRound(this.pending.splice(0, this.config.maxRoundSize), false);
    }
    if (!this.pending.length) this.urgentPending = 0;
  }

  private startRound(batch: string[], quick: boolean): void {
    const started = Date.now();
    const round = this.runRound(batch, quick).finally(() => {
      this.deps.onRound?.({ devices: batch.length, durationMs: Date.now() - started });
      if (quick) this.quickRoundsInFlight--;
      else this.roundsInFlight--;
      this.rounds.delete(round);
    });
    this.rounds.add(round);
  }

  private async runRound(ids: string[], quick: boolean): Promise<void> {
    const startedAt = this.deps.clock.now();
    const entries = ids.map((id) => this.entries.get(id)).filter((e): e is Entry => e !== undefined);
    const plans = new Map(entries.map((e) => [e.device.id, { dueAt: new Date(e.next.at), kind: e.next.kind }]));
    for (const e of entries) {
      e.startedAt = startedAt.getTime();
      this.deps.onLag?.(pollLagMs(new Date(e.next.at), startedAt), e.device.pollIntervalSec);
    }

    const { silentRecheck } = this.config;
    const snmp = new Map(
      entries.filter((e) => e.device.snmp).map((e) => [e.device.id, quick ? this.pollSnmpQuick(e) : this.pollSnmp(e)]),
    );
    const hosts = [...new Set(entries.map((e) => e.device.host))];
    const results = await (
      quick
        ? this.deps.icmp.probe(hosts, {
            count: silentRecheck.pingCount,
            periodMs: silentRecheck.pingPeriodMs,
            timeoutMs: Math.max(
              50,
              silentRecheck.timeoutMs - (silentRecheck.pingCount - 1) * silentRecheck.pingPeriodMs,
            ),
          })
        : this.deps.icmp.probe(hosts)
    ).catch((err: unknown) => {
      // The prober itself failed (not the hosts): judge nothing by ICMP this round, re-probe soon.
      this.log.warn({ err, hosts: entries.length }, 'ICMP round failed; re-polling its devices');
      return null;
    });
    // A round that could send nothing at all (fping failed to start, say) says nothing about the hosts.
    const blind = results !== null && results.length > 0 && results.every((r) => r.sent === 0 && r.error);
    if (blind)
      this.log.warn(
        { hosts: entries.length, error: results[0].error },
        'ICMP round sent nothing; re-polling its devices',
      );
    if (!results || blind) {
      await Promise.allSettled(snmp.values());
      entries.forEach((e) => this.finish(e, true));
      return;
    }
    const icmp = new Map(results.map((r) => [r.host, r]));
    await Promise.all(
      entries.map(async (e) => {
        const plan = plans.get(e.device.id)!;
        const ping = icmp.get(e.device.host) ?? null;
        const snmpOutcome = (await snmp.get(e.device.id)) ?? null;
        try {
          const needsRecheck = await this.complete(e, plan, ping, snmpOutcome);
          this.finish(e, needsRecheck);
        } catch (err) {
          this.log.warn({ err, deviceId: e.device.id }, 'poll evaluation failed');
          this.finish(e, true);
        }
      }),
    );
  }

  /** A silent device's re-probe: the system group only, given `silentRecheck.timeoutMs`. */
  private async pollSnmpQuick(e: Entry): Promise<SnmpOutcome> {
    const target: SnmpTarget = { deviceId: e.device.id, host: e.device.host, credentials: e.device.snmp! };
    const { timeoutMs } = this.config.silentRecheck;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // the request itself may go on (its own timeout and retry); its late answer is ignored
      const request = this.deps.snmp.pollSystem(target);
      request.catch(() => undefined);
      const system = await Promise.race([request, deadline]);
      return { answered: true, systemAt: this.deps.clock.now(), system };
    } catch (err) {
      return { answered: false, error: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  private async pollSnmp(e: Entry): Promise<SnmpOutcome> {
    const target: SnmpTarget = { deviceId: e.device.id, host: e.device.host, credentials: e.device.snmp! };
    let system: SnmpSystemInfo;
    try {
      system = await this.deps.snmp.pollSystem(target);
    } catch (err) {
      return { answered: false, error: (err as Error).message };
    }
    const systemAt = this.deps.clock.now();
    const [interfaces, hostResources] = await Promise.all([
      this.deps.snmp.pollInterfaces(target).then(
        (r) => r.interfaces,
        (err) => {
          this.log.debug({ err, deviceId: e.device.id }, 'interface walk failed');
          return undefined;
        },
      ),
      this.config.pollHostResources
        ? this.deps.snmp.pollHostResources(target).catch(() => null)
        : Promise.resolve(null),
    ]);
    return { answered: true, systemAt, system, interfaces, hostResources };
  }

  /** Evaluates one finished poll; resolves with whether the device needs a quick re-probe. */
  private async complete(
    e: Entry,
    plan: { dueAt: Date; kind: DevicePollReport['kind'] },
    ping: PingResult | null,
    snmp: SnmpOutcome | null,
  ): Promise<boolean> {
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
        this.config.flap,
      );
      for (const ifIndex of walk.skipped)
        this.log.debug({ deviceId: e.device.id, ifIndex }, 'interface with an out-of-range status skipped');
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

    const interfacesDown = readings
      ? downInterfaceLabels(
          [...e.interfaces.values()].map((i) => i.snapshot),
          e.device.interfaceSelection,
        )
      : // SNMP gave no interface table this time: keep judging by the last one we have
        downInterfaceLabels(
          [...previousInterfaces.values()].map((i) => i.snapshot),
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
        config: this.config.stateMachine,
        now,
      }),
    );
    if (evaluation.transition) {
      const { from, to, reason, causes } = evaluation.transition;
      changes.push({ kind: 'device_status', deviceId: e.device.id, from, to, reason, causes, at: now });
    }
    const answered = (ping?.received ?? 0) > 0 || snmp?.answered === true;
    e.silent = !answered;
    const flap = recordFlapState(e.flap, answered ? 'ok' : 'fail', this.config.flap);
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
    if (e.device.limits && answered) this.judgeThresholds(e, ping, snmp, readings, now, changes);

    const previousState = e.state;
    e.state = evaluation.state;
    e.flap = flap.history;
    if (changes.length) {
      try {
        await this.commit(e, changes);
      } catch (err) {
        // Not stored means not happened: roll back so the next poll finds (and stores) it again.
        this.commitFailures++;
        this.log.warn({ err, deviceId: e.device.id }, 'could not store a status change; will re-poll');
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

  /** Thresholds on what this poll measured; breaches and clears become changes stored with the rest. */
  private judgeThresholds(
    e: Entry,
    ping: PingResult | null,
    snmp: SnmpOutcome | null,
    readings: InterfaceReading[] | null,
    now: Date,
    changes: MonitoringChange[],
  ): void {
    const circuits = e.device.circuits ?? {};
    const resources = snmp?.hostResources;
    const { state, changes: found } = evaluateThresholds(
      e.thresholds,
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
            evaluated: r.monitored || !!e.device.judgeAllInterfaces || !!circuits[r.ifIndex]?.capacityBps,
            circuit: circuits[r.ifIndex],
          })) ?? null,
      },
      e.device.limits!,
      now.getTime(),
    );
    e.thresholds = state;
    for (const c of found) {
      changes.push({
        kind: 'threshold',
        deviceId: e.device.id,
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
      });
    }
  }

  /**
   * Holds back a `down` until the path above is known: the ancestors are polled at once, and while any
   * of them is failing but unconfirmed the device waits, since it may turn out `unreachable`. Bounded by
   * `maxDeferrals` re-probes.
   */
  private deferIfAncestorSuspect(e: Entry, evaluation: Evaluation): Evaluation {
    if (evaluation.transition?.to !== 'down') {
      e.deferrals = 0;
      return evaluation;
    }
    const ancestors = this.ancestorEntries(e);
    if (!ancestors.length || e.deferrals >= this.config.maxDeferrals) return evaluation;
    const now = this.deps.clock.now().getTime();
    if (e.deferrals === 0) {
      e.deferredSince = now;
      ancestors.forEach((a) => this.pollNow(a.device.id));
    } else if (!this.hasSuspectAncestor(e) && ancestors.every((a) => a.lastPolledAt >= e.deferredSince)) {
      return evaluation; // the path answers: the fault is this device's own
    }
    e.deferrals++;
    const { status, statusSince, reason } = e.state;
    return { state: { ...evaluation.state, status, statusSince, reason }, transition: null, needsRecheck: true };
  }

  private commit(e: Entry, changes: MonitoringChange[]): Promise<void> {
    const run = e.commits.then(() => this.deps.sink.commit(changes));
    e.commits = run.catch(() => undefined);
    return run;
  }

  /** After the sink stored them: update what the engine believes, and re-judge the devices behind. */
  private applyCommitted(e: Entry, changes: MonitoringChange[]): void {
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

  private rejudgeDescendants(root: Entry): void {
    const now = this.deps.clock.now();
    for (const id of this.topology.descendantIds(root.device.id)) {
      const child = this.entries.get(id);
      if (!child) continue;
      const evaluation = reevaluateOnAncestorChange(child.state, this.hasDownAncestor(child), now);
      child.state = evaluation.state;
      if (evaluation.transition) {
        const { from, to, reason, causes } = evaluation.transition;
        const change: MonitoringChange = { kind: 'device_status', deviceId: id, from, to, reason, causes, at: now };
        this.commit(child, [change]).then(
          () => this.applyCommitted(child, [change]),
          (err) => {
            this.commitFailures++;
            this.log.warn({ err, deviceId: id }, 'could not store a dependency change; will re-poll');
            if (!child.inFlight) this.scheduleAt(child, now.getTime(), 'recheck');
          },
        );
      }
      if (evaluation.needsRecheck && !child.inFlight) this.scheduleAt(child, now.getTime(), 'recheck');
    }
  }

  private finish(e: Entry, needsRecheck: boolean): void {
    e.inFlight = false;
    if (!this.entries.has(e.device.id)) return;
    const now = this.deps.clock.now();
    if (e.triggered) {
      e.triggered = false;
      this.scheduleAt(e, now.getTime(), 'triggered');
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
            recheckSpacingMs: Math.max(0, e.startedAt + this.config.recheckSpacingMs - now.getTime()),
          });
    if (plan.kind === 'scheduled') e.lastDueAt = plan.at;
    this.scheduleAt(e, plan.at.getTime(), plan.kind);
    if (plan.kind === 'recheck') this.wakeAt(plan.at.getTime());
  }

  private scheduleAt(e: Entry, at: number, kind: DevicePollReport['kind']): void {
    e.next = { at, kind };
    this.queue.schedule(e.device.id, at);
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

  private ancestorEntries(e: Entry): Entry[] {
    return this.topology.ancestorIds(e.device.id).map((id) => this.entries.get(id)!);
  }

  private hasDownAncestor(e: Entry): boolean {
    return hasDownAncestor(this.ancestorEntries(e).map(healthOf));
  }

  private hasSuspectAncestor(e: Entry): boolean {
    return hasSuspectAncestor(this.ancestorEntries(e).map(healthOf));
  }
}

function healthOf(e: Entry) {
  return { status: e.device.status, consecutiveFailures: e.state.consecutiveFailures };
}
