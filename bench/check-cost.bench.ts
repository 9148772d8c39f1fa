/**
 * Cost of a ping check, all included: the whole service (API, poller, measurement writer) in this process
 * with its embedded PostgreSQL, N loopback hosts (127.1.x.y) imported through the API and pinged every
 * BENCH_COST_INTERVAL_SEC. Over the measured window it reads CPU-seconds, not wall time (the machine may be
 * shared): this process (`process.cpuUsage`), the fping processes it ran (reaped children: cutime/cstime of
 * /proc/self/stat, plus the helper shells that start fping and what they reaped) and every PostgreSQL process of the embedded cluster (utime+stime+cutime+cstime of the
 * postmaster and its live children, from /proc). Checks are the device samples stored in the window.
 *
 *   npm run bench:check-cost      (BENCH_COST_DEVICES=1000, BENCH_COST_INTERVAL_SEC=20,
 *                                  BENCH_COST_WARMUP_SEC=45, BENCH_COST_MEASURE_SEC=120; needs fping;
 *                                  BENCH_COST_PROFILE_DIR: a CPU profile of the measured window there)
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Session } from 'node:inspector/promises';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig } from '@netdesk/config';
import { startDatabase } from '@netdesk/database';
import { createServerApp } from '../apps/server/src/server-app';

const env = process.env;
const DEVICES = Number(env.BENCH_COST_DEVICES ?? 1000);
const INTERVAL_SEC = Number(env.BENCH_COST_INTERVAL_SEC ?? 20);
const WARMUP_SEC = Number(env.BENCH_COST_WARMUP_SEC ?? 45);
const MEASURE_SEC = Number(env.BENCH_COST_MEASURE_SEC ?? 120);
const ADMIN = { email: 'bench@netdesk.test', password: 'bench-password-1' };
const TICK_HZ = 100; // USER_HZ on Linux

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, seconds */
  own: number;
  /** cutime + cstime (reaped children), seconds */
  children: number;
}

function readStat(pid: number | 'self'): ProcStat | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const f = text.slice(close + 2).split(' '); // f[0] is field 3 (state)
    return {
      pid: Number(text.slice(0, text.indexOf(' '))),
      ppid: Number(f[1]),
      comm,
      own: (Number(f[11]) + Number(f[12])) / TICK_HZ,
      children: (Number(f[13]) + Number(f[14])) / TICK_HZ,
    };
  } catch {
    return null; // gone
  }
}

/** Every process below `root` (children, grandchildren, ...). */
function descendants(root: number): ProcStat[] {
  const all = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readStat(Number(d)))
    .filter((s): s is ProcStat => s !== null);
  const byParent = new Map<number, ProcStat[]>();
  for (const s of all) byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), s]);
  const out: ProcStat[] = [];
  const stack = [...(byParent.get(root) ?? [])];
  while (stack.length) {
    const s = stack.pop()!;
    out.push(s);
    stack.push(...(byParent.get(s.pid) ?? []));
  }
  return out;
}

interface CpuSnapshot {
  server: number;
  fping: number;
  postgres: number;
}

function cpuSnapshot(): CpuSnapshot {
  const u = process.cpuUsage();
  const self = readStat('self')!;
  const below = descendants(process.pid);
  const isPostgres = (s: ProcStat) => s.comm.startsWith('postgres') || s.comm.startsWith('postmaster');
  const sum = (xs: ProcStat[]) => xs.reduce((n, s) => n + s.own + s.children, 0);
  // fping: the runs this process reaped, plus the helper shells that start it (and the runs they reaped)
  const helpers = below.filter((s) => !isPostgres(s) && !below.some((p) => p.pid === s.ppid && isPostgres(p)));
  return {
    server: (u.user + u.system) / 1e6,
    fping: self.children + sum(helpers),
    postgres: sum(below.filter(isPostgres)),
  };
}

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-check-cost-bench-'));
  fs.chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as another user when we are root
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined } as never;
  const db = await startDatabase({ dataDir, log: quiet });
  const config = loadConfig({
    NETDESK_DATA_DIR: dataDir,
    NETDESK_ADMIN_EMAIL: ADMIN.email,
    NETDESK_ADMIN_PASSWORD: ADMIN.password,
    NETDESK_TRAP_PORT: String(20_000 + (process.pid % 20_000)),
    LOG_LEVEL: 'error',
  });
  const app = await createServerApp(config, db.url, false);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    const login = (await (
      await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(ADMIN),
      })
    ).json()) as { accessToken: string };
    const rows = ['name,host,pollIntervalSec'];
    for (let i = 0; i < DEVICES; i++)
      rows.push(`loop-${i},127.1.${Math.floor(i / 250)}.${(i % 250) + 1},${INTERVAL_SEC}`);
    const imported = await fetch(`${base}/api/devices/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${login.accessToken}`, 'Content-Type': 'text/csv' },
      body: rows.join('\n'),
    });
    if (!imported.ok) throw new Error(`import: ${imported.status} ${await imported.text()}`);
    console.log(`${DEVICES} devices every ${INTERVAL_SEC} s: warm-up ${WARMUP_SEC} s, measuring ${MEASURE_SEC} s ...`);
    await sleep(WARMUP_SEC * 1000);

    const count = async (from: Date, to: Date) =>
      Number(
        (
          await pg.query<{ n: string }>('SELECT count(*) AS n FROM device_samples WHERE at >= $1 AND at < $2', [
            from,
            to,
          ])
        ).rows[0].n,
      );
    const profiler = env.BENCH_COST_PROFILE_DIR ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const t0 = new Date();
    const c0 = cpuSnapshot();
    await sleep(MEASURE_SEC * 1000);
    const c1 = cpuSnapshot();
    const t1 = new Date();
    if (profiler) {
      const { profile } = await profiler.post('Profiler.stop');
      const file = path.join(env.BENCH_COST_PROFILE_DIR!, `check-cost-${DEVICES}-${Date.now()}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      profiler.disconnect();
      console.log(`  CPU profile of the window: ${file}`);
    }
    await sleep(3000); // let the writer flush the window's last samples
    const checks = await count(t0, t1);
    const up = Number(
      (await pg.query<{ n: string }>("SELECT count(*) AS n FROM devices WHERE status = 'up'")).rows[0].n,
    );
    const per1k = (x: number) => ((x / checks) * 1000).toFixed(3);
    const d = { server: c1.server - c0.server, fping: c1.fping - c0.fping, postgres: c1.postgres - c0.postgres };
    const total = d.server + d.fping + d.postgres;
    const wall = (t1.getTime() - t0.getTime()) / 1000;
    console.log(`\n${DEVICES} devices, ${INTERVAL_SEC} s interval, ${wall.toFixed(0)} s measured (${up} up):`);
    console.log(
      `  checks stored ${checks} (${(checks / wall).toFixed(1)}/s, expected ${(DEVICES / INTERVAL_SEC).toFixed(1)}/s)`,
    );
    console.log(
      '| devices | checks/s | server CPU-s | fping CPU-s | PostgreSQL CPU-s | CPU-s per 1,000 checks (server / fping / db) | % of a core |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(
      `| ${DEVICES.toLocaleString('en')} | ${(checks / wall).toFixed(1)} | ${d.server.toFixed(2)} | ${d.fping.toFixed(2)} | ${d.postgres.toFixed(2)} | **${per1k(total)}** (${per1k(d.server)} / ${per1k(d.fping)} / ${per1k(d.postgres)}) | ${((total / wall) * 100).toFixed(2)} % |`,
    );
  } finally {
    await pg.end().catch(() => undefined);
    await app.close();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
