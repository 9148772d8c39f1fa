/** Result of probing one host with ICMP echo, shared by the fping and ping adapters. */
export interface PingResult {
  host: string;
  /** Echo requests sent (0 when the host could not be probed at all, see `error`). */
  sent: number;
  received: number;
  /** 0..100, rounded to 2 decimals; 100 when nothing was sent. */
  lossPct: number;
  /** RTTs of the replies that arrived, in send order, milliseconds. */
  rttsMs: number[];
  /** Mean RTT, null when no reply. */
  rttMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  /** Mean absolute difference between consecutive RTTs; null with fewer than 2 replies. */
  jitterMs: number | null;
  /** Set when the host could not be probed (unresolvable name, invalid host, prober failure). */
  error?: string;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Builds a {@link PingResult} from per-echo samples, where `null` is a lost echo.
 * `sent` defaults to the number of samples.
 */
export function summarizePingSamples(
  host: string,
  samples: ReadonlyArray<number | null>,
  sent = samples.length,
): PingResult {
  const rttsMs = samples.filter((s): s is number => s !== null && Number.isFinite(s) && s >= 0);
  const received = Math.min(rttsMs.length, sent);
  const lossPct = sent > 0 ? Math.round(((sent - received) / sent) * 10000) / 100 : 100;
  if (rttsMs.length === 0) {
    return { host, sent, received: 0, lossPct, rttsMs: [], rttMs: null, minMs: null, maxMs: null, jitterMs: null };
  }
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const r of rttsMs) {
    sum += r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  let jitterMs: number | null = null;
  if (rttsMs.length >= 2) {
    let diff = 0;
    for (let i = 1; i < rttsMs.length; i++) diff += Math.abs(rttsMs[i] - rttsMs[i - 1]);
    jitterMs = round3(diff / (rttsMs.length - 1));
  }
  return {
    host,
    sent,
    received,
    lossPct,
    rttsMs,
    rttMs: round3(sum / rttsMs.length),
    minMs: min,
    maxMs: max,
    jitterMs,
  };
}

/** A result for a host that could not be probed at all. */
export function failedPingResult(host: string, error: string): PingResult {
  return { ...summarizePingSamples(host, [], 0), error };
}

/**
 * Accepts IPv4/IPv6 literals (optionally with an IPv6 zone) and DNS names. Rejects anything that
 * could be read as a command-line option or split by fping's line reader (whitespace, '#', leading '-').
 */
export function isProbeableHost(host: string): boolean {
  return host.length > 0 && host.length <= 253 && /^[A-Za-z0-9_.:%[\]-]+$/.test(host) && !host.startsWith('-');
}
