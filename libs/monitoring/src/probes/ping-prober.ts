import { isIP } from 'node:net';
import * as ping from 'ping';
import { failedPingResult, isProbeableHost, PingResult, summarizePingSamples } from './ping-result';
import { ProbeLogger, silentProbeLogger } from './probe-logger';

export interface PingProberOptions {
  /** Echoes per probe (default 4). */
  count?: number;
  /** Per-echo wait for a reply, milliseconds (default 1000; the system ping takes whole seconds, rounded up). */
  timeoutMs?: number;
  /** Gap between echoes, milliseconds (default 200, the iputils minimum for unprivileged users). */
  intervalMs?: number;
  /** Hosts probed at once by {@link PingProber.probeMany} (default 32). */
  concurrency?: number;
  logger?: ProbeLogger;
}

export interface PingOnceOptions {
  count?: number;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * ICMP probe of one host through the system `ping` (npm `ping` package). Used by the on-demand
 * "ping this device" endpoint and as the fallback of {@link FpingProber} when fping is unusable.
 * One process per host, so it is far slower than fping for a whole inventory.
 */
export class PingProber {
  private readonly count: number;
  private readonly timeoutMs: number;
  private readonly intervalMs: number;
  private readonly concurrency: number;
  private readonly logger: ProbeLogger;

  constructor(options: PingProberOptions = {}) {
    this.count = positiveInt(options.count, 4, 'count');
    this.timeoutMs = positiveInt(options.timeoutMs, 1000, 'timeoutMs');
    this.intervalMs = positiveInt(options.intervalMs, 200, 'intervalMs');
    this.concurrency = positiveInt(options.concurrency, 32, 'concurrency');
    this.logger = options.logger ?? silentProbeLogger;
  }

  /** Sends `count` echoes to `host`; never throws, failures are reported in `error`. */
  async ping(host: string, options: PingOnceOptions = {}): Promise<PingResult> {
    const count = positiveInt(options.count, this.count, 'count');
    const timeoutMs = positiveInt(options.timeoutMs, this.timeoutMs, 'timeoutMs');
    const intervalMs = positiveInt(options.intervalMs, this.intervalMs, 'intervalMs');
    if (!isProbeableHost(host)) return failedPingResult(host, 'invalid host');
    const timeoutS = Math.max(1, Math.ceil(timeoutMs / 1000));
    // Hard stop so a black-holed host cannot keep the process alive beyond what the caller expects.
    const deadlineS = Math.ceil(((count - 1) * intervalMs) / 1000) + timeoutS + 1;
    try {
      const res = await ping.promise.probe(host, {
        numeric: true,
        timeout: timeoutS,
        deadline: deadlineS,
        min_reply: count,
        v6: isIP(host) === 6,
        extra: ['-i', (intervalMs / 1000).toFixed(3)],
      });
      if (res.host === 'unknown' && res.times.length === 0 && !/packets transmitted/.test(res.output ?? '')) {
        return failedPingResult(host, `ping failed: ${firstLine(res.output)}`);
      }
      const samples = res.times.filter((t) => typeof t === 'number' && Number.isFinite(t));
      const transmitted = /(\d+) packets transmitted/.exec(res.output ?? '');
      const sent = transmitted ? Math.max(Number(transmitted[1]), samples.length) : count;
      return summarizePingSamples(host, samples, sent);
    } catch (err) {
      this.logger.warn({ host, err: errorMessage(err) }, 'system ping could not be run');
      return failedPingResult(host, `ping could not be run: ${errorMessage(err)}`);
    }
  }

  /** Pings many hosts, at most `concurrency` at a time; results in input order. */
  async probeMany(hosts: readonly string[], options: PingOnceOptions = {}): Promise<PingResult[]> {
    const results = new Array<PingResult>(hosts.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < hosts.length) {
        const i = next++;
        results[i] = await this.ping(hosts[i], options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, hosts.length) }, worker));
    return results;
  }
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0]?.slice(0, 200) || 'no output';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
