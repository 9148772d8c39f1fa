/**
 * CPU cost of threshold evaluation per 1,000 polls, against the cost of a poll itself. What the poll
 * engine adds per poll: building the observation from the poll's readings and `evaluateThresholds` with
 * the device's resolved thresholds (loaded with the device: no I/O). Devices with 4, 24 and 48 judged
 * interfaces; the rates move so streaks, breaches and clears all happen. Median of 7 runs of 20,000 polls.
 * The poll cost to compare with is the measured CPU per 1,000 ping + SNMP polls of `bench:poll`
 * (docs/benchmarks.md: 1,066 ms at 10,000 devices).
 *
 *   npm run bench:thresholds
 */
import {
  BUILT_IN_THRESHOLDS,
  evaluateThresholds,
  InterfaceMeasurement,
  resolveThresholds,
  ThresholdState,
} from '../libs/monitoring/src/domain';
import { errorsPerMinuteOf } from '../libs/monitoring/src/polling/interface-readings';

const POLL_CPU_MS_PER_1K = 1066;
const POLLS = 20_000;
const RUNS = 7;

interface Reading {
  ifIndex: number;
  name: string;
  alias: string;
  speedBps: number | null;
  inBps: number | null;
  outBps: number | null;
  inErrors: number | null;
  outErrors: number | null;
  inDiscards: number | null;
  outDiscards: number | null;
  monitored: boolean;
}

function run(interfaces: number, stormy: boolean): { msPer1k: number; changes: number } {
  const limits = resolveThresholds(
    { defaults: { ...BUILT_IN_THRESHOLDS }, byKind: { 'wan-link': { utilisationPct: 80 } } },
    'wan-link',
    { forPolls: 3 },
  );
  const circuits: Record<number, { capacityBps: number; provider: string; circuitId: string }> = {};
  for (let i = 1; i <= interfaces; i += 2) circuits[i] = { capacityBps: 100e6, provider: 'ACME', circuitId: `C-${i}` };
  const readings: Reading[] = Array.from({ length: interfaces }, (_, k) => ({
    ifIndex: k + 1,
    name: `ge-0/0/${k + 1}`,
    alias: k % 3 === 0 ? 'uplink' : '',
    speedBps: 1e9,
    inBps: 0,
    outBps: 0,
    inErrors: 0,
    outErrors: 0,
    inDiscards: 0,
    outDiscards: 0,
    monitored: k % 3 === 0,
  }));
  let state: ThresholdState = new Map();
  let changes = 0;
  const start = process.cpuUsage();
  for (let p = 0; p < POLLS; p++) {
    // Traffic swings over and under the thresholds every few polls, so tracks move.
    // Steady: traffic moves under the thresholds (the usual poll). Stormy: over and under every few polls.
    const level = stormy ? ((p >> 2) % 4) * 0.3 : 0.2 + (p % 5) * 0.05;
    for (const r of readings) {
      r.inBps = level * 100e6 * (1 + (r.ifIndex % 5) * 0.01);
      r.outBps = level * 50e6;
      r.inErrors = p % 7 === 0 ? 2 : 0;
    }
    const observed: InterfaceMeasurement[] = readings.map((r) => ({
      ifIndex: r.ifIndex,
      name: r.name,
      alias: r.alias,
      speedBps: r.speedBps,
      inBps: r.inBps,
      outBps: r.outBps,
      errorsPerMin: errorsPerMinuteOf(r),
      evaluated: true,
      circuit: circuits[r.ifIndex],
    }));
    const result = evaluateThresholds(
      state,
      { jitterMs: level * 20, cpuPct: level * 100, memPct: 40, interfaces: observed },
      limits,
      p * 30_000,
    );
    state = result.state;
    changes += result.changes.length;
  }
  const used = process.cpuUsage(start);
  return { msPer1k: ((used.user + used.system) / 1000 / POLLS) * 1000, changes };
}

const table: Record<string, string | number>[] = [];
for (const [interfaces, stormy] of [
  [4, false],
  [24, false],
  [48, false],
  [4, true],
  [24, true],
  [48, true],
] as const) {
  run(interfaces, stormy); // warm
  const results = Array.from({ length: RUNS }, () => run(interfaces, stormy)).sort((a, b) => a.msPer1k - b.msPer1k);
  const median = results[Math.floor(RUNS / 2)];
  table.push({
    traffic: stormy ? 'crossing thresholds every 4 polls' : 'steady, under thresholds',
    'judged interfaces': interfaces,
    'CPU per 1k polls (ms)': Math.round(median.msPer1k * 10) / 10,
    'share of a ping + SNMP poll': `${((median.msPer1k / POLL_CPU_MS_PER_1K) * 100).toFixed(2)} %`,
    'breaches + clears per 1k polls': Math.round((median.changes / POLLS) * 1000),
  });
}
console.table(table);
