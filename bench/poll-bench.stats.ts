/** Small measuring helpers for the polling benchmark: percentiles, process CPU, CPU-profile summary. */
import { readdirSync, readFileSync } from 'node:fs';

/** Nearest-rank percentile of an unsorted list (0 for an empty one). */
export function percentile(values: Float64Array | number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A growable list of numbers without per-element boxing. */
export class Samples {
  private data = new Float64Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }

  countAtMost(limit: number): number {
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.data[i] <= limit) n++;
    return n;
  }

  max(): number {
    let m = 0;
    for (let i = 0; i < this.length; i++) if (this.data[i] > m) m = this.data[i];
    return m;
  }
}

const CLOCK_TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU of this process's reaped children (here: the fping runs), ms, from /proc/self/stat. */
export function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17
  let ticks = Number(fields[13]) + Number(fields[14]);
  // fping started by the prober's helper shells is reaped by them: count the live shells (own + reaped)
  for (const dir of readdirSync('/proc')) {
    if (!/^\d+$/.test(dir)) continue;
    try {
      const s = readFileSync(`/proc/${dir}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) !== process.pid || !s.includes('(sh)')) continue;
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // gone
    }
  }
  return ticks * CLOCK_TICK_MS;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Share of sampled CPU (idle excluded) per area, percent. */
  areas: Array<{ area: string; pct: number }>;
  /** Heaviest functions by self time, percent of busy samples. */
  top: Array<{ fn: string; pct: number }>;
}

/** Where the CPU went: self time grouped into areas of the code (engine, SNMP, fping, GC, ...). */
export function summarizeProfile(profile: CpuProfile, topN = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busy += us;
    const area = areaOf(functionName, url);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const file = url ? url.replace(/^.*\/(node_modules\/[^/]+|dist)\//, '$1/') : '';
    const key = `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((us / Math.max(1, busy)) * 1000) / 10;
  return {
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, pct: pct(us) })),
    top: [...fns]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([fn, us]) => ({ fn, pct: pct(us) })),
  };
}

function areaOf(fn: string, url: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'V8/libuv (program)';
  if (url.includes('node_modules/net-snmp')) return 'net-snmp (encode/decode, sessions)';
  if (url.includes('/probes/snmp')) return 'SnmpClient (walks, pool)';
  if (url.includes('/probes/fping') || url.includes('/probes/ping-result')) return 'FpingProber (spawn, parse)';
  if (url.includes('/probes/')) return 'probes (other)';
  if (url.includes('/polling/') || url.includes('/domain/')) return 'PollEngine + domain rules';
  if (url.includes('/bench/')) return 'benchmark bookkeeping';
  if (url.startsWith('node:dgram') || url.includes('dgram')) return 'node: UDP sockets';
  if (url.startsWith('node:child_process') || url.includes('child_process')) return 'node: child processes';
  if (url.startsWith('node:') || url === '') return `node: ${fn === '' ? 'native' : 'internals'}`;
  return 'other';
}
