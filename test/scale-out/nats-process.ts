import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A nats-server with JetStream of the test's own, on a free port (the dev machine's 4222 is left alone). */
export async function startNats(label: string): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const store = fs.mkdtempSync(path.join(os.tmpdir(), `nats-${label}-`));
  const proc = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stopProcess(proc);
      fs.rmSync(store, { recursive: true, force: true });
    },
  };
}

/** `npm run start:poller` as its own process (from dist: run `npm run build` first). */
export function startPoller(env: Record<string, string>): ChildProcess & { output: string[] } {
  const main = path.join(__dirname, '../../dist/apps/poller/src/main.js');
  // NETDESK_NETNS (tests only): run it inside that network namespace
  const ns = env.NETDESK_NETNS;
  const proc = spawn(ns ? 'ip' : process.execPath, ns ? ['netns', 'exec', ns, process.execPath, main] : [main], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  proc.output = [];
  proc.stdout!.on('data', (d) => proc.output.push(String(d)));
  proc.stderr!.on('data', (d) => proc.output.push(String(d)));
  return proc;
}

export async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGCONT');
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => (c.end(), r(true)));
      c.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nats-server did not listen on ${port}`);
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A host that never answers and whose probes never leave this machine: an address in the network lab's
 * range, which the lab's guard route (`unreachable 198.18.0.0/15`) rejects locally. Call
 * `ensureDeadHostUnreachable()` once before polling it.
 */
export const DEAD_HOST = '198.19.255.254';
export { ensureGuardRoute as ensureDeadHostUnreachable } from '../lab/lab-registry';
