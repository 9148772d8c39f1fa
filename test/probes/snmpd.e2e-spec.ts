/**
 * SnmpClient against the real Net-SNMP daemon: started by the test on 127.0.0.1 on a free high port
 * with its own temporary configuration, polled over v2c, v1 and v3, killed in afterAll.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnmpClient, SnmpTarget } from '../../libs/monitoring/src/probes';

jest.setTimeout(60_000);

const HOST = '127.0.0.1';
const COMMUNITY = 'nd-snmpd-ro';
const V3 = { username: 'ndv3user', authKey: 'auth-pass-123', privKey: 'priv-pass-456' };

async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, HOST, () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('SnmpClient against snmpd', () => {
  let dir: string;
  let snmpd: ChildProcess | undefined;
  let port: number;
  let client: SnmpClient;
  let log = '';
  const v2c = (): SnmpTarget => ({
    deviceId: 'snmpd-v2c',
    host: HOST,
    credentials: { version: '2c', community: COMMUNITY, port },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'netdesk-snmpd-'));
    port = await freePort();
    const conf = join(dir, 'snmpd.conf');
    writeFileSync(
      conf,
      [
        `rocommunity ${COMMUNITY} 127.0.0.1`,
        `createUser ${V3.username} SHA-256 "${V3.authKey}" AES "${V3.privKey}"`,
        `rouser ${V3.username} priv`,
        'sysName netdesk-snmpd-test',
        'sysLocation NetDesk e2e',
        'sysContact nobody@localhost',
        '',
      ].join('\n'),
    );
    snmpd = spawn('snmpd', ['-f', '-Lo', '-C', '-c', conf, '-p', join(dir, 'snmpd.pid'), `udp:${HOST}:${port}`], {
      env: { PATH: process.env.PATH, SNMP_PERSISTENT_DIR: dir, SNMPCONFPATH: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    snmpd.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    snmpd.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    client = new SnmpClient({ timeoutMs: 1000, retries: 1 });
    const deadline = Date.now() + 15_000;
    for (;;) {
      try {
        await client.pollSystem(v2c());
        break;
      } catch (err) {
        if (Date.now() > deadline || snmpd.exitCode !== null)
          throw new Error(`snmpd did not come up: ${String(err)}\n${log}`, { cause: err });
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });

  afterAll(async () => {
    client?.closeAll();
    if (snmpd && snmpd.exitCode === null && snmpd.signalCode === null) {
      const exited = new Promise<void>((r) => snmpd?.once('exit', () => r()));
      snmpd.kill('SIGTERM');
      const kill = setTimeout(() => snmpd?.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(kill);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('polls the system group', async () => {
    const info = await client.pollSystem(v2c());
    expect(info).toMatchObject({
      sysName: 'netdesk-snmpd-test',
      sysObjectID: expect.stringMatching(/^1\.3\.6\.1\.4\.1\.8072\./),
      issues: [],
    });
    expect(info.sysDescr).toMatch(/Linux/);
    expect(info.sysUpTimeTicks).toBeGreaterThanOrEqual(0);
  });

  it('polls interfaces with 64-bit counters (v2c) and 32-bit counters (v1)', async () => {
    const { interfaces, issues } = await client.pollInterfaces(v2c());
    expect(issues).toEqual([]);
    const lo = interfaces.find((i) => i.ifDescr === 'lo');
    expect(lo).toMatchObject({
      ifName: 'lo',
      ifType: 24,
      adminStatus: 1,
      operStatus: 1,
      inOctetsBits: 64,
      outOctetsBits: 64,
    });
    expect(typeof lo?.inOctets).toBe('bigint');

    const v1 = await client.pollInterfaces({
      deviceId: 'snmpd-v1',
      host: HOST,
      credentials: { version: '1', community: COMMUNITY, port },
    });
    const lo1 = v1.interfaces.find((i) => i.ifDescr === 'lo');
    // SNMPv1 cannot carry Counter64, so snmpd skips ifHC* columns and the 32-bit ones are used.
    expect(lo1).toMatchObject({ ifName: 'lo', inOctetsBits: 32, outOctetsBits: 32 });
    expect(v1.interfaces.length).toBe(interfaces.length);
  });

  it('polls host resources (CPU and RAM)', async () => {
    const hr = await client.pollHostResources(v2c());
    // snmpd publishes hrProcessorLoad only once it has a minute of samples, so right after start the
    // column is absent and the client must say "unknown" (null) rather than 0 %.
    if (hr.cpuLoadPct === null) expect(hr.cpuCount).toBe(0);
    else expect(hr.cpuLoadPct).toBeGreaterThanOrEqual(0);
    expect(hr.memory?.totalBytes).toBeGreaterThan(0);
    expect(hr.memory?.usedPct).toBeGreaterThan(0);
    expect(hr.memory?.usedPct).toBeLessThanOrEqual(100);
  });

  it('polls over SNMPv3 authPriv (SHA-256/AES) and names wrong keys', async () => {
    const creds = {
      version: '3' as const,
      username: V3.username,
      authProtocol: 'sha256' as const,
      authKey: V3.authKey,
      privProtocol: 'aes' as const,
      privKey: V3.privKey,
      port,
    };
    await expect(client.pollSystem({ deviceId: 'snmpd-v3', host: HOST, credentials: creds })).resolves.toMatchObject({
      sysName: 'netdesk-snmpd-test',
    });
    await expect(
      client.pollSystem({ deviceId: 'snmpd-v3-user', host: HOST, credentials: { ...creds, username: 'nobody' } }),
    ).rejects.toMatchObject({ reason: 'unknownUser' });
    await expect(
      client.pollSystem({
        deviceId: 'snmpd-v3-auth',
        host: HOST,
        credentials: { ...creds, authKey: 'wrong-auth-key' },
      }),
    ).rejects.toMatchObject({ reason: 'authFailure' });
    await expect(
      client.pollSystem({
        deviceId: 'snmpd-v3-priv',
        host: HOST,
        credentials: { ...creds, privKey: 'wrong-priv-key' },
      }),
    ).rejects.toMatchObject({
      reason: expect.stringMatching(/privacyFailure|timeout/),
    });
  });

  it('reports a wrong community as no response (timeout or wrong community)', async () => {
    await expect(
      client.pollSystem({
        deviceId: 'snmpd-wrong',
        host: HOST,
        credentials: { version: '2c', community: 'nope', port },
      }),
    ).rejects.toMatchObject({
      reason: 'timeout',
      message: 'no response (timeout or wrong community)',
    });
  });
});
