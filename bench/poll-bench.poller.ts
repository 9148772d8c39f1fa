/**
 * One scale scenario of the polling benchmark, run in its own process (the "poller process" whose CPU
 * and memory are measured): the real PollEngine with the real FpingProber and SnmpClient, a real
 * clock and a counting sink, polling N loopback hosts (127.1.x.y) every 30 s.
 */
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { DEFAULT_STATE_MACHINE_CONFIG, DEFAULT_FLAP_THRESHOLDS } from '../libs/monitoring/src/domain';
import { PollEngine, type IcmpProber, type SnmpPoller } from '../libs/monitoring/src/polling/poll-engine';
import type { MonitoredDevice, PollSink } from '../libs/monitoring/src/polling/poll-engine.types';
import { FpingProber, SnmpClient, type SnmpTarget } from '../libs/monitoring/src/probes';
import {
  CpuProfile,
  ProfileSummary,
  Samples,
  percentile,
  reapedChildrenCpuMs,
  summarizeProfile,
} from './poll-bench.stats';

export interface ScenarioSpec {
  name: string;
  devices: number;
  /** Ports of the simulated SNMP agents; empty for ping-only. */
  snmpPorts: number[];
  intervalSec: number;
  warmupSec: number;
  measureSec: number;
  /** Sample the CPU profile of the measuring window (interval in µs; 0 = off). */
  profileIntervalUs: number;
  profileDir?: string;
  /** SnmpClient maxSessions; undefined = its default (as PollerService runs it). */
  snmpMaxSessions?: number;
  /** Write a heap snapshot at the end of the window into this directory. */
  heapSnapshotDir?: string;
}

export interface ScenarioResult {
  name: string;
  devices: number;
  snmp: boolean;
  windowSec: number;
  requiredPollsPerSec: number;
  pollsPerSec: number;
  scheduledPolls: number;
  expectedScheduledPolls: number;
  rechecks: number;
  triggered: number;
  /** at - dueAt of every poll completed in the window (scheduled ones), ms. */
  lagMs: { p50: number; p99: number; max: number };
  /** Poll start (ICMP round start) - dueAt, ms. */
  startLagMs: { p50: number; p99: number; max: number };
  onTimePct: number;
  lateByIntervalPolls: number;
  icmpAnsweredPct: number;
  snmpAnsweredPct: number | null;
  statusChanges: Record<string, number>;
  cpuCores: number;
  cpuUserCores: number;
  cpuMsPer1kPolls: number;
  eventLoopDelayP99Ms: number;
  /** max and mean over the window (sampled every 500 ms), e.g. stable memory: max ≤ 1.3 × mean. */
  rssMiB: { base: number; loaded: number; max: number; mean: number };
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  fpingRunsPerCycle: number;
  fpingHostsPerRun: number;
  fpingRunMs: { p50: number; max: number };
  fpingCpuCores: number;
  roundMs: { p50: number; max: number };
  snmpPhaseMs: { system: number; interfaces: number; hostResources: number } | null;
  snmpMaxQueued: number;
  snmpSessions: number;
  profile: ProfileSummary | null;
}

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 127.1.b.c with c in 1..254, then 127.2.…: distinct loopback hosts. */
export function loopbackHost(i: number): string {
  const b = Math.floor(i / 254);
  return `127.${1 + Math.floor(b / 256)}.${b % 256}.${1 + (i % 254)}`;
}

export async function runScenario(
  spec: ScenarioSpec,
  notify: (event: string) => Promise<void>,
): Promise<ScenarioResult> {
  const baseRss = process.memoryUsage().rss;
  const windowCycles = spec.measureSec / spec.intervalSec;
  let measuring = false;

  // Production defaults (see libs/shared/config: NETDESK_PING_*, NETDESK_SNMP_*).
  const fping = new FpingProber({ count: 3, timeoutMs: 1000, periodMs: 250 });
  const fpingStatus = await fping.status();
  if (fpingStatus.mode !== 'fping') throw new Error(`fping unusable: ${fpingStatus.reason}`);
  const snmpClient = new SnmpClient({
    timeoutMs: 2000,
    retries: 1,
    maxInFlight: 200,
    maxSessions: spec.snmpMaxSessions,
  });

  const lags = new Samples();
  const startLags = new Samples();
  const fpingRunMs = new Samples();
  const roundMs = new Samples();
  const phase = { system: new Samples(), interfaces: new Samples(), hostResources: new Samples() };
  const counts = { polls: 0, scheduled: 0, recheck: 0, triggered: 0, icmpOk: 0, snmpPolled: 0, snmpOk: 0 };
  const statusChanges: Record<string, number> = {};
  let fpingRuns = 0;
  let fpingHosts = 0;
  let snmpMaxQueued = 0;

  // Thin wrappers only to time the phases; every call goes to the real prober/client.
  const icmp: IcmpProber = {
    probe: async (hosts) => {
      const results = await fping.probe(hosts);
      if (measuring) {
        for (const run of fping.lastRunStats()) {
          fpingRuns++;
          fpingHosts += run.hosts;
          fpingRunMs.push(run.durationMs);
        }
      }
      return results;
    },
  };
  const timed =
    <T>(samples: Samples, fn: (t: SnmpTarget) => Promise<T>) =>
    async (t: SnmpTarget): Promise<T> => {
      const started = performance.now();
      try {
        return await fn(t);
      } finally {
        if (measuring) samples.push(performance.now() - started);
      }
    };
  const snmp: SnmpPoller = {
    pollSystem: timed(phase.system, (t) => snmpClient.pollSystem(t)),
    pollInterfaces: timed(phase.interfaces, (t) => snmpClient.pollInterfaces(t)),
    pollHostResources: timed(phase.hostResources, (t) => snmpClient.pollHostResources(t)),
    forget: (id) => snmpClient.forget(id),
  };
  const sink: PollSink = {
    commit: async (changes) => {
      if (!measuring) return;
      for (const c of changes) {
        const key = c.kind === 'device_status' ? `${c.kind}:${c.to}` : c.kind;
        statusChanges[key] = (statusChanges[key] ?? 0) + 1;
      }
    },
    observe: (r) => {
      if (!measuring) return;
      counts.polls++;
      counts[r.kind]++;
      if (r.kind === 'scheduled') lags.push(r.at.getTime() - r.dueAt.getTime());
      if (r.icmp && r.icmp.received > 0) counts.icmpOk++;
      if (r.snmp) {
        counts.snmpPolled++;
        if (r.snmp.answered) counts.snmpOk++;
      }
    },
  };
  const engine = new PollEngine({
    icmp,
    snmp,
    sink,
    clock: { now: () => new Date() },
    config: {
      stateMachine: { ...DEFAULT_STATE_MACHINE_CONFIG, maxLossPct: 50, maxRttMs: 500 },
      flap: DEFAULT_FLAP_THRESHOLDS,
      recheckSpacingMs: 1000,
    },
    onLag: (lagMs) => measuring && startLags.push(lagMs),
    onRound: (round) => measuring && roundMs.push(round.durationMs),
  });

  const now = new Date();
  for (let i = 0; i < spec.devices; i++) {
    const device: MonitoredDevice = {
      id: `bench-${String(i).padStart(6, '0')}`,
      name: `bench device ${i}`,
      host: loopbackHost(i),
      pollIntervalSec: spec.intervalSec,
      parentId: null,
      snmp: spec.snmpPorts.length
        ? { version: '2c', community: 'public', port: spec.snmpPorts[i % spec.snmpPorts.length] }
        : null,
      status: 'up',
      statusSince: now,
      statusReason: null,
      flapping: false,
      interfaceSelection: { include: [], exclude: [] },
    };
    engine.upsert(device);
  }
  const loadedRss = process.memoryUsage().rss;
  engine.start();
  try {
    await sleep(spec.warmupSec * 1000);

    const profiler = spec.profileIntervalUs > 0 ? await startProfiler(spec.profileIntervalUs) : null;
    await notify('measure-start');
    const eld = monitorEventLoopDelay({ resolution: 10 });
    eld.enable();
    const cpu0 = process.cpuUsage();
    const children0 = reapedChildrenCpuMs();
    const t0 = performance.now();
    let maxRss = process.memoryUsage().rss;
    let rssSum = 0;
    let rssSamples = 0;
    measuring = true;
    const sampler = setInterval(() => {
      const rss = process.memoryUsage().rss;
      maxRss = Math.max(maxRss, rss);
      rssSum += rss;
      rssSamples++;
      snmpMaxQueued = Math.max(snmpMaxQueued, snmpClient.stats().queued);
    }, 500);
    await sleep(spec.measureSec * 1000);
    measuring = false;
    clearInterval(sampler);
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const childrenMs = reapedChildrenCpuMs() - children0;
    eld.disable();
    await notify('measure-end');
    const profile = profiler ? await profiler.stop() : null;
    if (profile && spec.profileDir)
      writeFileSync(join(spec.profileDir, `poll-${spec.name}.cpuprofile`), JSON.stringify(profile));
    if (spec.heapSnapshotDir) writeHeapSnapshot(join(spec.heapSnapshotDir, `poll-${spec.name}.heapsnapshot`));
    const mem = process.memoryUsage();
    maxRss = Math.max(maxRss, mem.rss);

    const windowSec = wallMs / 1000;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const mib = (b: number) => Math.round((b / MiB) * 10) / 10;
    const p = (s: Samples) => ({
      p50: Math.round(percentile(s.values(), 50)),
      p99: Math.round(percentile(s.values(), 99)),
      max: Math.round(s.max()),
    });
    const mean = (s: Samples) => (s.length ? Math.round(s.values().reduce((a, b) => a + b, 0) / s.length) : 0);
    return {
      name: spec.name,
      devices: spec.devices,
      snmp: spec.snmpPorts.length > 0,
      windowSec: Math.round(windowSec * 10) / 10,
      requiredPollsPerSec: Math.round((spec.devices / spec.intervalSec) * 10) / 10,
      pollsPerSec: Math.round((counts.polls / windowSec) * 10) / 10,
      scheduledPolls: counts.scheduled,
      expectedScheduledPolls: Math.round(spec.devices * (windowSec / spec.intervalSec)),
      rechecks: counts.recheck,
      triggered: counts.triggered,
      lagMs: p(lags),
      startLagMs: p(startLags),
      onTimePct: lags.length ? Math.round((lags.countAtMost(5000) / lags.length) * 1000) / 10 : 0,
      lateByIntervalPolls: lags.length - lags.countAtMost(spec.intervalSec * 1000),
      icmpAnsweredPct: counts.polls ? Math.round((counts.icmpOk / counts.polls) * 10000) / 100 : 0,
      snmpAnsweredPct: counts.snmpPolled ? Math.round((counts.snmpOk / counts.snmpPolled) * 10000) / 100 : null,
      statusChanges,
      cpuCores: Math.round((cpuMs / wallMs) * 1000) / 1000,
      cpuUserCores: Math.round((cpu.user / 1000 / wallMs) * 1000) / 1000,
      cpuMsPer1kPolls: counts.polls ? Math.round((cpuMs / (counts.polls / 1000)) * 10) / 10 : 0,
      eventLoopDelayP99Ms: Math.round(eld.percentile(99) / 1e5) / 10,
      rssMiB: {
        base: mib(baseRss),
        loaded: mib(loadedRss),
        max: mib(maxRss),
        mean: mib(rssSamples ? rssSum / rssSamples : maxRss),
      },
      heapUsedMiB: mib(mem.heapUsed),
      heapTotalMiB: mib(mem.heapTotal),
      externalMiB: mib(mem.external),
      fpingRunsPerCycle: Math.round((fpingRuns / windowCycles) * 10) / 10,
      fpingHostsPerRun: fpingRuns ? Math.round(fpingHosts / fpingRuns) : 0,
      fpingRunMs: { p50: Math.round(percentile(fpingRunMs.values(), 50)), max: Math.round(fpingRunMs.max()) },
      fpingCpuCores: Math.round((childrenMs / wallMs) * 1000) / 1000,
      roundMs: { p50: Math.round(percentile(roundMs.values(), 50)), max: Math.round(roundMs.max()) },
      snmpPhaseMs: spec.snmpPorts.length
        ? { system: mean(phase.system), interfaces: mean(phase.interfaces), hostResources: mean(phase.hostResources) }
        : null,
      snmpMaxQueued,
      snmpSessions: snmpClient.stats().sessions,
      profile: profile ? summarizeProfile(profile) : null,
    };
  } finally {
    measuring = false;
    await engine.stop();
    snmpClient.closeAll();
  }
}

/** The V8 sampling profiler over the measuring window only (in-process, via the inspector). */
async function startProfiler(intervalUs: number): Promise<{ stop(): Promise<CpuProfile> }> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result as T))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}
