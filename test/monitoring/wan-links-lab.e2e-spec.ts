/**
 * WAN link health on real traffic: a branch router behind an edge router, its link shaped with a tbf
 * qdisc to a 2 Mb/s "circuit" and filled by iperf3 between the two namespaces. Nothing is injected: the
 * utilisation comes from the branch's snmpd counters, the latency and jitter from fping through the full
 * queue. The whole service runs with the poller on, polling every 2 s.
 *
 *   npx jest test/monitoring/wan-links-lab.e2e-spec.ts   (root; iproute2 tc, iperf3, snmpd, fping)
 */
import { ChildProcess, spawn } from 'node:child_process';
import { NetworkLab } from '../lab/network-lab';
import { ip, nsExec, tool } from '../lab/lab-commands';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';

type Ticket = { id: string; title: string; status: string; faultType: string; ifIndex?: number };

const CAPACITY_BPS = 2_000_000;

describe('WAN link thresholds on a shaped, saturated link (network lab, real traffic)', () => {
  let lab: NetworkLab;
  let t: TestApp;
  let admin: string;
  let branchId: string;
  let ifIndex: number;
  let server: ChildProcess | undefined;
  let client: ChildProcess | undefined;

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> => {
    const started = Date.now();
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const tickets = async () =>
    (await t.http.get(`/api/tickets?deviceId=${branchId}`).set('Authorization', admin).expect(200)).body as Ticket[];
  const ticketOf = async (faultType: string) => (await tickets()).find((x) => x.faultType === faultType);
  const stop = (p: ChildProcess | undefined) => {
    if (p && p.exitCode === null && p.pid) process.kill(p.pid, 'SIGTERM');
  };

  beforeAll(async () => {
    await NetworkLab.assertSupported();
    lab = await NetworkLab.create({
      hosts: [{ name: 'edge' }, { name: 'branch', parent: 'edge', snmp: { community: 'ro' } }],
    });
    // The edge's end of the branch link: shaped to the circuit's contracted 2 Mb/s, towards the branch.
    const links = await ip(lab.host('edge').namespace, '-o', 'link', 'show');
    const towardsBranch = /^\d+: (ndl[^@:]+)[@:]/m.exec(links)?.[1];
    if (!towardsBranch) throw new Error(`no link towards the branch in ${links}`);
    await nsExec(lab.host('edge').namespace, 'tc', [
      ...['qdisc', 'add', 'dev', towardsBranch, 'root', 'tbf'],
      ...['rate', '2mbit', 'burst', '4kb', 'latency', '60ms'],
    ]);
    server = spawn('ip', ['netns', 'exec', lab.host('branch').namespace, tool('iperf3'), '-s'], { stdio: 'ignore' });

    t = await startTestApp('wan-lab', {
      NETDESK_POLLER: 'true',
      NETDESK_TRAP_PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
      NETDESK_TRAP_BIND: '127.0.0.1',
      NETDESK_PING_COUNT: '8',
      NETDESK_PING_PERIOD_MS: '40',
      NETDESK_PING_TIMEOUT_MS: '500',
      NETDESK_SNMP_TIMEOUT_MS: '700',
      NETDESK_SNMP_RETRIES: '2',
      NETDESK_RECHECK_MS: '500',
      NETDESK_TICKETING_SWEEP_MS: '500',
    }).catch(async (e) => {
      stop(server);
      await lab.destroy();
      throw e;
    });
    admin = `Bearer ${await t.tokenFor('admin')}`;
    branchId = (
      await t.http
        .post('/api/devices')
        .set('Authorization', admin)
        .send({
          name: unique('branch'),
          host: lab.host('branch').address,
          kind: 'wan-link',
          pollIntervalSec: 2,
          snmp: { version: '2c', community: 'ro' },
          // Idle here is 0.05 ms RTT and ~0 jitter; a full 2 Mb/s queue is tens of ms.
          thresholds: { rttMs: 8, jitterMs: 2, utilisationPct: 80, forPolls: 2 },
        })
        .expect(201)
    ).body.id;
    ifIndex = await lab.host('branch').ifIndexOf('eth0');
  }, 60_000);

  afterAll(async () => {
    stop(client);
    stop(server);
    await t?.close();
    await lab?.destroy();
  });

  it('raises link_utilisation, high_latency and high_jitter on real traffic, naming the circuit, and clears them', async () => {
    await waitFor('the branch up with its interfaces read', async () => {
      const ifs = (await t.http.get(`/api/devices/${branchId}/interfaces`).set('Authorization', admin).expect(200))
        .body as { ifIndex: number; inBps: number | null }[];
      return ifs.find((i) => i.ifIndex === ifIndex && i.inBps !== null);
    });
    const patched = await t.http
      .patch(`/api/devices/${branchId}/interfaces/${ifIndex}`)
      .set('Authorization', admin)
      .send({ capacityBps: CAPACITY_BPS, provider: 'ACME Telecom', circuitId: 'CIR-4711' })
      .expect(200);
    expect(patched.body).toMatchObject({ capacityBps: CAPACITY_BPS, provider: 'ACME Telecom', circuitId: 'CIR-4711' });

    // Idle for a few polls: nothing is over any threshold.
    await new Promise((r) => setTimeout(r, 6000));
    expect(await tickets()).toEqual([]);

    const started = Date.now();
    client = spawn(
      'ip',
      ['netns', 'exec', lab.host('edge').namespace, tool('iperf3'), '-c', lab.host('branch').address, '-t', '90'],
      { stdio: 'ignore' },
    );

    const utilisation = await waitFor('link_utilisation', () => ticketOf('link_utilisation'), 45_000);
    console.info(`traffic → link_utilisation ticket: ${Date.now() - started} ms`);
    expect(utilisation.ifIndex).toBe(ifIndex);
    expect(utilisation.title).toMatch(/eth0/);
    expect(utilisation.title).toMatch(/ACME Telecom CIR-4711/);
    expect(utilisation.title).toMatch(/in \d+(\.\d)? % of 2 Mb\/s for \d+ s/);
    console.info(utilisation.title);
    // The interface representation shows the same measurement against the capacity (rates lag a flush).
    await waitFor('inUtilisationPct over 80 %', async () => {
      const ifs = (await t.http.get(`/api/devices/${branchId}/interfaces`).set('Authorization', admin).expect(200))
        .body as { ifIndex: number; inUtilisationPct: number | null }[];
      const pct = ifs.find((i) => i.ifIndex === ifIndex)?.inUtilisationPct ?? 0;
      return pct > 80 ? pct : undefined;
    });

    const latency = await waitFor('high_latency', () => ticketOf('high_latency'), 30_000);
    const jitter = await waitFor('high_jitter', () => ticketOf('high_jitter'), 30_000);
    console.info(`${latency.title}\n${jitter.title}`);
    for (const ticket of [latency, jitter]) expect(ticket.title).toMatch(/circuit ACME Telecom CIR-4711 on eth0/);
    expect(jitter.title).toMatch(/jitter [\d.]+ ms for \d+ s \(2 polls\), threshold 2 ms/);
    const detail = (await t.http.get(`/api/tickets/${utilisation.id}`).set('Authorization', admin).expect(200)).body;
    expect(detail.events.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /interface eth0 ifIndex \d+, provider ACME Telecom, circuit CIR-4711, contracted 2 Mb\/s/,
    );

    stop(client);
    const stoppedAt = Date.now();
    await waitFor(
      'all three resolved',
      async () => {
        const all = await tickets();
        const done = ['link_utilisation', 'high_latency', 'high_jitter'].every(
          (f) => all.find((x) => x.faultType === f)?.status === 'resolved',
        );
        return done ? all : undefined;
      },
      45_000,
    );
    console.info(`traffic stopped → all resolved: ${Date.now() - stoppedAt} ms`);
    // One ticket per fault: none opened twice.
    const all = await tickets();
    expect(all.filter((x) => x.faultType === 'link_utilisation')).toHaveLength(1);
  }, 180_000);
});
