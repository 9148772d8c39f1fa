/**
 * SnmpClient against in-process net-snmp agents on 127.0.0.1 (random high ports): system group,
 * a 10,000-row ifTable/ifXTable, counters near wrap, SNMPv3, wrong community, stopped agent,
 * garbage responder, wrong varbind types, and file-descriptor hygiene.
 */
import * as dgram from 'node:dgram';
import { readdirSync } from 'node:fs';
import * as snmp from 'net-snmp';
import { FULL_INTERFACE_WALK_EVERY, SnmpClient, SnmpProbeError, SnmpTarget } from '../../libs/monitoring/src/probes';

type Agent = {
  close(cb?: () => void): void;
  getMib(): Mib;
  getAuthorizer(): { addCommunity(c: string): void; addUser(u: object): void };
};
type Mib = {
  registerProvider(p: object): void;
  setScalarValue(name: string, v: unknown): void;
  addTableRow(name: string, row: unknown[]): void;
};

jest.setTimeout(60_000);

const HOST = '127.0.0.1';
const COMMUNITY = 'nd-e2e-community';
const V3_USER = {
  name: 'ndmon',
  level: snmp.SecurityLevel.authPriv,
  authProtocol: snmp.AuthProtocols.sha256,
  authKey: 'auth-pass-123',
  privProtocol: snmp.PrivProtocols.aes,
  privKey: 'priv-pass-456',
};

const openFds = (): number => readdirSync('/proc/self/fd').length;

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function c64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

const T = snmp.ObjectType;
const RO = snmp.MaxAccess['read-only'];
const col = (number: number, name: string, type: number) => ({ number, name, type, maxAccess: RO });

/**
 * net-snmp's agent finds the next OID by listing and sorting all children of each MIB node on every
 * GETNEXT step (O(rows) per varbind: ~1.6 ms each with 10,000 rows, minutes for the whole table).
 * This test-only patch makes the agent's lookup walk its sparse child arrays instead, so the test
 * measures the client rather than the test agent. Semantics are unchanged (next defined child).
 */
function speedUpAgentLookups(mib: Mib): void {
  type Node = { children?: unknown; parent?: Node | null; address: number[] };
  type Proto = {
    getNextInstanceNode(this: Node): Node | null;
    getInstanceNodeForTableRowIndex(this: Node, index: number[]): Node | null;
    __fast?: boolean;
  };
  const proto = Object.getPrototypeOf((mib as unknown as { root: object }).root) as Proto;
  if (proto.__fast) return;
  // Same result as the original, minus counting all children of the column node first.
  const originalRowLookup = proto.getInstanceNodeForTableRowIndex;
  proto.getInstanceNodeForTableRowIndex = function (this: Node, index: number[]): Node | null {
    const children = this.children as Record<number, Proto & Node> | undefined;
    const child = children && index.length > 0 && index[0] != null ? children[index[0]] : undefined;
    return child ? child.getInstanceNodeForTableRowIndex(index.slice(1)) : originalRowLookup.call(this, index);
  };
  const firstChild = (node: Node, from: number): Node | undefined => {
    const c = node.children as Record<string, Node> | undefined;
    if (!c) return undefined;
    if (c[from] !== undefined) return c[from];
    // Integer keys enumerate in ascending order.
    for (const k in c) if (Number(k) >= from) return c[k];
    return undefined;
  };
  const isLeaf = (node: Node): boolean => firstChild(node, 0) === undefined;
  const nextInstance = (start: Node): Node | null => {
    let node: Node | undefined | null = start;
    if (isLeaf(node)) {
      for (;;) {
        const index: number = node.address[node.address.length - 1];
        const parent: Node | null | undefined = node.parent;
        if (!parent) return null;
        const sibling = firstChild(parent, index + 1);
        if (sibling) {
          node = sibling;
          break;
        }
        node = parent;
      }
    }
    while (node) {
      const child = firstChild(node, 0);
      if (!child) return node;
      node = child;
    }
    return null;
  };
  proto.getNextInstanceNode = function (this: Node): Node | null {
    return nextInstance(this);
  };
  proto.__fast = true;
}

/** Starts a net-snmp agent with the system group and `rows` interfaces. */
async function startAgent(
  rows: number,
  opts: { sysUpTimeType?: number } = {},
): Promise<{ agent: Agent; port: number }> {
  const port = await freeUdpPort();
  const agent: Agent = snmp.createAgent({ port, address: HOST, transport: 'udp4' }, () => undefined);
  agent.getAuthorizer().addCommunity(COMMUNITY);
  agent.getAuthorizer().addUser(V3_USER);
  const mib = agent.getMib();
  speedUpAgentLookups(mib);
  const scalar = (name: string, oid: string, scalarType: number, value: unknown) => {
    mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType, maxAccess: RO });
    mib.setScalarValue(name, value);
  };
  scalar('sysDescr', '1.3.6.1.2.1.1.1', T.OctetString, 'NetDesk test agent');
  scalar('sysObjectID', '1.3.6.1.2.1.1.2', T.OID, '1.3.6.1.4.1.8072.3.2.10');
  if (opts.sysUpTimeType === T.OctetString) scalar('sysUpTime', '1.3.6.1.2.1.1.3', T.OctetString, 'not ticks');
  else scalar('sysUpTime', '1.3.6.1.2.1.1.3', T.TimeTicks, 4242);
  scalar('sysName', '1.3.6.1.2.1.1.5', T.OctetString, 'agent-under-test');
  mib.registerProvider({
    name: 'ifTable',
    type: snmp.MibProviderType.Table,
    oid: '1.3.6.1.2.1.2.2.1',
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: [
      col(1, 'ifIndex', T.Integer),
      col(2, 'ifDescr', T.OctetString),
      col(3, 'ifType', T.Integer),
      col(5, 'ifSpeed', T.Gauge32),
      col(7, 'ifAdminStatus', T.Integer),
      col(8, 'ifOperStatus', T.Integer),
      col(10, 'ifInOctets', T.Counter32),
      col(13, 'ifInDiscards', T.Counter32),
      col(14, 'ifInErrors', T.Counter32),
      col(16, 'ifOutOctets', T.Counter32),
      col(19, 'ifOutDiscards', T.Counter32),
      col(20, 'ifOutErrors', T.Counter32),
    ],
    tableIndex: [{ columnName: 'ifIndex' }],
  });
  mib.registerProvider({
    name: 'ifXTable',
    type: snmp.MibProviderType.Table,
    oid: '1.3.6.1.2.1.31.1.1.1',
    maxAccess: snmp.MaxAccess['not-accessible'],
    tableColumns: [
      col(1, 'ifName', T.OctetString),
      col(6, 'ifHCInOctets', T.Counter64),
      col(10, 'ifHCOutOctets', T.Counter64),
      col(15, 'ifHighSpeed', T.Gauge32),
      col(18, 'ifAlias', T.OctetString),
    ],
    tableIndex: [{ columnName: 'ifIndex', foreign: 'ifTable' }],
  });
  for (let i = 1; i <= rows; i++) {
    const nearWrap = i === 1;
    mib.addTableRow('ifTable', [
      i,
      `eth${i}`,
      6,
      4294967295,
      1,
      i % 2 === 0 ? 2 : 1,
      nearWrap ? 4294967290 : i * 10,
      0,
      i % 7,
      nearWrap ? 4294967295 : i * 20,
      1,
      2,
    ]);
    // Row 2 has no ifXTable entry: the client must fall back to 32-bit counters and ifSpeed.
    if (i !== 2)
      mib.addTableRow('ifXTable', [
        i,
        `Eth${i}`,
        c64(nearWrap ? 18446744073709551610n : BigInt(i) * 1000n),
        c64(nearWrap ? 2n ** 64n - 1n : BigInt(i) * 2000n),
        10000,
        `port ${i}`,
      ]);
  }
  return { agent, port };
}

const closeAgent = (agent: Agent | undefined) => new Promise<void>((r) => (agent ? agent.close(() => r()) : r()));
const target = (port: number, extra: Partial<SnmpTarget> = {}): SnmpTarget => ({
  host: HOST,
  credentials: { version: '2c', community: COMMUNITY, port },
  ...extra,
});

describe('SnmpClient against a net-snmp agent', () => {
  let small: { agent: Agent; port: number };
  let big: { agent: Agent; port: number };
  let client: SnmpClient;

  beforeAll(async () => {
    small = await startAgent(3);
    big = await startAgent(10_000);
    client = new SnmpClient({ timeoutMs: 500, retries: 0 });
  });

  afterAll(async () => {
    client?.closeAll();
    await closeAgent(small?.agent);
    await closeAgent(big?.agent);
  });

  it('polls the system group over v2c and v1', async () => {
    const expected = {
      sysName: 'agent-under-test',
      sysDescr: 'NetDesk test agent',
      sysObjectID: '1.3.6.1.4.1.8072.3.2.10',
      sysUpTimeTicks: 4242,
      issues: [],
    };
    await expect(client.pollSystem(target(small.port))).resolves.toEqual(expected);
    await expect(
      client.pollSystem({
        deviceId: 'v1',
        host: HOST,
        credentials: { version: '1', community: COMMUNITY, port: small.port },
      }),
    ).resolves.toEqual(expected);
  });

  it('polls interfaces with 64-bit counters near wrap and 32-bit fallback', async () => {
    for (const version of ['2c', '1'] as const) {
      const { interfaces, issues } = await client.pollInterfaces({
        deviceId: `if-${version}`,
        host: HOST,
        credentials: { version, community: COMMUNITY, port: small.port },
      });
      expect(issues).toEqual([]);
      expect(interfaces.map((i) => i.ifIndex)).toEqual([1, 2, 3]);
      expect(interfaces[0]).toEqual({
        ifIndex: 1,
        ifDescr: 'eth1',
        ifName: 'Eth1',
        ifAlias: 'port 1',
        ifType: 6,
        adminStatus: 1,
        operStatus: 1,
        speedBps: 10e9,
        inOctets: 18446744073709551610n,
        outOctets: 2n ** 64n - 1n,
        inOctetsBits: 64,
        outOctetsBits: 64,
        inErrors: 1,
        outErrors: 2,
        inDiscards: 0,
        outDiscards: 1,
      });
      expect(interfaces[1]).toMatchObject({
        ifIndex: 2,
        ifName: null,
        operStatus: 2,
        speedBps: 4294967295,
        inOctets: 20n,
        outOctets: 40n,
        inOctetsBits: 32,
        outOctetsBits: 32,
      });
    }
  });

  it('walks names, aliases and speeds in full every few polls, at once when interfaces come or go, or after a restart', async () => {
    const agent = await startAgent(3);
    // setTableSingleCell is in net-snmp, not in its typings
    const mib = agent.agent.getMib() as ReturnType<Agent['getMib']> & {
      setTableSingleCell(table: string, column: number, rowIndex: unknown[], value: unknown): void;
    };
    const poller = new SnmpClient({ timeoutMs: 500, retries: 0 });
    const t = target(agent.port, { deviceId: 'statics' });
    const poll = async () => (await poller.pollInterfaces(t)).interfaces;
    try {
      const first = await poll();
      expect(first.map((i) => [i.ifIndex, i.ifAlias, i.inOctetsBits])).toEqual([
        [1, 'port 1', 64],
        [2, null, 32],
        [3, 'port 3', 64],
      ]);
      // counters and statuses are read on every poll; the alias only on the next full walk
      mib.setTableSingleCell('ifXTable', 18, [3], 'uplink to core');
      mib.setTableSingleCell('ifTable', 8, [3], 2);
      mib.setTableSingleCell('ifTable', 10, [2], 999);
      const second = await poll();
      expect(second[2]).toMatchObject({ ifIndex: 3, ifAlias: 'port 3', ifDescr: 'eth3', operStatus: 2 });
      expect(second[1]).toMatchObject({ ifIndex: 2, inOctets: 999n, inOctetsBits: 32, speedBps: 4294967295 });
      expect(second[0]).toEqual({ ...first[0] });
      for (let n = 2; n < FULL_INTERFACE_WALK_EVERY; n++) expect((await poll())[2].ifAlias).toBe('port 3');
      expect((await poll())[2].ifAlias).toBe('uplink to core');

      // a new interface is seen with its name on the very next poll
      mib.addTableRow('ifTable', [4, 'eth4', 6, 1000, 1, 1, 5, 0, 0, 6, 0, 0]);
      mib.addTableRow('ifXTable', [4, 'Eth4', c64(7n), c64(8n), 1, 'new port']);
      expect((await poll()).find((i) => i.ifIndex === 4)).toMatchObject({ ifName: 'Eth4', ifAlias: 'new port' });

      // sysUpTime going back (a restart): the next interface poll is a full walk
      mib.setTableSingleCell('ifXTable', 18, [1], 'renamed after reboot');
      await poller.pollSystem(t); // uptime 4242
      mib.setScalarValue('sysUpTime', 10);
      await poller.pollSystem(t);
      expect((await poll())[0].ifAlias).toBe('renamed after reboot');
    } finally {
      poller.closeAll();
      await closeAgent(agent.agent);
    }
  });

  it('walks a 10,000-row ifTable', async () => {
    // net-snmp's agent caps a GETBULK response at max-repetitions varbinds in total (not per column),
    // so a larger max-repetitions is used here; real agents answer 16 x max-repetitions.
    const bulky = new SnmpClient({ timeoutMs: 2000, retries: 0, maxRepetitions: 250 });
    const started = Date.now();
    const { interfaces, requests, issues } = await bulky
      .pollInterfaces({
        deviceId: 'big',
        host: HOST,
        credentials: { version: '2c', community: COMMUNITY, port: big.port },
      })
      .finally(() => bulky.closeAll());
    const ms = Date.now() - started;
    expect(issues).toEqual([]);
    expect(interfaces).toHaveLength(10_000);
    expect(interfaces[9999]).toMatchObject({
      ifIndex: 10_000,
      ifDescr: 'eth10000',
      ifName: 'Eth10000',
      inOctets: 10_000_000n,
      outOctets: 20_000_000n,
      inOctetsBits: 64,
    });
    console.log(`10,000-row ifTable+ifXTable over v2c: ${ms} ms, ${requests} GETBULK requests`);
  });

  it('polls over SNMPv3 authPriv (sha256/aes) and classifies v3 failures', async () => {
    const v3 = {
      version: '3' as const,
      username: V3_USER.name,
      authProtocol: 'sha256' as const,
      authKey: V3_USER.authKey,
      privProtocol: 'aes' as const,
      privKey: V3_USER.privKey,
      port: small.port,
    };
    await expect(client.pollSystem({ deviceId: 'v3', host: HOST, credentials: v3 })).resolves.toMatchObject({
      sysName: 'agent-under-test',
    });
    const { interfaces } = await client.pollInterfaces({ deviceId: 'v3', host: HOST, credentials: v3 });
    expect(interfaces).toHaveLength(3);

    const reasonOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: SnmpProbeError) => e.reason,
      );
    expect(
      await reasonOf(
        client.pollSystem({ deviceId: 'v3-user', host: HOST, credentials: { ...v3, username: 'nobody' } }),
      ),
    ).toBe('unknownUser');
    expect(
      await reasonOf(
        client.pollSystem({ deviceId: 'v3-auth', host: HOST, credentials: { ...v3, authKey: 'wrong-auth-key' } }),
      ),
    ).toMatch(/authFailure|timeout/);
    expect(
      await reasonOf(
        client.pollSystem({ deviceId: 'v3-priv', host: HOST, credentials: { ...v3, privKey: 'wrong-priv-key' } }),
      ),
    ).toMatch(/privacyFailure|timeout|malformedResponse/);
    expect(
      await reasonOf(
        client.pollSystem({
          deviceId: 'v3-level',
          host: HOST,
          credentials: { version: '3', username: V3_USER.name, port: small.port },
        }),
      ),
    ).toMatch(/unsupportedSecurityLevel|authFailure/);
  });

  it('reports a wrong community as no response (timeout or wrong community)', async () => {
    const err = await client
      .pollSystem({
        deviceId: 'wrong',
        host: HOST,
        credentials: { version: '2c', community: 'wrong-one', port: small.port },
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(SnmpProbeError);
    expect(err).toMatchObject({ reason: 'timeout', message: 'no response (timeout or wrong community)' });
    expect(JSON.stringify(err)).not.toContain('wrong-one');
  });

  it('reports wrong varbind types as issues, not crashes', async () => {
    const odd = await startAgent(1, { sysUpTimeType: T.OctetString });
    try {
      const info = await client.pollSystem(target(odd.port, { deviceId: 'odd' }));
      expect(info).toMatchObject({
        sysName: 'agent-under-test',
        sysUpTimeTicks: null,
        issues: ['sysUpTime: expected TimeTicks, got OctetString'],
      });
    } finally {
      await closeAgent(odd.agent);
    }
  });

  it('times out once the agent is stopped', async () => {
    const gone = await startAgent(1);
    const t = target(gone.port, { deviceId: 'gone' });
    await expect(client.pollSystem(t)).resolves.toMatchObject({ sysName: 'agent-under-test' });
    await closeAgent(gone.agent);
    await expect(client.pollSystem(t)).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('classifies garbage answers as a malformed response', async () => {
    const port = await freeUdpPort();
    const liar = dgram.createSocket('udp4');
    liar.on('message', (_msg, rinfo) =>
      liar.send(Buffer.from('\x30\x03\x02\x01garbage, not BER'), rinfo.port, rinfo.address),
    );
    await new Promise<void>((r) => liar.bind(port, HOST, () => r()));
    try {
      await expect(client.pollSystem(target(port, { deviceId: 'liar' }))).rejects.toMatchObject({
        reason: 'malformedResponse',
      });
      await expect(client.pollInterfaces(target(port, { deviceId: 'liar' }))).rejects.toMatchObject({
        reason: 'malformedResponse',
      });
    } finally {
      await new Promise<void>((r) => liar.close(() => r()));
    }
  });

  it('reuses one session per device, replaces it when credentials change, and leaks no descriptors', async () => {
    const local = new SnmpClient({ timeoutMs: 100, retries: 0, maxInFlight: 20 });
    const before = openFds();
    try {
      const deadPorts = await Promise.all(Array.from({ length: 20 }, () => freeUdpPort()));
      for (let round = 0; round < 10; round++) {
        await Promise.all(
          deadPorts.map((port, i) =>
            local
              .pollSystem({
                deviceId: `dead-${i}`,
                host: HOST,
                credentials: { version: '2c', community: `c-${round % 2}`, port },
              })
              .catch((e) => e),
          ),
        );
      }
      expect(local.stats().sessions).toBe(20);
      expect(openFds() - before).toBeLessThanOrEqual(20);
      for (let i = 0; i < 10; i++) local.forget(`dead-${i}`);
      expect(local.stats().sessions).toBe(10);
      await expect(local.pollSystem(target(small.port, { deviceId: 'live' }))).resolves.toBeDefined();
      await expect(local.pollSystem(target(small.port, { deviceId: 'live' }))).resolves.toBeDefined();
      expect(local.stats().sessions).toBe(11);
    } finally {
      local.closeAll();
    }
    await new Promise((r) => setTimeout(r, 50));
    const after = openFds();
    console.log(`fds: before=${before} after 200 failing polls + closeAll=${after}`);
    expect(after).toBeLessThanOrEqual(before);
  });

  it('bounds requests in flight globally', async () => {
    const local = new SnmpClient({ timeoutMs: 1000, retries: 0, maxInFlight: 3 });
    try {
      let peak = 0;
      const timer = setInterval(() => (peak = Math.max(peak, local.stats().inFlight)), 1);
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => local.pollSystem(target(small.port, { deviceId: `d${i}` }))),
      );
      clearInterval(timer);
      expect(peak).toBeLessThanOrEqual(3);
      expect(local.stats()).toMatchObject({ inFlight: 0, queued: 0 });
    } finally {
      local.closeAll();
    }
  });
});
