/**
 * What the scale-out bench runs and watches: nats-servers (plain, or hub and leaf from config/nats/), the core
 * and the pollers as real processes from dist/, a WAN link that can be cut (a TCP relay between the leaf node
 * and the hub), and the CPU time of process trees read from /proc.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../test/scale-out/nats-process';

export { freePort };

const ROOT = path.join(__dirname, '..');
const TICKS_PER_SEC = 100; // USER_HZ on Linux
const procs: ChildProcess[] = [];
const dirs: string[] = [];

export function tmpDir(label: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `scalebench-${label}-`));
  dirs.push(d);
  return d;
}

/** A process of the bench's own; its last output lines are kept for error messages. */
export interface Proc {
  child: ChildProcess;
  pid: number;
  tail(): string;
}

function start(label: string, cmd: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(child);
  const out: string[] = [];
  const keep = (d: Buffer) => {
    out.push(String(d));
    if (out.length > 200) out.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('exit', (code, signal) => {
    if (!stopping.has(child))
      process.stderr.write(`${label} exited (${code ?? signal})\n${out.join('').slice(-3000)}\n`);
  });
  return { child, pid: child.pid!, tail: () => out.join('').slice(-3000) };
}

const stopping = new Set<ChildProcess>();

export async function stop(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  stopping.add(p.child);
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 8000);
  await exited;
  clearTimeout(timer);
}

/** Kills whatever is left and removes the temporary directories (on exit, also after a failure). */
export function cleanUp(): void {
  for (const c of procs) {
    stopping.add(c);
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}

export async function waitForPort(port: number, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const c = net.connect(port, '127.0.0.1', () => (c.end(), r(true)));
      c.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${port}`);
}

/** A nats-server with JetStream on a free port. */
export async function startNats(label: string): Promise<Proc & { url: string }> {
  const port = await freePort();
  const p = start(
    `nats-server ${label}`,
    'nats-server',
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', tmpDir(label)],
    {},
  );
  await waitForPort(port, 'nats-server');
  return { ...p, url: `nats://127.0.0.1:${port}` };
}

/**
 * A nats-server from config/nats/<conf> (hub.conf or leaf.conf) with the variables it reads; `edit` rewrites the
 * file's text first (into a copy).
 */
export async function startNatsConf(
  conf: string,
  env: Record<string, string>,
  port: number,
  edit?: (text: string) => string,
): Promise<Proc> {
  let file = path.join(ROOT, '../config/nats', conf);
  if (edit) {
    const copy = path.join(tmpDir('conf'), conf);
    fs.writeFileSync(copy, edit(fs.readFileSync(file, 'utf8')));
    file = copy;
  }
  const p = start(`nats-server ${conf}`, 'nats-server', ['-c', file], env);
  await waitForPort(port, `nats-server ${conf}`);
  return p;
}

/** The core: `npm start` (dist) with NATS_URL and no poller of its own. */
export async function startCore(env: Record<string, string>): Promise<Proc & { port: number }> {
  const port = await freePort();
  const p = start('core', process.execPath, [path.join(ROOT, 'apps/server/src/main.js')], {
    PORT: String(port),
    HOST: '127.0.0.1',
    NETDESK_POLLER: 'false',
    NETDESK_DATA_DIR: tmpDir('core'),
    NETDESK_TRAP_PORT: String(await freePort()),
    NETDESK_TRAP_BIND: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const end = Date.now() + 90_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > end || p.child.exitCode !== null) throw new Error(`the core did not get healthy\n${p.tail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { ...p, port };
}

/** `npm run start:poller` (dist). */
export async function startPoller(name: string, env: Record<string, string>): Promise<Proc> {
  return start(`poller ${name}`, process.execPath, [path.join(ROOT, 'apps/poller/src/main.js')], {
    NETDESK_POLLER_NAME: name,
    NETDESK_DATA_DIR: tmpDir(name),
    NETDESK_TRAP_PORT: String(await freePort()),
    NETDESK_TRAP_BIND: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
  });
}

/**
 * The WAN between a branch's leaf node and the hub: a TCP relay whose `cut()` drops every connection and
 * refuses new ones until `restore()` (to both ends it looks like a link that went dead).
 */
export class CuttableLink {
  private readonly sockets = new Set<net.Socket>();
  private isCut = false;
  private server?: net.Server;
  private constructor(readonly port: number) {}

  static async open(targetPort: number): Promise<CuttableLink> {
    const link = new CuttableLink(await freePort());
    const server = net.createServer((inbound) => {
      if (link.isCut) return inbound.destroy();
      const outbound = net.connect(targetPort, '127.0.0.1');
      for (const s of [inbound, outbound]) {
        link.sockets.add(s);
        s.once('close', () => link.sockets.delete(s));
        s.once('error', () => undefined);
      }
      inbound.pipe(outbound).pipe(inbound);
      inbound.once('close', () => outbound.destroy());
      outbound.once('close', () => inbound.destroy());
    });
    await new Promise<void>((r) => server.listen(link.port, '127.0.0.1', r));
    link.server = server;
    return link;
  }

  cut(): void {
    this.isCut = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.isCut = false;
  }

  close(): void {
    this.cut();
    this.server?.close();
  }
}

/** utime + stime + reaped children's, in seconds, of every process of the trees rooted at `roots`. */
export function treeCpu(roots: number[]): Map<number, number> {
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // fields after the name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
      stats.set(Number(name), { ppid: Number(f[1]), cpu: (+f[11] + +f[12] + +f[13] + +f[14]) / TICKS_PER_SEC });
    } catch {
      // gone meanwhile
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const out = new Map<number, number>();
  const walk = (pid: number) => {
    const s = stats.get(pid);
    if (!s || out.has(pid)) return;
    out.set(pid, s.cpu);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  roots.forEach(walk);
  return out;
}

/** CPU-seconds spent between two `treeCpu` snapshots (processes started meanwhile count whole). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, cpu] of after) sum += cpu - (before.get(pid) ?? 0);
  return sum;
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
