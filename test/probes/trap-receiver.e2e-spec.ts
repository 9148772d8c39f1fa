/** TrapReceiver on 127.0.0.1 with traps from the Net-SNMP `snmptrap` CLI and raw garbage datagrams. */
import { execFile } from 'node:child_process';
import * as dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrapEvent, TrapReceiver } from '../../libs/monitoring/src/probes';

jest.setTimeout(30_000);

const HOST = '127.0.0.1';
const FIXED_NOW = new Date('2031-05-06T07:08:09Z');
let snmpHome: string;

beforeAll(() => {
  snmpHome = mkdtempSync(join(tmpdir(), 'netdesk-snmptrap-'));
});
afterAll(() => rmSync(snmpHome, { recursive: true, force: true }));

/** Runs snmptrap with an empty config path, no MIB loading and a private persistent dir. */
function snmptrap(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'snmptrap',
      args,
      {
        timeout: 10_000,
        env: {
          PATH: process.env.PATH,
          SNMPCONFPATH: snmpHome,
          SNMP_PERSISTENT_DIR: snmpHome,
          MIBS: '',
          MIBDIRS: snmpHome,
        },
      },
      (err, _out, stderr) => (err ? reject(new Error(`${err.message} ${stderr}`)) : resolve()),
    );
  });
}

async function sendRaw(port: number, payload: Buffer): Promise<void> {
  const s = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => s.send(payload, port, HOST, (err) => (err ? reject(err) : resolve())));
  } finally {
    s.close();
  }
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('TrapReceiver', () => {
  let receiver: TrapReceiver;
  let port: number;
  const events: TrapEvent[] = [];

  beforeAll(async () => {
    // Port 0 would be turned into 162 by net-snmp; pick a free high port instead.
    port = await freePort();
    receiver = new TrapReceiver({ port, address: HOST, onTrap: (e) => events.push(e), clock: () => FIXED_NOW });
    await receiver.start();
  });

  afterAll(async () => {
    await receiver?.stop();
  });

  beforeEach(() => {
    events.length = 0;
  });

  it('decodes a v2c linkDown with ifIndex from snmptrap', async () => {
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'any-community',
      `${HOST}:${port}`,
      '',
      '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.5',
      'i',
      '5',
    ]);
    await waitFor(() => events.length === 1);
    expect(events[0]).toEqual({
      source: HOST,
      kind: 'linkDown',
      ifIndex: 5,
      receivedAt: FIXED_NOW,
      version: '2c',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
    });
  });

  it('decodes a v1 linkDown (generic 2) with ifIndex from snmptrap', async () => {
    await snmptrap([
      '-v',
      '1',
      '-c',
      'other-community',
      `${HOST}:${port}`,
      '1.3.6.1.4.1.8072.3.2.10',
      HOST,
      '2',
      '0',
      '',
      '1.3.6.1.2.1.2.2.1.1.7',
      'i',
      '7',
    ]);
    await waitFor(() => events.length === 1);
    expect(events[0]).toMatchObject({ source: HOST, kind: 'linkDown', ifIndex: 7, version: '1' });
  });

  it('decodes v2c linkUp, coldStart, warmStart and enterprise traps', async () => {
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'c',
      `${HOST}:${port}`,
      '',
      '1.3.6.1.6.3.1.1.5.4',
      '1.3.6.1.2.1.2.2.1.1.3',
      'i',
      '3',
    ]);
    await snmptrap(['-v', '2c', '-c', 'c', `${HOST}:${port}`, '', '1.3.6.1.6.3.1.1.5.1']);
    await snmptrap(['-v', '1', '-c', 'c', `${HOST}:${port}`, '1.3.6.1.4.1.8072', HOST, '1', '0', '']);
    await snmptrap(['-v', '2c', '-c', 'c', `${HOST}:${port}`, '', '1.3.6.1.4.1.8072.4.0.2']);
    await waitFor(() => events.length === 4);
    expect(events.map((e) => [e.kind, e.ifIndex])).toEqual([
      ['linkUp', 3],
      ['coldStart', undefined],
      ['warmStart', undefined],
      ['other', undefined],
    ]);
  });

  it('counts garbage and non-trap datagrams as malformed and keeps working', async () => {
    const before = receiver.counters();
    await sendRaw(port, Buffer.from('definitely not SNMP'));
    await sendRaw(port, Buffer.alloc(0));
    await sendRaw(port, Buffer.from([0x30, 0x82, 0xff, 0xff, 0x02, 0x01]));
    // A well-formed v2c GetRequest is not a trap either.
    await sendRaw(
      port,
      Buffer.from('302602010104067075626c6963a019020101020100020100300e300c06082b060102010105000500', 'hex'),
    );
    await waitFor(() => receiver.counters().received - before.received === 4);
    await waitFor(() => receiver.counters().malformed - before.malformed === 4);
    await snmptrap([
      '-v',
      '2c',
      '-c',
      'c',
      `${HOST}:${port}`,
      '',
      '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.9',
      'i',
      '9',
    ]);
    await waitFor(() => events.length === 1);
    const after = receiver.counters();
    expect(after.decoded - before.decoded).toBe(1);
    expect(after.received - before.received).toBe(5);
  });

  it('refuses traps with other communities when communities are configured', async () => {
    const filtered: TrapEvent[] = [];
    const p = await freePort();
    const strict = new TrapReceiver({
      port: p,
      address: HOST,
      communities: ['letmein'],
      onTrap: (e) => filtered.push(e),
    });
    await strict.start();
    try {
      await snmptrap(['-v', '2c', '-c', 'wrong', `${HOST}:${p}`, '', '1.3.6.1.6.3.1.1.5.3']);
      await snmptrap(['-v', '2c', '-c', 'letmein', `${HOST}:${p}`, '', '1.3.6.1.6.3.1.1.5.4']);
      await waitFor(() => filtered.length === 1 && strict.counters().rejected === 1);
      expect(filtered[0].kind).toBe('linkUp');
    } finally {
      await strict.stop();
    }
  });

  it('rejects start() when the port is taken', async () => {
    const clash = new TrapReceiver({ port, address: HOST, onTrap: () => undefined });
    await expect(clash.start()).rejects.toThrow(/EADDRINUSE/);
  });
});

async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
