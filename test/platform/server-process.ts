import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

export const SERVER_MAIN = path.resolve(__dirname, '../../dist/apps/server/src/main.js');

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
    const collect = (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(env: Record<string, string>): ServerProcess & { port: number } {
    const port = Number(env.PORT);
    const child = spawn(process.execPath, [SERVER_MAIN], {
      env: { PATH: process.env.PATH ?? '', ...env },
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
