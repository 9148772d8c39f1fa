import { execFile, spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { join } from 'node:path';
import { FpingLauncher, FpingRunOutput } from './fping-launcher';
import { parseFpingOutput } from './fping-output.parser';
import { failedPingResult, isProbeableHost, PingResult, summarizePingSamples } from './ping-result';
import { errorMessage, PingProber } from './ping-prober';
import { ProbeLogger, silentProbeLogger } from './probe-logger';

export interface FpingProberOptions {
  /** Explicit fping binary; otherwise searched in `searchDirs`. */
  fpingPath?: string;
  /** Directories searched for `fping` (default: /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin). */
  searchDirs?: string[];
  /** Echoes per host per cycle (fping -C, default 3). */
  count?: number;
  /** Wait for each reply, ms (fping -t, default 1000). */
  timeoutMs?: number;
  /** Gap between echoes to the same host, ms (fping -p, default 1000; may be shorter than the timeout). */
  periodMs?: number;
  /**
   * Gap between any two packets sent, ms (fping -i, default 0.1 = 10,000 packets/s). This bounds a
   * cycle: hosts x count x intervalMs. 0 sends as fast as the host can.
   */
  intervalMs?: number;
  /**
   * Hosts per fping process. fping keeps at most 65,535 echoes in flight per 10 s window ("not enough
   * sequence numbers available"), so the default is floor(60000 / count).
   */
  maxHostsPerProcess?: number;
  /** fping processes run at once (default 1: parallel raw sockets each see every reply and lose some). */
  concurrency?: number;
  /**
   * Start fping through long-lived helper shells (default true) rather than spawning it from this
   * process, whose fork costs far more than fping itself. Falls back to spawning when no shell starts.
   */
  helperShell?: boolean;
  /** Used when fping is missing or unusable (default: a PingProber with `count`/`timeoutMs`). */
  fallback?: PingProber;
  logger?: ProbeLogger;
}

export type FpingPrivilege = 'root' | 'setuid-root' | 'cap_net_raw' | 'unknown';

export interface FpingStatus {
  mode: 'fping' | 'ping-fallback';
  path: string | null;
  version: string | null;
  privilege: FpingPrivilege | null;
  /** Why the fallback is in use. */
  reason?: string;
}

/** Outcome of one fping process, exposed for benchmarks and diagnostics. */
export interface FpingRunStats {
  hosts: number;
  durationMs: number;
  exitCode: number | null;
  killed: boolean;
}

const FPING_SEQ_BUDGET = 60_000;

/** Per-call overrides of the echo count and timings (a quick re-probe of silent hosts, say). */
export interface FpingProbeOptions {
  count?: number;
  timeoutMs?: number;
  periodMs?: number;
}

/**
 * Batch ICMP prober: one `fping -C` process probes a chunk of hosts fed on stdin. Falls back to
 * {@link PingProber} (with a single warning) when fping is missing or cannot open its ICMP socket.
 */
export class FpingProber {
  private readonly count: number;
  private readonly timeoutMs: number;
  private readonly periodMs: number;
  private readonly intervalMs: number;
  private readonly maxHostsPerProcess: number;
  private readonly concurrency: number;
  private readonly logger: ProbeLogger;
  private readonly fallback: PingProber;
  private detection: Promise<FpingStatus> | null = null;
  private lastRuns: FpingRunStats[] = [];
  private launcher: FpingLauncher | null;

  constructor(private readonly options: FpingProberOptions = {}) {
    this.count = checkNumber(options.count ?? 3, 'count', 1, 1000, true);
    this.timeoutMs = checkNumber(options.timeoutMs ?? 1000, 'timeoutMs', 1, 60_000, true);
    this.periodMs = checkNumber(options.periodMs ?? 1000, 'periodMs', 10, 600_000, true);
    this.intervalMs = checkNumber(options.intervalMs ?? 0.1, 'intervalMs', 0, 10_000, false);
    this.maxHostsPerProcess = checkNumber(
      options.maxHostsPerProcess ?? Math.floor(FPING_SEQ_BUDGET / this.count),
      'maxHostsPerProcess',
      1,
      1_000_000,
      true,
    );
    this.concurrency = checkNumber(options.concurrency ?? 1, 'concurrency', 1, 64, true);
    this.logger = options.logger ?? silentProbeLogger;
    this.launcher = options.helperShell === false ? null : new FpingLauncher();
    this.fallback =
      options.fallback ?? new PingProber({ count: this.count, timeoutMs: this.timeoutMs, logger: this.logger });
  }

  /** Resolves (once) which implementation is used; never throws. */
  status(): Promise<FpingStatus> {
    this.detection ??= this.detect();
    return this.detection;
  }

  /** Per-process stats of the last {@link probe} call. */
  lastRunStats(): readonly FpingRunStats[] {
    return this.lastRuns;
  }

  /**
   * Probes every host once per call (`count` echoes each). Results come back in input order, one per
   * input entry (duplicates share one probe). Never throws: unprobeable hosts carry `error`.
   */
  async probe(hosts: readonly string[], options: FpingProbeOptions = {}): Promise<PingResult[]> {
    const status = await this.status();
    const timing = this.timing(options);
    const unique = [...new Set(hosts)];
    const valid = unique.filter(isProbeableHost);
    const byHost = new Map<string, PingResult>();
    for (const h of unique) if (!isProbeableHost(h)) byHost.set(h, failedPingResult(h, 'invalid host'));

    if (status.mode === 'ping-fallback') {
      const results = await this.fallback.probeMany(valid, { count: timing.count, timeoutMs: timing.timeoutMs });
      results.forEach((r) => byHost.set(r.host, r));
    } else {
      const chunks: string[][] = [];
      const perProcess = Math.min(this.maxHostsPerProcess, Math.floor(FPING_SEQ_BUDGET / timing.count));
      for (let i = 0; i < valid.length; i += perProcess) chunks.push(valid.slice(i, i + perProcess));
      const runs: FpingRunStats[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < chunks.length) {
          const chunk = chunks[next++];
          const { results, stats, crashed } = await this.runFping(status.path as string, chunk, timing);
          runs.push(stats);
          if (crashed) {
            // fping itself failed, not the hosts: ask ping instead of reporting them all down
            const retried = await this.fallback.probeMany(chunk, { count: timing.count, timeoutMs: timing.timeoutMs });
            retried.forEach((r) => byHost.set(r.host, r));
            this.noteCrash(status, crashed);
          } else {
            this.consecutiveCrashes = 0;
            results.forEach((r) => byHost.set(r.host, r));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency, chunks.length) }, worker));
      this.lastRuns = runs;
    }
    return hosts.map((h) => byHost.get(h) ?? failedPingResult(h, 'not probed'));
  }

  /** fping command-line arguments for one run (hosts go on stdin). */
  buildArgs(options: FpingProbeOptions = {}): string[] {
    const { count, timeoutMs, periodMs } = this.timing(options);
    return [
      '-C',
      String(count),
      '-q',
      '-t',
      String(timeoutMs),
      '-p',
      String(periodMs),
      '-i',
      String(this.intervalMs),
      '-r',
      '0',
      '-B',
      '1',
    ];
  }

  private timing(options: FpingProbeOptions): Required<FpingProbeOptions> {
    return {
      count: options.count === undefined ? this.count : checkNumber(options.count, 'count', 1, 1000, true),
      timeoutMs:
        options.timeoutMs === undefined ? this.timeoutMs : checkNumber(options.timeoutMs, 'timeoutMs', 1, 60_000, true),
      periodMs:
        options.periodMs === undefined ? this.periodMs : checkNumber(options.periodMs, 'periodMs', 10, 600_000, true),
    };
  }

  /** After this many failed fping runs in a row, the prober switches to ping for good (health says so). */
  static readonly MAX_CONSECUTIVE_CRASHES = 3;
  private consecutiveCrashes = 0;

  private noteCrash(status: FpingStatus, reason: string): void {
    this.consecutiveCrashes++;
    if (this.consecutiveCrashes < FpingProber.MAX_CONSECUTIVE_CRASHES || status.mode !== 'fping') return;
    this.detection = Promise.resolve(
      this.useFallback(
        status.path,
        status.version,
        status.privilege,
        `fping failed ${this.consecutiveCrashes} runs in a row (last: ${reason})`,
      ),
    );
  }

  /** One fping process spawned from this process (no helper shell). */
  private spawnFping(path: string, args: string[], hosts: string[], deadlineMs: number): Promise<FpingRunOutput> {
    return new Promise<FpingRunOutput>((resolve) => {
      const chunks: Buffer[] = [];
      let killed = false;
      let settled = false;
      const child = spawn(path, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      // Listen for 'error' first: when spawning fails (EMFILE, ENOMEM) the pipes may be missing.
      child.on('error', (err) => finish(null, err.message));
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, deadlineMs);
      const finish = (code: number | null, spawnError?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ text: Buffer.concat(chunks).toString('utf8'), code, killed, spawnError });
      };
      if (!child.stdout || !child.stderr || !child.stdin) return; // 'error' follows and settles
      child.stdout.on('data', (b: Buffer) => chunks.push(b));
      child.stderr.on('data', (b: Buffer) => chunks.push(b));
      child.on('close', (code) => finish(code));
      child.stdin.on('error', () => undefined); // EPIPE when fping exits early; reported via exit code
      child.stdin.end(hosts.join('\n') + '\n');
    });
  }

  /** Stops the helper shells (the prober still works afterwards, spawning fping directly). */
  close(): void {
    this.launcher?.close();
    this.launcher = null;
  }

  private async runFping(
    path: string,
    hosts: string[],
    timing: Required<FpingProbeOptions>,
  ): Promise<{ results: PingResult[]; stats: FpingRunStats; crashed?: string }> {
    const started = process.hrtime.bigint();
    const { count } = timing;
    const expectedMs = (count - 1) * timing.periodMs + timing.timeoutMs + hosts.length * count * this.intervalMs;
    const deadlineMs = Math.ceil(expectedMs * 2 + 10_000);
    const args = this.buildArgs(timing);
    let out = this.launcher
      ? await this.launcher.run({ path, args, hosts, deadlineMs })
      : await this.spawnFping(path, args, hosts, deadlineMs);
    // the helper shell could not be started or died: this run goes the direct way
    if (out.spawnError && this.launcher) out = await this.spawnFping(path, args, hosts, deadlineMs);
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const stats: FpingRunStats = { hosts: hosts.length, durationMs, exitCode: out.code, killed: out.killed };
    if (out.spawnError) {
      this.logger.warn({ path, err: out.spawnError }, 'fping could not be started');
      return {
        results: hosts.map((h) => failedPingResult(h, `fping could not be started: ${out.spawnError}`)),
        stats,
        crashed: `could not be started: ${out.spawnError}`,
      };
    }
    const parsed = parseFpingOutput(out.text, count);
    const fatal = out.killed
      ? 'fping killed after deadline'
      : out.code !== null && out.code >= 3
        ? fpingFailure(parsed.ignored, out.code)
        : null;
    if (fatal) this.logger.warn({ hosts: hosts.length, exitCode: out.code, reason: fatal }, 'fping run failed');
    else if (parsed.ignored.length > 0)
      this.logger.debug({ lines: parsed.ignored.slice(0, 20), total: parsed.ignored.length }, 'fping extra output');
    const results = hosts.map((host) => {
      const samples = parsed.samples.get(host);
      if (samples) return summarizePingSamples(host, samples, count);
      return failedPingResult(host, fatal ?? 'no result from fping (unresolvable name?)');
    });
    this.logger.debug(
      { hosts: hosts.length, durationMs: Math.round(durationMs), exitCode: out.code },
      'fping run done',
    );
    // ended by a signal we did not send (segfault, OOM killer), or a fatal error of its own
    const crashed =
      out.code === null && !out.killed ? 'ended by a signal' : out.code !== null && out.code >= 3 ? fatal : null;
    return { results, stats, crashed: crashed ?? undefined };
  }

  private async detect(): Promise<FpingStatus> {
    const path = this.options.fpingPath ?? findExecutable('fping', this.options.searchDirs ?? defaultSearchDirs());
    if (!path || !isExecutable(path)) {
      return this.useFallback(path ?? null, null, null, path ? `${path} is not executable` : 'fping not found');
    }
    const privilege = await detectPrivilege(path);
    const version = await runQuick(path, ['-v']).then((r) => /Version\s+(\S+)/i.exec(r.output)?.[1] ?? null);
    // Self-test against loopback: proves the ICMP socket can be opened with this binary and user.
    const test = await runQuick(path, ['-C', '1', '-q', '-t', '500', '127.0.0.1']);
    const ok = parseFpingOutput(test.output, 1).samples.get('127.0.0.1')?.[0];
    if (typeof ok !== 'number') {
      return this.useFallback(
        path,
        version,
        privilege,
        `fping self-test failed: ${test.output.trim().slice(0, 200) || `exit ${test.code}`}`,
      );
    }
    const status: FpingStatus = { mode: 'fping', path, version, privilege };
    this.logger.info({ ...status }, 'fping prober ready');
    return status;
  }

  private useFallback(
    path: string | null,
    version: string | null,
    privilege: FpingPrivilege | null,
    reason: string,
  ): FpingStatus {
    this.logger.warn(
      { path, reason },
      'fping unusable, falling back to system ping (one process per host, much slower)',
    );
    return { mode: 'ping-fallback', path, version, privilege, reason };
  }
}

function checkNumber(value: number, name: string, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${value}`);
  }
  return value;
}

function fpingFailure(lines: string[], code: number): string {
  const msg = lines.find((l) => /fping/i.test(l)) ?? lines[0] ?? '';
  return `fping exited with ${code}${msg ? `: ${msg.slice(0, 200)}` : ''}`;
}

/** Fixed list (process.env is only read by the config lib; pass `fpingPath` to override). */
function defaultSearchDirs(): string[] {
  return ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
}

export function findExecutable(name: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function detectPrivilege(path: string): Promise<FpingPrivilege> {
  if (process.getuid?.() === 0) return 'root';
  try {
    const st = statSync(path);
    if ((st.mode & 0o4000) !== 0 && st.uid === 0) return 'setuid-root';
  } catch {
    return 'unknown';
  }
  const getcap = findExecutable('getcap', ['/usr/sbin', '/sbin', '/usr/bin', '/bin']);
  if (getcap) {
    const r = await runQuick(getcap, [path]);
    if (/cap_net_raw/.test(r.output)) return 'cap_net_raw';
  }
  return 'unknown';
}

function runQuick(file: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 5000 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as NodeJS.ErrnoException).code === 'number'
          ? Number((err as NodeJS.ErrnoException).code)
          : null
        : 0;
      resolve({ code, output: `${stdout}${stderr}` || (err ? errorMessage(err) : '') });
    });
  });
}
