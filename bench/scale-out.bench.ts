/**
 * Scale-out benchmark with real processes: a nats-server of its own, the core (`npm start` with NATS_URL and
 * no poller of its own) and pollers (`npm run start:poller`), polling loopback addresses (127.0.0.0/8 only).
 *
 *   npm run bench:scale-out   (DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres; needs nats-server, fping)
 *
 * Scenarios (BENCH_SO_SCENARIOS, default `scale:10000,backfill`):
 *  - `scale:N`: two pollers in one group, N devices pinged every BENCH_SO_INTERVAL_SEC (30): per poller polls/s
 *    and CPU-s per 1,000 polls, the core's CPU (and its PostgreSQL backends' and nats-server's) per 1,000 results,
 *    lag from the poll to the committed status change and to the committed measurement.
 *  - `backfill`: a branch (leaf node from config/nats/leaf.conf, its own poller, BENCH_SO_BRANCH_DEVICES 5000
 *    devices every BENCH_SO_BRANCH_INTERVAL_SEC 10 s) behind a WAN link cut for BENCH_SO_CUT_SEC 200 s (the
 *    backlog of a 10-minute cut at 30 s: 20 polls per device), next to a live poller on the hub; then the
 *    catch-up time, the backfill rate, and the live status and measurement lag during the catch-up.
 * Status changes come from a few "flapper" devices whose host the bench switches between a loopback address
 * and DEAD_HOST (rejected locally by the lab's guard route) every BENCH_SO_FLAP_SEC (40) seconds.
 * Devices start as `up` (a running system); the lag is measured by polling PostgreSQL every 250 ms.
 */
import 'reflect-metadata';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { DataSource } from 'typeorm';
import { CORE_CONSUMERS, STREAMS } from '../libs/scale-out/src/transport/envelope';
import { DEAD_HOST, ensureDeadHostUnreachable } from '../test/scale-out/nats-process';
import { withBenchDatabase } from './bench-database';
import {
  cleanUp,
  cpuBetween,
  CuttableLink,
  freePort,
  loadAverage,
  Proc,
  startCore,
  startNats,
  startNatsConf,
  startPoller,
  stop,
  tmpDir,
  treeCpu,
} from './scale-out-bench.processes';

const env = process.env;
const INTERVAL_SEC = Number(env.BENCH_SO_INTERVAL_SEC ?? 30);
const MEASURE_SEC = Number(env.BENCH_SO_MEASURE_SEC ?? 90);
const FLAPPERS = Number(env.BENCH_SO_FLAPPERS ?? 20);
const FLAP_SEC = Number(env.BENCH_SO_FLAP_SEC ?? 40);
const LEASE_SEC = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`${new Date().toISOString().slice(11, 19)} ${msg}`);
const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] : NaN;
const sec = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const fmt = (n: number, d = 0) => n.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d });

/** A distinct loopback address per device: 127.<block>.<i / 250>.<1 + i % 250>. */
const loopback = (block: number, i: number) =>
  `127.${block + Math.floor(i / 62_500)}.${Math.floor(i / 250) % 250}.${1 + (i % 250)}`;

async function insertDevices(
  ds: DataSource,
  prefix: string,
  count: number,
  block: number,
  intervalSec: number,
  siteId: string | null,
): Promise<{ id: string; host: string }[]> {
  const hosts = Array.from({ length: count }, (_, i) => loopback(block, i));
  return ds.query(
    `INSERT INTO devices (name, host, poll_interval_sec, site_id, status)
       SELECT $1::text || '-' || n, h, $2::int, $3::uuid, 'up' FROM unnest($4::text[]) WITH ORDINALITY AS t(h, n) RETURNING id, host`,
    [prefix, intervalSec, siteId, hosts],
  );
}

/** Switches every flapper between its address and DEAD_HOST, half of them at a time, every FLAP_SEC / 2. */
function flap(ds: DataSource, flappers: { id: string; host: string }[]): () => Promise<void> {
  let stopped = false;
  let turn = 0;
  const dead = new Set<string>();
  const loop = (async () => {
    while (!stopped) {
      const half = flappers.filter((_, i) => i % 2 === turn % 2);
      for (const f of half) {
        const goDead = !dead.has(f.id);
        if (goDead) dead.add(f.id);
        else dead.delete(f.id);
        await ds.query(`UPDATE devices SET host = $2, updated_at = now() WHERE id = $1`, [
          f.id,
          goDead ? deadHostFor(flappers.indexOf(f)) : f.host,
        ]);
      }
      turn++;
      for (let t = 0; t < FLAP_SEC / 2 && !stopped; t++) await sleep(1000);
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** DEAD_HOST for the first flapper, then others of the guarded range (hosts are unique; all rejected locally). */
const deadHostFor = (i: number) => (i === 0 ? DEAD_HOST : `198.19.254.${1 + i}`);

/** Lag from poll to commit: status changes (every one) and measurements (of the tracked devices). */
class LagWatch {
  status: { at: number; lag: number }[] = [];
  samples: { at: number; lag: number }[] = [];
  private lastId = 0;
  private readonly newest = new Map<string, number>();
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly ds: DataSource,
    private readonly tracked: string[],
  ) {}

  async start(): Promise<void> {
    this.lastId = Number((await this.ds.query(`SELECT coalesce(max(id), 0) AS id FROM status_history`))[0].id);
    await this.tick(false);
    this.loop = (async () => {
      while (!this.stopped) {
        await this.tick(true);
        await sleep(250);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  between(kind: 'status' | 'samples', from: number, to: number): number[] {
    return this[kind].filter((x) => x.at >= from && x.at < to).map((x) => x.lag);
  }

  private async tick(record: boolean): Promise<void> {
    const rows: { id: string; at: Date }[] = await this.ds.query(
      `SELECT id, at FROM status_history WHERE id > $1 AND kind = 'device_status' ORDER BY id`,
      [this.lastId],
    );
    const seen = Date.now();
    for (const r of rows) {
      this.lastId = Math.max(this.lastId, Number(r.id));
      if (record) this.status.push({ at: r.at.getTime(), lag: seen - r.at.getTime() });
    }
    const latest: { device_id: string; at: Date }[] = await this.ds.query(
      `SELECT device_id, max(at) AS at FROM device_samples
        WHERE device_id = ANY($1) AND at > now() - interval '30 minutes' GROUP BY device_id`,
      [this.tracked],
    );
    const seenSamples = Date.now();
    for (const r of latest) {
      const at = r.at.getTime();
      const before = this.newest.get(r.device_id);
      if (before !== undefined && at > before && record) this.samples.push({ at, lag: seenSamples - at });
      this.newest.set(r.device_id, at);
    }
  }
}

/** CPU snapshots of named process trees and of the bench database's PostgreSQL backends. */
async function cpuSnapshot(ds: DataSource, procs: Record<string, Proc>) {
  const backends: number[] = (
    await ds.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
  ).map((r: { pid: number }) => r.pid);
  const snap: Record<string, Map<number, number>> = { postgres: treeCpu(backends) };
  for (const [name, p] of Object.entries(procs)) snap[name] = treeCpu([p.pid]);
  return snap;
}
const cpuDelta = (a: Record<string, Map<number, number>>, b: Record<string, Map<number, number>>) =>
  Object.fromEntries(Object.keys(b).map((k) => [k, cpuBetween(a[k] ?? new Map(), b[k])]));

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number, tail = () => ''): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${tail()}`);
    await sleep(500);
  }
}

const count = async (ds: DataSource, sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].n);

// ------------------------------------------------------------------------------------------------ scale

async function scale(devices: number): Promise<string[]> {
  const out: string[] = [];
  await withBenchDatabase(`bench_scaleout_${process.pid}`, async (ds) => {
    const nats = await startNats('scale');
    const all = await insertDevices(ds, 'dev', devices, 20, INTERVAL_SEC, null);
    const flappers = await insertDevices(ds, 'flap', FLAPPERS, 19, INTERVAL_SEC, null);
    const url = new URL(env.DATABASE_URL!);
    url.pathname = `/${(await ds.query(`SELECT current_database() AS d`))[0].d}`;
    const core = await startCore({
      DATABASE_URL: url.toString(),
      NATS_URL: nats.url,
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
    });
    log(`core up; ${devices} + ${FLAPPERS} devices every ${INTERVAL_SEC} s; starting two pollers`);
    const pollerEnv = { NATS_URL: nats.url, NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC) };
    const p1 = await startPoller('p1', pollerEnv);
    const p2 = await startPoller('p2', pollerEnv);
    const total = devices + FLAPPERS;
    const t0 = Date.now();
    await until(
      'both pollers to write for every device',
      async () =>
        (await count(ds, `SELECT count(*) AS n FROM device_poll_fences`)) === total &&
        (await count(ds, `SELECT count(DISTINCT poller_name) AS n FROM device_poll_fences`)) === 2,
      Math.max(300_000, INTERVAL_SEC * 4000),
      () => p1.tail() + p2.tail() + core.tail(),
    );
    log(`every device polled through NATS after ${((Date.now() - t0) / 1000).toFixed(0)} s; warming up one interval`);
    const stopFlap = flap(ds, flappers);
    const tracked = all.filter((_, i) => i % Math.max(1, Math.floor(devices / 200)) === 0).map((d) => d.id);
    const lags = new LagWatch(ds, tracked);
    await lags.start();
    await sleep((INTERVAL_SEC + 15) * 1000);
    const procs = { core, p1, p2, nats };
    const c0 = await cpuSnapshot(ds, procs);
    const m0 = Date.now();
    const load0 = loadAverage();
    log(`measuring ${MEASURE_SEC} s (load average ${load0})`);
    await sleep(MEASURE_SEC * 1000);
    const m1 = Date.now();
    const cpu = cpuDelta(c0, await cpuSnapshot(ds, procs));
    const load1 = loadAverage();
    // results of the window still on their way: wait until the newest measurement of the window is stored
    await sleep(5000);
    await stopFlap();
    await lags.stop();
    const perPoller: { poller_name: string; n: string }[] = await ds.query(
      `SELECT f.poller_name, count(*) AS n FROM device_samples s JOIN device_poll_fences f USING (device_id)
        WHERE s.at >= $1 AND s.at < $2 GROUP BY 1 ORDER BY 1`,
      [new Date(m0), new Date(m1)],
    );
    const changes = await count(
      ds,
      `SELECT count(*) AS n FROM status_history WHERE kind = 'device_status' AND at >= $1 AND at < $2`,
      [new Date(m0), new Date(m1)],
    );
    const results = perPoller.reduce((n, r) => n + Number(r.n), 0) + changes;
    const s = (m1 - m0) / 1000;
    const st = lags.between('status', m0, m1);
    const sm = lags.between('samples', m0, m1);
    for (const r of perPoller) {
      const polls = Number(r.n);
      const name = r.poller_name as 'p1' | 'p2';
      out.push(
        `| ${fmt(devices)} | ${name} | ${fmt(polls / s, 1)} | ${fmt(cpu[name] / s, 2)} | ${fmt((cpu[name] / polls) * 1000, 3)} |`,
      );
    }
    out.push(
      `| ${fmt(devices)} | core (${fmt(results / s, 1)} results/s, ${changes} status changes) | ${fmt(devices / INTERVAL_SEC, 1)} required | ${fmt(cpu.core / s, 2)} | ${fmt((cpu.core / results) * 1000, 3)} core, ${fmt((cpu.postgres / results) * 1000, 3)} PostgreSQL, ${fmt((cpu.nats / results) * 1000, 3)} nats-server |`,
    );
    out.push(
      `| ${fmt(devices)} | lag poll → committed | status p50 / p99 ${sec(pct(st, 0.5))} / ${sec(pct(st, 0.99))} s (${st.length}) | measurement p50 / p99 ${sec(pct(sm, 0.5))} / ${sec(pct(sm, 0.99))} s (${sm.length}) | load average ${load0} → ${load1} |`,
    );
    out.forEach((l) => console.log(l));
    await stop(p1);
    await stop(p2);
    await stop(core);
    await stop(nats);
  });
  return out;
}

// --------------------------------------------------------------------------------------------- backfill

async function backfill(): Promise<string[]> {
  const branchDevices = Number(env.BENCH_SO_BRANCH_DEVICES ?? 5000);
  const branchInterval = Number(env.BENCH_SO_BRANCH_INTERVAL_SEC ?? 10);
  const cutSec = Number(env.BENCH_SO_CUT_SEC ?? 200);
  const liveDevices = Number(env.BENCH_SO_LIVE_DEVICES ?? 1000);
  const out: string[] = [];
  await withBenchDatabase(`bench_backfill_${process.pid}`, async (ds) => {
    const [hubPort, leafnodePort, leafPort] = [await freePort(), await freePort(), await freePort()];
    const wan = await CuttableLink.open(leafnodePort);
    // The leaf node must reach the hub through the relay only: the hub's INFO tells leaf nodes the hub's own
    // leaf-node address (its first non-loopback IP with host 0.0.0.0, despite `no_advertise`), which a leaf
    // reconnects to when the relay is cut. So the listener is bound to loopback and advertises the relay.
    const hub = await startNatsConf(
      'hub.conf',
      {
        NETDESK_NATS_PORT: String(hubPort),
        NETDESK_NATS_STORE: tmpDir('hub'),
        NETDESK_NATS_LEAFNODE_PORT: String(leafnodePort),
      },
      hubPort,
      (text) => {
        const listener = 'leafnodes {\n  host: 0.0.0.0\n';
        if (!text.includes(listener)) throw new Error('hub.conf: leafnodes block not as expected');
        return text.replace(listener, `leafnodes {\n  host: 127.0.0.1\n  advertise: "127.0.0.1:${wan.port}"\n`);
      },
    );
    const leaf = await startNatsConf(
      'leaf.conf',
      {
        NETDESK_NATS_PORT: String(leafPort),
        NETDESK_NATS_STORE: tmpDir('leaf'),
        NETDESK_NATS_HUB: `nats-leaf://127.0.0.1:${wan.port}`,
        NETDESK_NATS_DOMAIN: 'branch1',
      },
      leafPort,
    );
    const [site] = await ds.query(`INSERT INTO sites (name, poller_group) VALUES ('branch', 'branch1') RETURNING id`);
    await insertDevices(ds, 'branch', branchDevices, 30, branchInterval, site.id);
    const live = await insertDevices(ds, 'live', liveDevices, 20, INTERVAL_SEC, null);
    const flappers = await insertDevices(ds, 'flap', FLAPPERS, 19, INTERVAL_SEC, null);
    const url = new URL(env.DATABASE_URL!);
    url.pathname = `/${(await ds.query(`SELECT current_database() AS d`))[0].d}`;
    const backfillPerSec = env.BENCH_SO_BACKFILL_PER_SEC;
    const core = await startCore({
      DATABASE_URL: url.toString(),
      NATS_URL: `nats://127.0.0.1:${hubPort}`,
      NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC),
      ...(backfillPerSec ? { NETDESK_BACKFILL_PER_SEC: backfillPerSec } : {}),
    });
    const lease = { NETDESK_POLLER_LEASE_SEC: String(LEASE_SEC) };
    const livePoller = await startPoller('live-1', { NATS_URL: `nats://127.0.0.1:${hubPort}`, ...lease });
    const branchPoller = await startPoller('branch-1', {
      NATS_URL: `nats://127.0.0.1:${leafPort}`,
      NETDESK_POLLER_GROUP: 'branch1',
      ...lease,
    });
    const total = branchDevices + liveDevices + FLAPPERS;
    log(
      `core, hub, leaf and two pollers up: ${branchDevices} branch devices every ${branchInterval} s, ${liveDevices + FLAPPERS} live every ${INTERVAL_SEC} s`,
    );
    await until(
      'every device polled through NATS',
      async () => (await count(ds, `SELECT count(*) AS n FROM device_poll_fences`)) === total,
      240_000,
      () => branchPoller.tail() + livePoller.tail() + core.tail(),
    );
    const stopFlap = flap(ds, flappers);
    const tracked = live.filter((_, i) => i % Math.max(1, Math.floor(liveDevices / 200)) === 0).map((d) => d.id);
    const lags = new LagWatch(ds, tracked);
    await lags.start();
    log(`steady state; warming up ${INTERVAL_SEC + 15} s before the cut`);
    await sleep((INTERVAL_SEC + 15) * 1000);

    const leafNc = await connect({ servers: `127.0.0.1:${leafPort}` });
    const hubNc = await connect({ servers: `127.0.0.1:${hubPort}` });
    const leafJsm = await jetstreamManager(leafNc);
    const hubJsm = await jetstreamManager(hubNc);
    const branchObs = 'NETDESK_OBS_BRANCH1';
    const seqAtCut = (await leafJsm.streams.info(branchObs)).state.last_seq;
    const cutAt = Date.now();
    wan.cut();
    log(`WAN cut for ${cutSec} s (load average ${loadAverage()})`);
    await sleep(cutSec * 1000);
    const seqAtRestore = (await leafJsm.streams.info(branchObs)).state.last_seq;
    const buffered = seqAtRestore - seqAtCut;
    const procs = { core, branch: branchPoller, live: livePoller, hub, leaf };
    const c0 = await cpuSnapshot(ds, procs);
    const load0 = loadAverage();
    const restoredAt = Date.now();
    const gapRows = () =>
      count(
        ds,
        `SELECT count(*) AS n FROM device_samples s JOIN devices d ON d.id = s.device_id
          WHERE d.site_id = $1 AND s.at >= $2 AND s.at < $3`,
        [site.id, new Date(cutAt), new Date(restoredAt)],
      );
    let caughtUpAt = 0;
    let firstAt = 0;
    let stored = 0;
    // the leak counter: results polled during the cut and stored before the WAN came back (0 for a real cut)
    const storedAtRestore = await gapRows();
    wan.restore();
    log(`WAN back; ${fmt(buffered)} results buffered in the leaf node; catching up (load average ${load0})`);
    log(`leaked through the cut: ${fmt(storedAtRestore)} results of the gap stored before the WAN came back`);
    let lastLog = Date.now();
    let queuedAfter = 0;
    await until(
      'the backlog to be applied',
      async () => {
        const [info, consumer] = await Promise.all([
          hubJsm.streams.info(STREAMS.observations.name),
          hubJsm.consumers.info(STREAMS.observations.name, CORE_CONSUMERS.branchObservations),
        ]);
        stored = await gapRows();
        if (!firstAt && stored > storedAtRestore) firstAt = Date.now();
        if (Date.now() - lastLog > 10_000) {
          lastLog = Date.now();
          log(`  ${fmt(stored)} of ~${fmt(buffered)} stored; core consumer pending ${consumer.num_pending}`);
        }
        const sourced = (info.sources ?? []).every((s) => s.lag === 0);
        // caught up when the gap is stored: the branch's live results queue behind it on the same consumer
        if (sourced && stored >= buffered * 0.98) {
          caughtUpAt = Date.now();
          queuedAfter = consumer.num_pending;
          return true;
        }
        return false;
      },
      Math.max(600_000, cutSec * 5000),
      () => core.tail(),
    );
    const cpu = cpuDelta(c0, await cpuSnapshot(ds, procs));
    const load1 = loadAverage();
    await sleep(3000);
    await stopFlap();
    await lags.stop();
    const catchUp = (caughtUpAt - restoredAt) / 1000;
    const before = (kind: 'status' | 'samples') => lags.between(kind, cutAt - 120_000, cutAt);
    const during = (kind: 'status' | 'samples') => lags.between(kind, restoredAt, caughtUpAt);
    const lagCell = (xs: number[]) => `${sec(pct(xs, 0.5))} / ${sec(pct(xs, 0.99))} s (${xs.length})`;
    const backlogResults = stored - storedAtRestore;
    const applying = (caughtUpAt - firstAt) / 1000;
    out.push(
      `| ${fmt(branchDevices)} devices, ${cutSec} s cut at ${branchInterval} s (${fmt(buffered)} results buffered, ${fmt(stored)} stored, ${fmt(storedAtRestore)} leaked; ${fmt(queuedAfter)} branch results queued behind the gap when it was stored) | ${fmt(catchUp, 1)} s (first backlog row after ${fmt((firstAt - restoredAt) / 1000, 1)} s) | ${fmt(backlogResults / catchUp)} results/s (${fmt(backlogResults / applying)} while applying) | ${fmt(cpu.core, 1)} CPU-s (${fmt((cpu.core / backlogResults) * 1000, 3)} per 1,000), PostgreSQL ${fmt(cpu.postgres, 1)}, hub ${fmt(cpu.hub, 1)}, leaf ${fmt(cpu.leaf, 1)} | ${lagCell(before('status'))} → ${lagCell(during('status'))} | ${lagCell(before('samples'))} → ${lagCell(during('samples'))} | ${load0} → ${load1} |`,
    );
    out.forEach((l) => console.log(l));
    await leafNc.close();
    await hubNc.close();
    await stop(branchPoller);
    await stop(livePoller);
    await stop(core);
    wan.close();
    await stop(leaf);
    await stop(hub);
  });
  return out;
}

async function main(): Promise<void> {
  if (!env.DATABASE_URL)
    throw new Error('DATABASE_URL must name a PostgreSQL server the bench may create databases on');
  await ensureDeadHostUnreachable();
  const scenarios = (env.BENCH_SO_SCENARIOS ?? 'scale:10000,backfill').split(',').map((s) => s.trim());
  const scaleRows: string[] = [];
  const backfillRows: string[] = [];
  for (const s of scenarios) {
    const [kind, n] = s.split(':');
    if (kind === 'scale' && Number(n) > 0) scaleRows.push(...(await scale(Number(n))));
    else if (kind === 'backfill') backfillRows.push(...(await backfill()));
    else throw new Error(`BENCH_SO_SCENARIOS: expected scale:N or backfill, got ${s}`);
  }
  console.log(`\n## Scale-out (npm run bench:scale-out), ${new Date().toISOString().slice(0, 16)}Z\n`);
  if (scaleRows.length) {
    console.log(`Two pollers in one group, ping only, every ${INTERVAL_SEC} s, ${MEASURE_SEC} s measured:\n`);
    console.log('| Devices | Process | polls/s | CPU (cores) | CPU-s per 1,000 polls (results) |');
    console.log('| ---: | --- | ---: | ---: | --- |');
    scaleRows.forEach((r) => console.log(r));
  }
  if (backfillRows.length) {
    console.log('\nBackfill after a WAN cut (leaf node behind a cut TCP link):\n');
    console.log(
      '| Backlog | Catch-up (WAN back → all stored) | Backfill rate | CPU during catch-up | Live status lag p50 / p99 (n): before the cut → during catch-up | Live measurement lag p50 / p99 (n): before → during | Load average |',
    );
    console.log('| --- | ---: | ---: | --- | --- | --- | --- |');
    backfillRows.forEach((r) => console.log(r));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
process.on('exit', cleanUp);
main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
