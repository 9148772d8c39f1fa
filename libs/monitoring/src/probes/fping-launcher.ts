import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** What one fping run gave back: its output (stdout and stderr together) and how it ended. */
export interface FpingRunOutput {
  text: string;
  code: number | null;
  killed: boolean;
  spawnError?: string;
}

export interface FpingRun {
  path: string;
  args: string[];
  hosts: string[];
  deadlineMs: number;
}

/**
 * Starts fping processes through a few long-lived `/bin/sh` helpers instead of from this process.
 *
 * Node's `spawn` forks the whole server (hundreds of MiB of page tables to copy) for every fping run:
 * with a run every tick that fork was two thirds of the poller's CPU at 1,000 devices. A shell forks
 * itself (about a MiB) and execs fping, so a run costs what fping costs. Each helper runs one fping
 * at a time (the hosts go in as a here-document, the exit status comes back after a marker line);
 * runs in parallel take more helpers, started on demand and kept while idle. A helper that dies fails
 * only its run in progress; the next run starts a new helper.
 */
export class FpingLauncher {
  private readonly idle: ShellHelper[] = [];
  private readonly all = new Set<ShellHelper>();
  private closed = false;

  constructor(
    private readonly shell = '/bin/sh',
    private readonly maxIdle = 8,
  ) {}

  async run(run: FpingRun): Promise<FpingRunOutput> {
    if (this.closed) return { text: '', code: null, killed: false, spawnError: 'fping launcher closed' };
    let helper = this.idle.pop();
    while (helper && !helper.alive) helper = this.idle.pop();
    if (!helper) {
      helper = new ShellHelper(this.shell);
      this.all.add(helper);
      helper.onExit = () => this.all.delete(helper!);
    }
    try {
      return await helper.run(run);
    } finally {
      if (helper.alive && !this.closed && this.idle.length < this.maxIdle) this.idle.push(helper);
      else helper.close();
    }
  }

  /** Helpers alive (for diagnostics and tests). */
  get size(): number {
    return this.all.size;
  }

  close(): void {
    this.closed = true;
    for (const h of this.all) h.close();
    this.idle.length = 0;
  }
}

class ShellHelper {
  alive = true;
  onExit?: () => void;
  private readonly child: ChildProcess;
  private readonly token = randomBytes(8).toString('hex');
  private buffer = '';
  private pending?: {
    resolve: (out: FpingRunOutput) => void;
    pid?: number;
    killed: boolean;
    timer?: NodeJS.Timeout;
  };
  private startError?: string;

  constructor(shell: string) {
    this.child = spawn(shell, ['-s'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.on('error', (err) => {
      this.startError = err.message;
      this.exited();
    });
    this.child.on('exit', () => this.exited());
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.onData(chunk));
    this.child.stdin?.on('error', () => undefined); // EPIPE when the shell died; 'exit' reports it
    this.child.unref();
    (this.child.stdout as unknown as { unref?: () => void })?.unref?.();
    (this.child.stdin as unknown as { unref?: () => void })?.unref?.();
  }

  run(run: FpingRun): Promise<FpingRunOutput> {
    return new Promise<FpingRunOutput>((resolve) => {
      if (!this.alive || !this.child.stdin) {
        resolve({ text: '', code: null, killed: false, spawnError: this.startError ?? 'fping helper shell exited' });
        return;
      }
      const pending: NonNullable<ShellHelper['pending']> = { resolve, killed: false };
      this.pending = pending;
      this.buffer = '';
      pending.timer = setTimeout(() => {
        pending.killed = true;
        if (pending.pid) killQuietly(pending.pid);
      }, run.deadlineMs);
      const t = this.token;
      const eof = `__NETDESK_EOF_${t}`;
      // fping in the background so its pid is known (the deadline kills it), then its exit status
      this.child.stdin.write(
        `${[run.path, ...run.args].map(shellQuote).join(' ')} 2>&1 <<'${eof}' &\n${run.hosts.join('\n')}\n${eof}\n` +
          `echo "__NETDESK_PID_${t} $!"\nwait $!\necho "__NETDESK_DONE_${t} $?"\n`,
      );
    });
  }

  close(): void {
    if (!this.alive) return;
    this.child.stdin?.end();
    this.child.kill('SIGTERM');
  }

  private onData(chunk: string): void {
    const pending = this.pending;
    if (!pending) return;
    this.buffer += chunk;
    const pidMarker = `__NETDESK_PID_${this.token} `;
    if (pending.pid === undefined) {
      const at = this.buffer.indexOf(pidMarker);
      if (at >= 0) {
        const end = this.buffer.indexOf('\n', at);
        if (end >= 0) {
          pending.pid = Number(this.buffer.slice(at + pidMarker.length, end));
          this.buffer = this.buffer.slice(0, at) + this.buffer.slice(end + 1);
          if (pending.killed) killQuietly(pending.pid);
        }
      }
    }
    const doneMarker = `__NETDESK_DONE_${this.token} `;
    const at = this.buffer.indexOf(doneMarker);
    if (at < 0) return;
    const end = this.buffer.indexOf('\n', at);
    if (end < 0) return;
    const status = Number(this.buffer.slice(at + doneMarker.length, end));
    const text = this.buffer.slice(0, at);
    this.buffer = '';
    this.pending = undefined;
    clearTimeout(pending.timer);
    // a shell reports death by signal as 128 + the signal; fping itself exits 0-4
    pending.resolve({ text, code: status >= 128 ? null : status, killed: pending.killed });
  }

  private exited(): void {
    if (!this.alive) return;
    this.alive = false;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      if (pending.pid) killQuietly(pending.pid);
      pending.resolve({
        text: this.buffer,
        code: null,
        killed: pending.killed,
        spawnError: this.startError ?? 'fping helper shell exited',
      });
    }
    this.onExit?.();
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Single-quotes one word for sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
