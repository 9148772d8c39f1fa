/**
 * Parser for `fping -C <count> -q` output (fping 3.x-5.x). The per-host summary lines look like
 *
 *   127.0.0.1   : 0.047 0.038 -
 *   ::1         : 0.058 0.032 0.032
 *
 * where '-' is a lost echo. Every other line (warnings for unresolvable names, "duplicate for [n]"
 * lines from older fping, ICMP error reports, "fping: ..." errors) is returned in `ignored`.
 */
export interface FpingParseOutput {
  /** Samples per host as printed (null = lost), keyed by the host exactly as fping echoed it. */
  samples: Map<string, Array<number | null>>;
  /** Lines that were not per-host summary lines, trimmed, without empty ones. */
  ignored: string[];
}

const SUMMARY_LINE = /^(\S+)\s+:\s+(.*)$/;
const SAMPLE = /^(?:-|\d+(?:\.\d+)?)$/;

export function parseFpingOutput(output: string, count?: number): FpingParseOutput {
  const samples = new Map<string, Array<number | null>>();
  const ignored: string[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const parsed = parseSummaryLine(line, count);
    if (parsed) samples.set(parsed.host, parsed.samples);
    else ignored.push(line);
  }
  return { samples, ignored };
}

/** Parses one summary line, or returns null when the line is anything else. */
export function parseSummaryLine(line: string, count?: number): { host: string; samples: Array<number | null> } | null {
  const m = SUMMARY_LINE.exec(line);
  if (!m) return null;
  const tokens = m[2].trim().split(/\s+/);
  if (tokens.length === 0 || !tokens.every((t) => SAMPLE.test(t))) return null;
  if (count !== undefined && tokens.length !== count) return null;
  return { host: m[1], samples: tokens.map((t) => (t === '-' ? null : Number(t))) };
}
