/**
 * Ingest benchmark: poll results written by the core in-process (MonitoringStore, the single-process product)
 * vs. published by a poller to NATS JetStream and ingested by the core's consumers (scale-out), and the
 * backfill rate after a cut (a backlog already in the streams when the core starts consuming).
 *
 *   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node dist/bench/ingest.bench.js
 *
 * Environment: BENCH_DEVICES (5000), BENCH_REPORTS (20000 live results per mode), BENCH_CHANGES (2000),
 * BENCH_BACKLOG (100000 = 5000 devices x 20 polls: a 10-minute cut at 30 s). Needs nats-server on PATH.
 * CPU is this process's (core, plus in NATS mode the publisher's share: an upper bound for the core alone).
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { loadConfig } from '@netdesk/config';
import { EventBus } from '@netdesk/core';
import { MONITORING_EVENTS, MonitoringStore, MeasurementWriter } from '@netdesk/monitoring';
import type { DevicePollReport, MonitoringChange } from '@netdesk/monitoring';
import { IngestService } from '@netdesk/scale-out';
import { createServerApp } from '../apps/server/src/server-app';
import { JetStreamPollSink } from '../libs/scale-out/src/poller/jetstream-poll-sink';
import { NatsLink } from '../libs/scale-out/src/transport/nats-link';

const DEVICES = Number(process.env.BENCH_DEVICES ?? 5000);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 20000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 2000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100000);

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
const progress = (msg: string) => process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function report(deviceId: string, at: Date): DevicePollReport {
  return {
    deviceId,
    at,
    dueAt: at,
    kind: 'scheduled',
    icmp: { alive: true, rttMs: 1.2, lossPct: 0, jitterMs: 0.1 } as never,
    snmp: null,
    interfaces: null,
    status: 'up',
  };
}
const change = (deviceId: string, at: Date, to: 'up' | 'down'): MonitoringChange => ({
  kind: 'device_status',
  deviceId,
  from: to === 'up' ? 'down' : 'up',
  to,
  reason: 'bench',
  causes: [],
  at,
});

async function main(): Promise<void> {
  Logger.overrideLogger(false);
  const admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const dbName = `bench_ingest_${process.pid}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${dbName}`;
  const natsPort = await freePort();
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-nats-'));
  const nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', store], {
    stdio: 'ignore',
  });
  await sleep(800);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  const rows: string[] = [];
  try {
    const natsUrl = `nats://127.0.0.1:${natsPort}`;
    const config = loadConfig({
      NETDESK_DATA_DIR: dataDir,
      NETDESK_POLLER: 'false',
      NATS_URL: natsUrl,
      NETDESK_BACKFILL_PER_SEC: '100000',
      NETDESK_TRAP_PORT: String(20_000 + (process.pid % 20_000)),
      LOG_LEVEL: 'error',
    });
    // the backlog of a cut: in the streams before the core consumes
    const pub = await NatsLink.connect({ url: natsUrl, name: 'bench-poller', leaseSec: 10 });
    await pub.ensure({ leaseSec: 10, consumers: true });
    const app = await createServerApp(config, url.toString(), false);
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    await db.query(
      `INSERT INTO devices (name, host) SELECT 'bench-' || g, '10.' || (g / 65536) || '.' || (g / 256 % 256) || '.' || (g % 256) FROM generate_series(1, $1) g`,
      [DEVICES],
    );
    progress('devices inserted');
    const ids = ((await db.query(`SELECT id FROM devices ORDER BY name`)).rows as { id: string }[]).map((r) => r.id);
    const origin = { poller: 'bench', group: 'default', epoch: 1 };
    const sink = new JetStreamPollSink(
      () => pub.js,
      () => origin,
    );
    const t0 = Date.now() - 3600_000;
    let sent = 0;
    const backlogStart = Date.now();
    const inflight: Promise<unknown>[] = [];
    for (let i = 0; i < BACKLOG; i++) {
      sink.observe(report(ids[i % ids.length], new Date(t0 + Math.floor(i / ids.length) * 30_000 + (i % 1000))));
      if (++sent % 2000 === 0) await sleep(0);
      while (sink.counters.inFlight > 5000) await sleep(5);
    }
    while (sink.counters.inFlight > 0) await sleep(20);
    await Promise.all(inflight);
    const publishSec = (Date.now() - backlogStart) / 1000;
    progress(`backlog published in ${publishSec}s`);
    const ingest = app.get(IngestService, { strict: false });
    const cpu0 = cpuMs();
    const start = Date.now();
    await app.init();
    while (ingest.counters.observations < BACKLOG) {
      await sleep(1000);
      progress(`ingested ${ingest.counters.observations}`);
    }
    const backfillSec = (Date.now() - start) / 1000;
    progress(`backlog ingested in ${backfillSec}s`);
    rows.push(
      `| backfill after a cut (${BACKLOG.toLocaleString()} results, ${DEVICES.toLocaleString()} devices) | ${Math.round(BACKLOG / backfillSec).toLocaleString()} results/s | ${((cpuMs() - cpu0) / (BACKLOG / 1000)).toFixed(0)} ms | — | — |`,
    );
    rows.push(
      `| (publishing the backlog through JetStream) | ${Math.round(BACKLOG / publishSec).toLocaleString()} results/s | — | — | — |`,
    );

    // live: in-process store vs NATS, observations + status changes, lag poll → committed
    const bus = app.get(EventBus);
    const lags: number[] = [];
    bus.subscribe<{ at: Date; reason: string }>(MONITORING_EVENTS.deviceStatus, (e) => {
      if (e.reason === 'bench') lags.push(Date.now() - new Date(e.at).getTime());
    });
    const storeSvc = app.get(MonitoringStore, { strict: false });
    const writer = app.get(MeasurementWriter, { strict: false });
    for (const mode of ['in-process', 'NATS'] as const) {
      lags.length = 0;
      const c0 = cpuMs();
      const s0 = Date.now();
      const base = Date.now();
      const commits: Promise<void>[] = [];
      const want = ingest.counters.observations + REPORTS;
      for (let i = 0; i < REPORTS; i++) {
        const at = new Date(base + i);
        const r = report(ids[i % ids.length], at);
        if (mode === 'in-process') storeSvc.observe(r);
        else sink.observe(r);
        if (i % (REPORTS / CHANGES) === 0) {
          const c = [change(ids[(i * 7) % ids.length], new Date(), (i / (REPORTS / CHANGES)) % 2 ? 'up' : 'down')];
          commits.push(mode === 'in-process' ? storeSvc.commit(c) : sink.commit(c));
        }
        if (i % 500 === 0) await sleep(1);
      }
      progress(`${mode}: sent`);
      await Promise.all(commits);
      if (mode === 'in-process') {
        await storeSvc.flush();
        await writer.flush();
      } else {
        const deadline = Date.now() + 60_000;
        while ((ingest.counters.observations < want || lags.length < CHANGES) && Date.now() < deadline) await sleep(20);
        progress(`NATS: ${JSON.stringify(ingest.counters)} lags ${lags.length}`);
      }
      while (lags.length < CHANGES && mode === 'in-process') await sleep(20);
      const sec = (Date.now() - s0) / 1000;
      const total = REPORTS + CHANGES;
      rows.push(
        `| live, ${mode} (${REPORTS.toLocaleString()} results + ${CHANGES.toLocaleString()} status changes) | ${Math.round(total / sec).toLocaleString()} results/s | ${((cpuMs() - c0) / (total / 1000)).toFixed(0)} ms | ${pct(lags, 0.5)} ms | ${pct(lags, 0.99)} ms |`,
      );
    }
    await db.end();
    await pub.close();
    await app.close();
  } finally {
    nats.kill();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`| run | throughput | core CPU per 1,000 results | status lag p50 | p99 |`);
  console.log(`|---|---|---|---|---|`);
  for (const r of rows) console.log(r);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
