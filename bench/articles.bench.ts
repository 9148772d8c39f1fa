/**
 * Knowledge-base search over 10,000 articles (about 300 words each), seeded through the real migrations
 * (the trigger fills the search vector), then each kind of query timed through the repository the API
 * uses: median and p95 of 21 runs, with the plan of the broadest query.
 *
 *   npm run build && DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:articles
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { FakeClock } from '@netdesk/core';
import { ArticlesService } from '@netdesk/knowledge';
import type { Ticket } from '@netdesk/ticketing';
import { DeviceEntity } from '../libs/inventory/src/device.entity';
import { DeviceRepository } from '../libs/inventory/src/device.repository';
import { ArticleRepository } from '../libs/knowledge/src/articles/article.repository';
import { TicketRepository } from '../libs/ticketing/src/tickets/ticket.repository';
import { withBenchDatabase } from './bench-database';

const ARTICLES = 10_000;
const WORDS_PER_BODY = 300;
const RUNS = 21;
const BATCH = 500;

let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];

const COMMON = (
  'router switch firewall link interface vlan port cable power reboot restart check verify carrier provider ' +
  'latency loss packet route bgp ospf dns dhcp address gateway uplink fibre copper optic module config backup ' +
  'firmware upgrade license tunnel vpn ipsec certificate wireless access point controller client office branch'
).split(' ');
// a long tail of rare words, so some queries match few articles
const RARE = Array.from({ length: 5000 }, (_, i) => `term${i.toString(36)}x`);
const FAULTS = ['device_down', 'interface_down', 'high_latency', 'packet_loss', 'device_rebooted', 'other'];
const KINDS = ['router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other'];

function body(): string {
  const words: string[] = [];
  for (let i = 0; i < WORDS_PER_BODY; i++) words.push(random() < 0.85 ? pick(COMMON) : pick(RARE));
  return words.join(' ');
}

async function seedArticles(ds: DataSource): Promise<void> {
  for (let start = 0; start < ARTICLES; start += BATCH) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = start; i < Math.min(start + BATCH, ARTICLES); i++) {
      const p = values.length;
      rows.push(
        `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, now(), 'bench@netdesk', now(), 'bench@netdesk')`,
      );
      values.push(
        `${pick(COMMON)} ${pick(COMMON)} ${pick(RARE)} article ${i}`,
        body(),
        [pick(FAULTS)],
        [pick(KINDS)],
        [pick(COMMON), pick(RARE)],
      );
    }
    await ds.query(
      `INSERT INTO articles (title, body, fault_types, device_kinds, tags, created_at, created_by, updated_at, updated_by)
       VALUES ${rows.join(', ')}`,
      values,
    );
  }
  await ds.query('ANALYZE articles');
}

async function time(run: () => Promise<unknown>): Promise<{ median: number; p95: number; result: unknown }> {
  let result = await run(); // warm
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(RUNS / 2)], p95: times[Math.floor(RUNS * 0.95)], result };
}

async function main(): Promise<void> {
  await withBenchDatabase(
    process.env.BENCH_KEEP ? `nd_bench_articles_keep` : `nd_bench_articles_${process.pid}`,
    async (ds) => {
      const started = Date.now();
      await seedArticles(ds);
      console.log(`seeded ${ARTICLES} articles in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const repo = new ArticleRepository(ds);
      const devices = new DeviceRepository(ds.getRepository(DeviceEntity), ds);
      const service = new ArticlesService(repo, new TicketRepository(ds), devices, new FakeClock(new Date()));
      const rare = RARE[123];
      const ticket = {
        title: 'Branch router down, vpn tunnel gone',
        description: 'users at the office cannot reach anything',
        faultType: 'device_down',
        deviceId: null,
        parentTicketId: null,
      } as unknown as Ticket;
      const cases: [string, () => Promise<unknown>][] = [
        ['q: one rare word', () => repo.search({ q: rare }, 20, 0)],
        ['q: one common word', () => repo.search({ q: 'router' }, 20, 0)],
        ['q: two common words', () => repo.search({ q: 'vpn certificate' }, 20, 0)],
        ['q: "phrase"', () => repo.search({ q: '"carrier provider"' }, 20, 0)],
        ['q: word -excluded', () => repo.search({ q: 'bgp -ospf' }, 20, 0)],
        ['q + faultType filter', () => repo.search({ q: 'router', faultType: 'device_down' }, 20, 0)],
        ['no q (latest edited)', () => repo.search({}, 20, 0)],
        ['suggestions for a ticket', () => service.suggest(ticket, 5)],
      ];
      const table: Record<string, string | number>[] = [];
      for (const [label, run] of cases) {
        const { median, p95, result } = await time(run);
        const r = result as { total?: number } | unknown[];
        table.push({
          query: label,
          'median (ms)': Number(median.toFixed(1)),
          'p95 (ms)': Number(p95.toFixed(1)),
          matches: Array.isArray(r) ? r.length : (r.total ?? 0),
        });
      }
      console.table(table);
      const plan: { 'QUERY PLAN': string }[] = await ds.query(
        `EXPLAIN (ANALYZE, COSTS OFF) SELECT a.id, ts_rank(a.search_vector, query) AS rank
         FROM articles a, websearch_to_tsquery('english', 'router') query
        WHERE a.search_vector @@ query ORDER BY rank DESC LIMIT 50`,
      );
      console.log(plan.map((p) => p['QUERY PLAN']).join('\n'));
    },
    { keep: !!process.env.BENCH_KEEP },
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
