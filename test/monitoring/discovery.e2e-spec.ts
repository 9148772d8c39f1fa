/**
 * POST /api/discovery against the network lab (real namespaces, real snmpd, real fping) and an
 * in-process SNMP agent on 127.0.0.1. Traffic goes only to the lab's own /22 and to loopback; the
 * default-subnet path (no cidr) is covered by unit tests with a faked systeminformation, never here.
 * Needs root; fails (does not skip) when the lab is not supported.
 *
 *   npx jest --selectProjects e2e --testPathPatterns test/monitoring/discovery
 */
import { NetworkLab } from '../lab/network-lab';
import { unique } from '../factories/unique';
import { startTestApp, TestApp } from '../support/test-app';
import { LoopbackAgent, startCiscoAgent } from '../support/cisco-agent';

jest.setTimeout(120_000);

const COMMUNITY = 'disc-ro';
const V3 = { username: 'discv3', authKey: 'auth-key-123', privKey: 'priv-key-456' };

interface Proposed {
  host: string;
  rttMs: number;
  sysName?: string;
  sysDescr?: string;
  sysObjectId?: string;
  vendor?: string;
  kind: string;
  suggestedName: string;
  alreadyInInventory: boolean;
  existingDeviceId?: string;
  snmpError?: string;
}

describe('POST /api/discovery', () => {
  let t: TestApp;
  let lab: NetworkLab | undefined;
  let admin: string;
  let cisco: { agent: LoopbackAgent; port: number } | undefined;
  const discover = (body: object, token = admin) =>
    t.http.post('/api/discovery').set('Authorization', token).send(body);

  beforeAll(async () => {
    await NetworkLab.assertSupported();
    [t, lab, cisco] = await Promise.all([
      startTestApp('discovery'),
      NetworkLab.create({
        hosts: [
          { name: 'edge', snmp: { community: COMMUNITY } },
          { name: 'core', parent: 'edge', snmp: { community: COMMUNITY, v3: V3 } },
          { name: 'nas', snmp: { community: COMMUNITY } },
          { name: 'dumb', parent: 'edge' }, // pings, no SNMP agent
        ],
      }),
      startCiscoAgent(COMMUNITY),
    ]);
    admin = `Bearer ${await t.tokenFor('admin')}`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => (cisco ? cisco.agent.close(() => r()) : r()));
    await lab?.destroy();
    await t?.close();
  });

  it('proposes the lab hosts with sysName and kind, flags the one in the inventory, and adds nothing', async () => {
    const lab_ = lab as NetworkLab;
    const known = await t.http
      .post('/api/devices')
      .set('Authorization', admin)
      .send({ name: unique('known-nas'), host: lab_.host('nas').address })
      .expect(201);
    const before = await t.http.get('/api/devices').set('Authorization', admin).expect(200);

    const res = await discover({ cidr: lab_.addressBlock, snmp: { version: '2c', community: COMMUNITY } }).expect(200);
    const finished = t.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'discovery finished');
    console.log(
      `discovery of ${lab_.addressBlock}: scanned ${res.body.scanned}, answered ${res.body.answered}, ` +
        `snmp ${res.body.snmpAnswered}; ping sweep ${finished?.sweepMs} ms, total ${res.body.durationMs} ms`,
    );

    expect(res.body).toMatchObject({ cidrs: [lab_.addressBlock], scanned: 1022, complete: true });
    const devices = res.body.devices as Proposed[];
    const byHost = new Map(devices.map((d) => [d.host, d]));
    for (const name of ['edge', 'core', 'nas']) {
      const d = byHost.get(lab_.host(name).address);
      expect(d).toMatchObject({
        sysName: name,
        sysDescr: expect.stringMatching(/^Linux /),
        sysObjectId: expect.stringMatching(/^1\.3\.6\.1\.4\.1\.8072\.3\.2\./),
        vendor: 'net-snmp',
        kind: 'server', // the lab's snmpd cannot change sysObjectID/sysDescr: net-snmp on Linux
        rttMs: expect.any(Number),
      });
      expect(d?.rttMs).toBeGreaterThanOrEqual(0);
      expect(d?.rttMs).toBeLessThan(500);
    }
    expect(byHost.get(lab_.host('nas').address)).toMatchObject({
      alreadyInInventory: true,
      existingDeviceId: known.body.id,
      suggestedName: known.body.name,
    });
    for (const name of ['edge', 'core']) {
      const d = byHost.get(lab_.host(name).address);
      expect(d).toMatchObject({ alreadyInInventory: false, suggestedName: name });
      expect(d).not.toHaveProperty('existingDeviceId');
    }
    // A host that pings but has no agent is still proposed, without SNMP data.
    const dumb = byHost.get(lab_.host('dumb').address);
    expect(dumb).toMatchObject({ kind: 'other', alreadyInInventory: false, snmpError: expect.any(String) });
    expect(dumb).not.toHaveProperty('sysName');
    expect(res.body.answered).toBe(devices.length);
    expect(res.body.answered).toBeGreaterThanOrEqual(4);
    expect(res.body.snmpAnswered).toBe(3);
    // Secrets never come back.
    expect(JSON.stringify(res.body)).not.toContain(COMMUNITY);

    const after = await t.http.get('/api/devices').set('Authorization', admin).expect(200);
    expect(after.body).toEqual(before.body);
  });

  it('sweeps a smaller range containing one host, with SNMPv3', async () => {
    const core = (lab as NetworkLab).host('core');
    const res = await discover({
      cidr: core.subnet,
      snmp: {
        version: '3',
        username: V3.username,
        authProtocol: 'sha',
        authKey: V3.authKey,
        privProtocol: 'aes',
        privKey: V3.privKey,
      },
    }).expect(200);
    expect(res.body).toMatchObject({ cidrs: [core.subnet], scanned: 2, snmpAnswered: 1 });
    expect((res.body.devices as Proposed[]).find((d) => d.host === core.address)).toMatchObject({
      sysName: 'core',
      kind: 'server',
    });
  });

  it('reports hosts whose agent refuses the community without SNMP data', async () => {
    const nas = (lab as NetworkLab).host('nas');
    const res = await discover({ cidr: nas.subnet, snmp: { version: '2c', community: 'wrong-community' } }).expect(200);
    const d = (res.body.devices as Proposed[]).find((x) => x.host === nas.address);
    expect(d).toMatchObject({ kind: 'other', snmpError: expect.stringMatching(/timeout or wrong community/) });
    expect(d).not.toHaveProperty('sysName');
    expect(res.body.snmpAnswered).toBe(0);
  });

  it('guesses the kind from a vendor sysObjectID (Cisco Catalyst on loopback, custom port)', async () => {
    const res = await discover({
      cidr: '127.0.0.1/32',
      snmp: { version: '2c', community: COMMUNITY },
      port: cisco!.port,
    }).expect(200);
    expect(res.body).toMatchObject({ cidrs: ['127.0.0.1/32'], scanned: 1, answered: 1, snmpAnswered: 1 });
    expect(res.body.devices).toEqual([
      {
        host: '127.0.0.1',
        rttMs: expect.any(Number),
        sysName: 'access-sw-7',
        sysDescr: 'Cisco IOS Software, C2960X Software, 15.2(7)E',
        sysObjectId: '1.3.6.1.4.1.9.1.1208',
        vendor: 'Cisco',
        kind: 'switch',
        suggestedName: 'access-sw-7',
        alreadyInInventory: false,
      },
    ]);
  });

  it('runs one discovery at a time: a second one while the first runs is 409', async () => {
    // Wrong community: every SNMP read waits for its timeouts, so the first discovery lasts seconds.
    const body = { cidr: (lab as NetworkLab).addressBlock, snmp: { version: '2c', community: 'slow-wrong' } };
    const first = discover(body).then((r) => r);
    await new Promise((r) => setTimeout(r, 400));
    const second = await discover(body);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect((await first).status).toBe(200);
    // And the lock is released afterwards.
    await discover({ cidr: '127.0.0.1/32' }).expect(200);
  });

  describe('validation and roles', () => {
    it.each([
      ['a /15', { cidr: '198.18.0.0/15' }, /^cidr: 198\.18\.0\.0\/15 has 131,072 addresses/],
      ['a /8', { cidr: '10.0.0.0/8' }, /^cidr: /],
      ['a malformed cidr', { cidr: '10.0.0.300/24' }, /^cidr /],
      ['no prefix length', { cidr: '10.0.0.0' }, /^cidr /],
      ['an IPv6 range', { cidr: '2001:db8::/64' }, /^cidr /],
      ['a numeric cidr', { cidr: 167772160 }, /^cidr /],
    ])('rejects %s with 400 naming cidr', async (_, body, message) => {
      const res = await discover(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    it.each([
      ['an unknown field', { cidr: '127.0.0.1/32', ports: [161] }, 'ports'],
      ['v2c without community', { cidr: '127.0.0.1/32', snmp: { version: '2c' } }, 'community'],
      ['a bad version', { cidr: '127.0.0.1/32', snmp: { version: '4', community: 'x' } }, 'version'],
      [
        'v3 fields on v2c',
        { cidr: '127.0.0.1/32', snmp: { version: '2c', community: 'x', username: 'u' } },
        'snmp.username',
      ],
      ['a bad port', { cidr: '127.0.0.1/32', port: 70000 }, 'port'],
    ])('rejects %s with 400', async (_, body, field) => {
      const res = await discover(body).expect(400);
      expect(res.body.message.join(' ')).toContain(field);
    });

    it('is for admins only', async () => {
      await t.http.post('/api/discovery').send({ cidr: '127.0.0.1/32' }).expect(401);
      for (const role of ['viewer', 'agent', 'manager'] as const) {
        const res = await discover({ cidr: '127.0.0.1/32' }, `Bearer ${await t.tokenFor(role)}`).expect(403);
        expect(res.body.message.join(' ')).toMatch(/admin/);
      }
    });
  });
});
