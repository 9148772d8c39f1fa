/**
 * Polling benchmark: can one poller process keep N devices on a 30 s schedule, at what CPU and memory,
 * and how fast are faults detected?
 *
 *   npm run bench:poll                       (needs fping; the detection part needs root for the network lab)
 *
 * Scale scenarios each run in a fresh child process (the measured "poller process"): the real PollEngine,
 * FpingProber and SnmpClient against N distinct loopback hosts (127.1.x.y). For ping+SNMP, simulated v2c
 * agents run in separate processes (snmp-sim.agent), so their CPU is measured apart. Each scenario warms
 * up for one interval, then measures two. Then the detection part runs against the network lab.
 *
 * Environment (all optional):
 *   BENCH_POLL_SCENARIOS   default "ping:10000,ping:25000,ping:50000,snmp:5000,snmp:10000,snmp:20000"
 *   BENCH_POLL_WARMUP_SEC  default 35      BENCH_POLL_MEASURE_SEC default 60 (two 30 s intervals)
 *   BENCH_POLL_AGENTS      simulated-agent processes, default 2
 *   BENCH_POLL_PROFILE_US  CPU-profile sampling interval over the measuring window, default 4000; 0 = off
 *   BENCH_POLL_PROFILE_DIR also write the .cpuprofile files there (open in Chrome DevTools)
 *   BENCH_POLL_HEAP_DIR    write a heap snapshot of each poller at the end of its window there
 *   BENCH_POLL_SNMP_MAX_SESSIONS  SnmpClient maxSessions (default: the client's default, 5000, as in production)
 *   BENCH_POLL_SCENARIOS=none  runs the network-lab part only
 *   BENCH_POLL_DETECT      "0" skips the network-lab part; BENCH_POLL_DETECT_REPS cuts (default 3), traps (5)
 *   BENCH_POLL_DETECT_INTERVAL_SEC  poll interval of the lab devices (default 30)
 *   BENCH_POLL_JSON        write all results as JSON to this file
 */
import { ChildProcess, fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AgentStats } from './snmp-sim.agent';
import { runDetection, type DetectionResult } from './poll-bench.detection';
import { runScenario, type ScenarioResult, type ScenarioSpec } from './poll-bench.poller';
import { percentile } from './poll-bench.stats';

const INTERVAL_SEC = 30;
const children = new Set<ChildProcess>();

interface AgentCpu {
  cores: number;
  requestsPerSec: number;
  processes: number;
}

type Row = ScenarioResult & { agents: AgentCpu | null };

// ------------------------------------------------------------------------------------ child modes

type ChildMessage =
  | { type: 'event'; event: string }
  | { type: 'log'; message: string }
  | { type: 'result'; result: unknown }
  | { type: 'error'; message: string };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function childMain(mode: string, arg: string): Promise<void> {
  try {
    if (mode === '--scenario') {
      const spec = JSON.parse(arg) as ScenarioSpec;
      const result = await runScenario(spec, async (event) => {
        await send({ type: 'event', event });
        if (event === 'measure-start' || event === 'measure-end') await waitForAck();
      });
      await send({ type: 'result', result });
    } else {
      const result = await runDetection(JSON.parse(arg), (message) => void send({ type: 'log', message }));
      await send({ type: 'result', result });
    }
    process.exit(0);
  } catch (err) {
    await send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  }
}

function waitForAck(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== 'ack') return;
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

// ------------------------------------------------------------------------------------ orchestrator

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function killAll(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const child of children) {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function startAgents(count: number): Promise<Array<{ child: ChildProcess; port: number }>> {
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = track(fork(`${__dirname}/snmp-sim.agent.js`, ['0', '8', '1472'], { stdio: 'inherit' }));
      return new Promise<{ child: ChildProcess; port: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('simulated agent did not start')), 10_000);
        child.once('message', (m: { type?: string; port?: number; message?: string }) => {
          clearTimeout(timer);
          if (m.type === 'ready' && m.port) resolve({ child, port: m.port });
          else reject(new Error(`simulated agent failed: ${m.message}`));
        });
        child.once('exit', (code) => reject(new Error(`simulated agent exited with ${code}`)));
      });
    }),
  );
}

function agentStats(agents: Array<{ child: ChildProcess }>): Promise<AgentStats[]> {
  return Promise.all(
    agents.map(
      ({ child }) =>
        new Promise<AgentStats>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('simulated agent did not report')), 5_000);
          const onMessage = (m: { type?: string; stats?: AgentStats }) => {
            if (m.type !== 'stats' || !m.stats) return;
            clearTimeout(timer);
            child.off('message', onMessage);
            resolve(m.stats);
          };
          child.on('message', onMessage);
          child.send({ type: 'stats' });
        }),
    ),
  );
}

/** Runs one child of this script; `onEvent` may do work before the child is let go on (ack). */
function runChild<T>(
  mode: string,
  arg: object,
  timeoutMs: number,
  onEvent: (event: string) => Promise<void> = async () => undefined,
): Promise<T> {
  const child = track(fork(__filename, [mode, JSON.stringify(arg)], { stdio: 'inherit' }));
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      fail(new Error(`${mode} did not finish within ${Math.round(timeoutMs / 1000)} s`));
      child.kill('SIGTERM'); // lets the lab's signal hook tear down the namespaces
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(err);
    };
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'event')
        onEvent(m.event).then(
          () => child.send({ type: 'ack' }),
          (err) => fail(err),
        );
      else if (m.type === 'log') console.log(`  ${m.message}`);
      else if (m.type === 'error') fail(new Error(m.message));
      else if (m.type === 'result' && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve(m.result as T);
      }
    });
    child.once('exit', (code) => fail(new Error(`${mode} exited with code ${code}`)));
  });
}

async function runScaleScenario(
  kind: string,
  devices: number,
  base: Omit<ScenarioSpec, 'name' | 'devices' | 'snmpPorts'>,
  agentCount: number,
): Promise<Row> {
  const snmp = kind === 'snmp';
  const agents = snmp ? await startAgents(agentCount) : [];
  try {
    let before: AgentStats[] = [];
    let after: AgentStats[] = [];
    let t0 = 0;
    let t1 = 0;
    const spec: ScenarioSpec = {
      ...base,
      name: `${snmp ? 'ping+snmp' : 'ping'}-${devices}`,
      devices,
      snmpPorts: agents.map((a) => a.port),
    };
    const result = await runChild<ScenarioResult>(
      '--scenario',
      spec,
      (base.warmupSec + base.measureSec + 180) * 1000,
      async (event) => {
        if (!snmp) return;
        if (event === 'measure-start') {
          before = await agentStats(agents);
          t0 = performance.now();
        } else if (event === 'measure-end') {
          after = await agentStats(agents);
          t1 = performance.now();
        }
      },
    );
    let agentCpu: AgentCpu | null = null;
    if (snmp && after.length) {
      const sum = (s: AgentStats[], f: (a: AgentStats) => number) => s.reduce((n, a) => n + f(a), 0);
      const cpuUs = sum(after, (a) => a.cpuUserUs + a.cpuSystemUs) - sum(before, (a) => a.cpuUserUs + a.cpuSystemUs);
      const requests = sum(after, (a) => a.requests) - sum(before, (a) => a.requests);
      agentCpu = {
        cores: Math.round((cpuUs / 1000 / (t1 - t0)) * 1000) / 1000,
        requestsPerSec: Math.round(requests / ((t1 - t0) / 1000)),
        processes: agents.length,
      };
    }
    return { ...result, agents: agentCpu };
  } finally {
    for (const a of agents) a.child.kill('SIGTERM');
  }
}

// ------------------------------------------------------------------------------------------ output

const s = (ms: number) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);

function scaleTable(rows: Row[]): string {
  const lines = [
    '| Scenario | Devices | Polls/s required → done | Scheduled polls done / due | Lag p50 / p99 / max (s) | On time (≤ 5 s) | ICMP / SNMP answered | Poller CPU (cores) | CPU per 1k polls | Poller RSS (per 10k devices) | Heap used | fping runs per cycle (hosts each) | fping CPU | Agents CPU (req/s) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.snmp ? 'ping + SNMP' : 'ping only'} | ${r.devices.toLocaleString('en')} | ${r.requiredPollsPerSec} → ${r.pollsPerSec} | ${r.scheduledPolls.toLocaleString('en')} / ${r.expectedScheduledPolls.toLocaleString('en')} | ${s(r.lagMs.p50)} / ${s(r.lagMs.p99)} / ${s(r.lagMs.max)} | ${r.onTimePct} % | ${r.icmpAnsweredPct} % / ${r.snmpAnsweredPct ?? '–'}${r.snmpAnsweredPct === null ? '' : ' %'} | ${r.cpuCores.toFixed(2)} | ${r.cpuMsPer1kPolls} ms | ${r.rssMiB.max} MiB (${((r.rssMiB.max / r.devices) * 10_000).toFixed(0)}) | ${r.heapUsedMiB} MiB | ${r.fpingRunsPerCycle} (${r.fpingHostsPerRun}) | ${r.fpingCpuCores.toFixed(2)} | ${r.agents ? `${r.agents.cores.toFixed(2)} (${r.agents.requestsPerSec})` : '–'} |`,
    );
  }
  return lines.join('\n');
}

function detailTable(rows: Row[]): string {
  const lines = [
    '| Scenario | Start lag p50 / p99 / max (s) | ICMP round p50 / max (s) | fping run p50 / max (s) | SNMP system / ifTable / HR (ms, mean) | SNMP queue max | Event-loop delay p99 | Rechecks | Status changes | RSS empty → loaded (MiB) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ];
  for (const r of rows) {
    const changes = Object.entries(r.statusChanges)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(
      `| ${r.name} | ${s(r.startLagMs.p50)} / ${s(r.startLagMs.p99)} / ${s(r.startLagMs.max)} | ${s(r.roundMs.p50)} / ${s(r.roundMs.max)} | ${s(r.fpingRunMs.p50)} / ${s(r.fpingRunMs.max)} | ${r.snmpPhaseMs ? `${r.snmpPhaseMs.system} / ${r.snmpPhaseMs.interfaces} / ${r.snmpPhaseMs.hostResources}` : '–'} | ${r.snmp ? r.snmpMaxQueued : '–'} | ${r.eventLoopDelayP99Ms} ms | ${r.rechecks} | ${changes || 'none'} | ${r.rssMiB.base} → ${r.rssMiB.loaded} |`,
    );
  }
  return lines.join('\n');
}

function profileTable(rows: Row[]): string {
  const withProfile = rows.filter((r) => r.profile);
  if (!withProfile.length) return '';
  const areas = [...new Set(withProfile.flatMap((r) => r.profile!.areas.map((a) => a.area)))];
  const lines = [
    `| Where the poller's CPU goes (% of busy samples) | ${withProfile.map((r) => r.name).join(' | ')} |`,
    `| --- | ${withProfile.map(() => '---:').join(' | ')} |`,
  ];
  for (const area of areas) {
    lines.push(
      `| ${area} | ${withProfile.map((r) => r.profile!.areas.find((a) => a.area === area)?.pct ?? 0).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

function detectionTable(d: DetectionResult | null, reason: string | null, intervalSec: number): string {
  if (!d) return `Detection latency: not measured (${reason}).`;
  const stat = (runs: DetectionResult['linkCut']) => {
    const v = runs.map((r) => r.latencyMs);
    return v.length ? `${s(Math.min(...v))} / ${s(percentile(v, 50))} / ${s(Math.max(...v))}` : '–';
  };
  return [
    '| Fault (network lab, real snmpd) | Target | Runs | min / median / max (s) | Runs |',
    '| --- | --- | ---: | ---: | --- |',
    `| link cut (silent) → \`down\` committed, ${intervalSec} s interval | ≤ ${intervalSec + 4} s | ${d.linkCut.length} | ${stat(d.linkCut)} | ${d.linkCut.map((r) => `${s(r.latencyMs)} s (${r.detail})`).join('; ')} |`,
    `| carrier lost on "uplink" → linkDown trap → \`interface_status\` committed | ≤ 3 s | ${d.interfaceTrap.length} | ${stat(d.interfaceTrap)} | ${d.interfaceTrap.map((r) => `${s(r.latencyMs)} s (${r.detail})`).join('; ')} |`,
  ].join('\n');
}

function topFunctions(rows: Row[]): string {
  return rows
    .filter((r) => r.profile)
    .map(
      (r) =>
        `${r.name}: ${r
          .profile!.top.slice(0, 6)
          .map((t) => `${t.fn} ${t.pct} %`)
          .join('; ')}`,
    )
    .join('\n');
}

async function main(): Promise<void> {
  const env = process.env;
  const list = env.BENCH_POLL_SCENARIOS ?? 'ping:10000,ping:25000,ping:50000,snmp:5000,snmp:10000,snmp:20000';
  const scenarios = (list === 'none' ? [] : list.split(','))
    .map((x) => x.trim().split(':'))
    .map(([kind, n]) => {
      if ((kind !== 'ping' && kind !== 'snmp') || !(Number(n) > 0))
        throw new Error(`BENCH_POLL_SCENARIOS: expected ping:N or snmp:N, got ${kind}:${n}`);
      return { kind, devices: Number(n) };
    });
  const base = {
    intervalSec: INTERVAL_SEC,
    warmupSec: Number(env.BENCH_POLL_WARMUP_SEC ?? INTERVAL_SEC + 5),
    measureSec: Number(env.BENCH_POLL_MEASURE_SEC ?? 2 * INTERVAL_SEC),
    profileIntervalUs: Number(env.BENCH_POLL_PROFILE_US ?? 4000),
    profileDir: env.BENCH_POLL_PROFILE_DIR,
    heapSnapshotDir: env.BENCH_POLL_HEAP_DIR,
    snmpMaxSessions: env.BENCH_POLL_SNMP_MAX_SESSIONS ? Number(env.BENCH_POLL_SNMP_MAX_SESSIONS) : undefined,
  };
  const agentCount = Number(env.BENCH_POLL_AGENTS ?? 2);
  const started = Date.now();
  const rows: Row[] = [];
  for (const { kind, devices } of scenarios) {
    console.log(
      `${kind === 'snmp' ? 'ping + SNMP' : 'ping only'}, ${devices} devices: warm-up ${base.warmupSec} s, measuring ${base.measureSec} s ...`,
    );
    const row = await runScaleScenario(kind, devices, base, agentCount);
    rows.push(row);
    console.log(
      `  ${row.pollsPerSec}/${row.requiredPollsPerSec} polls/s, lag p99 ${s(row.lagMs.p99)} s, CPU ${row.cpuCores} cores, RSS max ${row.rssMiB.max} / mean ${row.rssMiB.mean} MiB`,
    );
  }
  let detection: DetectionResult | null = null;
  let skipped: string | null = null;
  if (env.BENCH_POLL_DETECT === '0') skipped = 'BENCH_POLL_DETECT=0';
  else {
    const reps = Number(env.BENCH_POLL_DETECT_REPS ?? 3);
    const detectInterval = Number(env.BENCH_POLL_DETECT_INTERVAL_SEC ?? INTERVAL_SEC);
    console.log(`detection latency (network lab): ${reps} link cuts, ${reps + 2} interface traps ...`);
    try {
      detection = await runChild<DetectionResult>(
        '--detect',
        { intervalSec: detectInterval, cutRepetitions: reps, trapRepetitions: reps + 2 },
        (60 + reps * (2 * detectInterval + 70) + (reps + 2) * 40) * 1000,
      );
    } catch (err) {
      skipped = err instanceof Error ? err.message.split('\n')[0] : String(err);
      console.error(`  detection failed: ${skipped}`);
    }
  }

  const date = new Date().toISOString().slice(0, 10);
  console.log(`\n## Polling (npm run bench:poll), ${date}, ${Math.round((Date.now() - started) / 1000)} s\n`);
  console.log(scaleTable(rows));
  console.log(`\n${detailTable(rows)}`);
  const profile = profileTable(rows);
  if (profile) console.log(`\n${profile}\n\nHeaviest functions (self time):\n${topFunctions(rows)}`);
  console.log(`\n${detectionTable(detection, skipped, Number(env.BENCH_POLL_DETECT_INTERVAL_SEC ?? INTERVAL_SEC))}`);
  if (env.BENCH_POLL_JSON) writeFileSync(env.BENCH_POLL_JSON, JSON.stringify({ date, rows, detection }, null, 2));
}

const [mode, arg] = process.argv.slice(2);
if (mode === '--scenario' || mode === '--detect') {
  // Orphaned (the orchestrator died): stop; for the lab, exit runs its synchronous teardown hook.
  process.on('disconnect', () => process.exit(1));
  void childMain(mode, arg);
} else {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      killAll('SIGTERM');
      setTimeout(() => {
        killAll('SIGKILL');
        process.exit(130);
      }, 5_000);
    });
  process.on('exit', () => killAll('SIGKILL'));
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      killAll('SIGTERM');
      setTimeout(() => {
        killAll('SIGKILL');
        process.exit(1);
      }, 3_000);
    },
  );
}
