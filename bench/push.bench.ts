/**
 * Live push benchmark: how fast do status changes reach 1,000 connected dashboards?
 *
 *   npm run bench:push                     (embedded PostgreSQL in a temp dir, or DATABASE_URL's server)
 *
 * This process is the server (the whole NetDesk app, listening on a random port). The socket.io clients
 * run in child processes, so their CPU is not billed to the server. Once every client has its snapshot,
 * the server publishes `device_status` changes on its EventBus at a steady rate (as the poller's store
 * does after a commit), each stamped with its publish time in `at`; clients record publish-to-receipt
 * latency in a 1 ms histogram. Server CPU and RSS are sampled over the measuring window. Each mode
 * (contract events, or `batch: true` frames) runs with fresh clients.
 *
 * Environment (all optional):
 *   BENCH_PUSH_CLIENTS     default 1000        BENCH_PUSH_CHILDREN  client processes, default 4
 *   BENCH_PUSH_RATE        changes/s, 200      BENCH_PUSH_SECONDS   measuring window, 30 (after 3 s warm-up)
 *   BENCH_PUSH_DEVICES     inventory size, 500 BENCH_PUSH_MODES     default "events,batch"
 *   DATABASE_URL           a PostgreSQL server to create a scratch database on (else embedded)
 *   NETDESK_LIVE_WINDOW_MS the feed's coalescing window, as in production (default 25)
 *   BENCH_PUSH_PROFILE_DIR write a CPU profile of the server over each measuring window there
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { Session } from 'node:inspector/promises';
import { Client } from 'pg';
import { loadConfig } from '@netdesk/config';
import { EventBus } from '@netdesk/core';
import { startDatabase } from '@netdesk/database';
import { MONITORING_EVENTS } from '@netdesk/monitoring';
import { createRootLogger } from '@netdesk/observability';
import { createServerApp } from '../apps/server/src/server-app';
import { LiveFeedService } from '@netdesk/realtime';
import { HIST_MS, type FromChild, type Mode, type ToChild } from './push-bench.client';

// ------------------------------------------------------------------------------------ server (this process)

function percentile(hist: number[], p: number): number {
  const total = hist.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let ms = 0; ms < hist.length; ms++) {
    seen += hist[ms];
    if (seen >= total * p) return ms;
  }
  return hist.length - 1;
}

function request<T extends FromChild['type']>(child: ChildProcess, message: ToChild, type: T) {
  return new Promise<Extract<FromChild, { type: T }>>((resolve, reject) => {
    const onMessage = (m: FromChild) => {
      if (m.type === 'error') reject(new Error(m.message));
      else if (m.type === type) resolve(m as Extract<FromChild, { type: T }>);
      else return;
      child.off('message', onMessage);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

interface Row {
  mode: Mode;
  clients: number;
  rate: number;
  seconds: number;
  connectMs: number;
  p50: number;
  p99: number;
  max: number;
  delivered: number;
  expected: number;
  frames: number;
  flushesPerSec: number;
  serverCpuCores: number;
  rssStartMb: number;
  rssMaxMb: number;
  clientCpuCores: number;
  disconnects: number;
}

async function main(): Promise<void> {
  const env = process.env;
  const clients = Number(env.BENCH_PUSH_CLIENTS ?? 1000);
  const childCount = Number(env.BENCH_PUSH_CHILDREN ?? 4);
  const rate = Number(env.BENCH_PUSH_RATE ?? 200);
  const seconds = Number(env.BENCH_PUSH_SECONDS ?? 30);
  const deviceCount = Number(env.BENCH_PUSH_DEVICES ?? 500);
  const modes = (env.BENCH_PUSH_MODES ?? 'events,batch').split(',') as Mode[];

  Logger.overrideLogger(false);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netdesk-bench-push-'));
  let dbUrl: string;
  let cleanup: () => Promise<void>;
  if (env.DATABASE_URL) {
    const name = `nd_bench_push_${process.pid}`;
    const admin = new Client({ connectionString: env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(env.DATABASE_URL);
    url.pathname = `/${name}`;
    dbUrl = url.toString();
    cleanup = async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    };
  } else {
    const db = await startDatabase({ dataDir, log: createRootLogger('warn') });
    dbUrl = db.url;
    cleanup = () => db.stop();
  }

  const password = randomBytes(12).toString('hex');
  const config = loadConfig({
    NETDESK_DATA_DIR: dataDir,
    NETDESK_ADMIN_EMAIL: 'bench@netdesk.test',
    NETDESK_ADMIN_PASSWORD: password,
    NETDESK_POLLER: 'false',
    LOG_LEVEL: 'silent',
    NETDESK_LIVE_WINDOW_MS: process.env.NETDESK_LIVE_WINDOW_MS,
  });
  const app = await createServerApp(config, dbUrl, false);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const rows: Row[] = [];
  try {
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'bench@netdesk.test', password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const pg = new Client({ connectionString: dbUrl });
    await pg.connect();
    const deviceIds: string[] = (
      await pg.query(
        `INSERT INTO devices (name, host) SELECT 'bench-' || i, 'bench-' || i || '.example'
           FROM generate_series(1, $1) i RETURNING id`,
        [deviceCount],
      )
    ).rows.map((r: { id: string }) => r.id);
    await pg.end();
    const bus = app.get(EventBus);
    const profileDir = env.BENCH_PUSH_PROFILE_DIR;
    const profiler = profileDir ? new Session() : null;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
    }
    const status = new Map<string, string>();

    for (const mode of modes) {
      const children = Array.from({ length: childCount }, () =>
        fork(path.join(__dirname, 'push-bench.client.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
      );
      const per = children.map((_, i) => Math.floor(clients / childCount) + (i < clients % childCount ? 1 : 0));
      const ready = await Promise.all(
        children.map((c, i) => request(c, { type: 'connect', url, token: accessToken, count: per[i], mode }, 'ready')),
      );
      const connectMs = Math.max(...ready.map((r) => r.connectMs));
      process.stderr.write(`${mode}: ${clients} clients connected in ${connectMs} ms; measuring ${seconds} s\n`);

      let published = 0;
      let measuring = false;
      let measuredPublished = 0;
      let tick = 0;
      const publishOne = () => {
        const deviceId = deviceIds[tick++ % deviceIds.length];
        const from = status.get(deviceId) ?? 'unknown';
        const to = from === 'up' ? 'down' : 'up';
        status.set(deviceId, to);
        bus.publish(MONITORING_EVENTS.deviceStatus, {
          kind: 'device_status',
          deviceId,
          from,
          to,
          reason: null,
          causes: [],
          at: new Date(),
          historyId: tick,
        });
        published += 1;
        if (measuring) measuredPublished += 1;
      };
      const warmupMs = 3000;
      const started = Date.now();
      let cpu0 = process.cpuUsage();
      let flushes0 = 0;
      let rssStart = 0;
      let rssMax = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const elapsed = Date.now() - started;
          const due = Math.floor((elapsed * rate) / 1000);
          while (published < due) publishOne();
          if (!measuring && elapsed >= warmupMs) {
            measuring = true;
            cpu0 = process.cpuUsage();
            flushes0 = app.get(LiveFeedService).stats.flushes;
            if (profiler) void profiler.post('Profiler.start');
            rssStart = rssMax = process.memoryUsage().rss;
            for (const c of children) c.send({ type: 'reset' });
          }
          if (measuring) rssMax = Math.max(rssMax, process.memoryUsage().rss);
          if (elapsed >= warmupMs + seconds * 1000) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      });
      const cpu = process.cpuUsage(cpu0);
      const flushes = app.get(LiveFeedService).stats.flushes - flushes0;
      if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        fs.writeFileSync(path.join(profileDir!, `push-${mode}.cpuprofile`), JSON.stringify(profile));
      }
      await new Promise((r) => setTimeout(r, 500)); // let the last window arrive
      const reports = await Promise.all(children.map((c) => request(c, { type: 'report' }, 'report')));
      const hist = new Array<number>(HIST_MS + 1).fill(0);
      for (const r of reports) r.hist.forEach((n, ms) => (hist[ms] += n));
      const delivered = reports.reduce((a, r) => a + r.received, 0);
      const maxMs = hist.reduce((m, n, ms) => (n > 0 ? ms : m), 0);
      rows.push({
        mode,
        clients,
        rate,
        seconds,
        connectMs,
        p50: percentile(hist, 0.5),
        p99: percentile(hist, 0.99),
        max: maxMs,
        delivered,
        expected: measuredPublished * clients,
        frames: reports.reduce((a, r) => a + r.frames, 0),
        flushesPerSec: flushes / seconds,
        serverCpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
        rssStartMb: rssStart / 2 ** 20,
        rssMaxMb: rssMax / 2 ** 20,
        clientCpuCores: reports.reduce((a, r) => a + r.cpuUs, 0) / 1e6 / seconds,
        disconnects: reports.reduce((a, r) => a + r.disconnects, 0),
      });
      await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await app.close();
    await cleanup();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const cores = os.cpus().length;
  console.log(
    `\nLive push: ${os.cpus()[0]?.model ?? 'cpu'} x${cores}, Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, window ${config.live.windowMs} ms\n`,
  );
  console.log(
    '| mode | clients | changes/s | p50 | p99 | max | delivered / expected | windows/s | frames/s per client | server CPU | server RSS | clients CPU |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.mode} | ${r.clients.toLocaleString('en')} | ${r.rate} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms | ` +
        `${r.delivered.toLocaleString('en')} / ${r.expected.toLocaleString('en')} | ${r.flushesPerSec.toFixed(1)} | ` +
        `${(r.frames / r.clients / r.seconds).toFixed(1)} | ${(r.serverCpuCores * 100).toFixed(0)} % of a core | ` +
        `${r.rssStartMb.toFixed(0)} → ${r.rssMaxMb.toFixed(0)} MB | ${(r.clientCpuCores * 100).toFixed(0)} % |`,
    );
  }
  const failed = rows.filter((r) => r.p99 > 100 || r.disconnects > 0);
  console.log(`\nTarget p99 ≤ 100 ms: ${failed.length ? `MISSED (${failed.map((r) => r.mode).join(', ')})` : 'met'}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
