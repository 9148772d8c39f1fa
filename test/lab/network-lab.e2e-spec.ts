/**
 * The network lab against real tools: fping, snmpget and a real trap receiver in the root namespace.
 * Needs root; fails (does not skip) when the lab is not supported here.
 *
 *   npx jest --selectProjects e2e --testPathPatterns test/lab/
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as snmp from 'net-snmp';
import { NetworkLab, OID } from './network-lab';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], timeoutMs = 15_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, env: { ...process.env, PATH: `/usr/sbin:/usr/bin:/sbin:/bin:${process.env.PATH ?? ''}` } },
      (error, stdout, stderr) => {
        const code = error
          ? typeof (error as { code?: unknown }).code === 'number'
            ? (error as { code: number }).code
            : -1
          : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Addresses fping reports alive, with short timeouts so a dead host costs ~0.5 s. */
async function alive(...addresses: string[]): Promise<Set<string>> {
  const { stdout } = await exec('fping', ['-t', '250', '-r', '1', ...addresses]);
  return new Set(
    stdout
      .split('\n')
      .filter((line) => line.endsWith(' is alive'))
      .map((line) => line.split(' ')[0]),
  );
}

async function snmpGet(
  address: string,
  oid: string,
  auth: string[] = ['-v2c', '-c', COMMUNITY],
): Promise<Result & { value: string }> {
  const result = await exec('snmpget', [...auth, '-t', '0.5', '-r', '1', '-On', '-Oqv', address, oid]);
  return { ...result, value: result.stdout.trim().replace(/^"(.*)"$/, '$1') };
}

interface Trap {
  at: number;
  from: string;
  trapOid: string;
  varbinds: Array<{ oid: string; value: unknown }>;
}

/** The part of net-snmp's receiver callback data the suite reads. */
interface ReceivedTrap {
  pdu: { varbinds: Array<{ oid: string; value: unknown }> };
  rinfo: { address: string };
}

function waitForTrap(traps: Trap[], predicate: (trap: Trap) => boolean, timeoutMs: number): Promise<Trap | undefined> {
  return new Promise((resolve) => {
    const deadline = performance.now() + timeoutMs;
    const poll = () => {
      const found = traps.find(predicate);
      if (found || performance.now() > deadline) resolve(found);
      else setTimeout(poll, 20);
    };
    poll();
  });
}

const COMMUNITY = 'lab-ro';
const V3 = { username: 'netdesk', authKey: 'auth-key-123', privKey: 'priv-key-456' };

describe('NetworkLab (real namespaces, snmpd, fping)', () => {
  let lab: NetworkLab | undefined;
  let receiver: { close(cb?: () => void): void } | undefined;
  const traps: Trap[] = [];
  let router: { address: string; namespace: string };
  let child: { address: string; namespace: string };

  beforeAll(async () => {
    await NetworkLab.assertSupported();
    lab = await NetworkLab.create({
      hosts: [
        { name: 'router', snmp: { community: COMMUNITY }, interfaces: [{ name: 'uplink0', alias: 'uplink' }] },
        { name: 'child', parent: 'router', snmp: { community: COMMUNITY, v3: V3 } },
      ],
      trapSink: {},
    });
    console.log(
      `network lab up in ${lab.timings.createMs} ms (topology ${lab.timings.topologyMs} ms, snmpd ${lab.timings.snmpdMs} ms), block ${lab.addressBlock}`,
    );
    router = { address: lab.host('router').address, namespace: lab.host('router').namespace };
    child = { address: lab.host('child').address, namespace: lab.host('child').namespace };
    const sink = lab.trapSink!;
    receiver = snmp.createReceiver(
      { port: sink.port, address: sink.address, transport: 'udp4', disableAuthorization: true },
      (error: Error | null, data?: ReceivedTrap) => {
        if (error || !data) return;
        const varbinds = data.pdu.varbinds.map((v) => ({ oid: v.oid, value: v.value }));
        const trapOid = String(varbinds.find((v) => v.oid === OID.snmpTrapOID)?.value ?? '');
        traps.push({ at: performance.now(), from: data.rinfo.address, trapOid, varbinds });
      },
    );
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
    await lab?.destroy();
  });

  it('gives each host an address in the benchmarking range and a unique namespace', () => {
    expect(router.address).toMatch(/^198\.1[89]\./);
    expect(child.address).toMatch(/^198\.1[89]\./);
    expect(router.namespace).toBe(`${lab!.prefix}router`);
    expect(lab!.host('child').parent).toBe('router');
    expect(lab!.host('router').snmpPort).toBe(161);
  });

  it('makes the router and the child behind it reachable from the root namespace', async () => {
    expect(await alive(router.address, child.address)).toEqual(new Set([router.address, child.address]));
  });

  it('answers SNMP with each host sysName, over v2c and over v3 on the child', async () => {
    expect((await snmpGet(router.address, OID.sysName)).value).toBe('router');
    expect((await snmpGet(child.address, OID.sysName)).value).toBe('child');
    const v3 = await snmpGet(child.address, OID.sysName, [
      '-v3',
      '-l',
      'authPriv',
      '-u',
      V3.username,
      '-a',
      'SHA',
      '-A',
      V3.authKey,
      '-x',
      'AES',
      '-X',
      V3.privKey,
    ]);
    expect(v3.value).toBe('child');
  });

  it('serves the ifAlias and kernel ifIndex of an extra interface', async () => {
    const ifIndex = await lab!.host('router').ifIndexOf('uplink0');
    expect((await snmpGet(router.address, `${OID.ifAlias}.${ifIndex}`)).value).toBe('uplink');
    expect((await snmpGet(router.address, `${OID.ifName}.${ifIndex}`)).value).toBe('uplink0');
  });

  it('cutLink(router) takes down the router and the child behind it; restoreLink brings both back', async () => {
    await lab!.cutLink('router');
    expect(await alive(router.address, child.address)).toEqual(new Set());
    await lab!.restoreLink('router');
    expect(await alive(router.address, child.address)).toEqual(new Set([router.address, child.address]));
    expect((await snmpGet(child.address, OID.sysName)).value).toBe('child');
  });

  it('a silent cut of the child drops its traffic (timeouts) while the router stays up', async () => {
    await lab!.cutLink('child', { mode: 'silent' });
    const started = performance.now();
    expect(await alive(router.address, child.address)).toEqual(new Set([router.address]));
    expect(performance.now() - started).toBeGreaterThan(200); // timed out rather than refused
    await lab!.restoreLink('child');
    expect(await alive(child.address)).toEqual(new Set([child.address]));
  });

  it('setInterfaceDown reads down(2) over SNMP and sends a linkDown trap with the ifIndex within 3 s', async () => {
    const ifIndex = await lab!.host('router').ifIndexOf('uplink0');
    const statusOid = `${OID.ifOperStatus}.${ifIndex}`;
    const indexOid = `${OID.ifIndex}.${ifIndex}`;
    expect((await snmpGet(router.address, statusOid)).value).toBe('1');

    const downAt = performance.now();
    await lab!.setInterfaceDown('router', 'uplink0');
    expect((await snmpGet(router.address, statusOid)).value).toBe('2');
    const linkDown = await waitForTrap(
      traps,
      (t) =>
        t.at >= downAt &&
        t.trapOid === OID.linkDown &&
        t.varbinds.some((v) => v.oid === indexOid && v.value === ifIndex),
      3_000,
    );
    expect(linkDown).toBeDefined();
    expect(linkDown!.from).toBe(router.address);
    console.log(`linkDown trap ${Math.round(linkDown!.at - downAt)} ms after setInterfaceDown`);

    const upAt = performance.now();
    await lab!.setInterfaceUp('router', 'uplink0');
    const linkUp = await waitForTrap(
      traps,
      (t) => t.at >= upAt && t.trapOid === OID.linkUp && t.varbinds.some((v) => v.oid === indexOid),
      3_000,
    );
    expect(linkUp).toBeDefined();
    expect((await snmpGet(router.address, statusOid)).value).toBe('1');
    console.log(`linkUp trap ${Math.round(linkUp!.at - upAt)} ms after setInterfaceUp`);
  });

  it('stopSnmp leaves the host pingable while SNMP times out; startSnmp brings it back', async () => {
    await lab!.stopSnmp('child');
    const silent = await snmpGet(child.address, OID.sysName);
    expect(silent.code).not.toBe(0);
    expect(silent.stderr).toMatch(/Timeout/);
    expect(await alive(child.address)).toEqual(new Set([child.address]));
    await lab!.startSnmp('child');
    expect((await snmpGet(child.address, OID.sysName)).value).toBe('child');
  });

  it('cleanupStale removes orphaned lab namespaces and their processes but never a live lab', async () => {
    const orphan = 'ndlzzzz-orphan';
    await exec('ip', ['netns', 'add', orphan]);
    const sleeper: ChildProcess = spawn('/usr/sbin/ip', ['netns', 'exec', orphan, 'sleep', '300'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => sleeper.once('exit', resolve));
    const report = await NetworkLab.cleanupStale();
    expect(report.namespaces).toContain(orphan);
    expect(report.namespaces.some((ns) => ns.startsWith(lab!.prefix))).toBe(false);
    await exited;
    expect((await exec('ip', ['netns', 'list'])).stdout).not.toContain(orphan);
    expect(await alive(router.address, child.address)).toEqual(new Set([router.address, child.address]));
  });

  it('refuses names that could inject commands or configuration', async () => {
    await expect(NetworkLab.create({ hosts: [{ name: 'a; rm -rf /' }] })).rejects.toThrow(/invalid host name/);
    await expect(
      NetworkLab.create({ hosts: [{ name: 'ok', snmp: { community: 'x\nrwcommunity y' } }] }),
    ).rejects.toThrow(/community/);
    await expect(NetworkLab.create({ hosts: [{ name: 'ok', interfaces: [{ name: 'eth0' }] }] })).rejects.toThrow(
      /interface name/,
    );
    await expect(NetworkLab.create({ hosts: [{ name: 'kid', parent: 'nobody' }] })).rejects.toThrow(/unknown parent/);
  });

  it('destroy removes every namespace, link and route of the lab, and is idempotent', async () => {
    const prefix = lab!.prefix;
    const block = lab!.addressBlock;
    await lab!.destroy();
    await lab!.destroy();
    expect((await exec('ip', ['netns', 'list'])).stdout).not.toContain(prefix);
    expect((await exec('ip', ['-o', 'link', 'show'])).stdout).not.toContain(prefix);
    const routes = JSON.parse((await exec('ip', ['-4', '-j', 'route', 'show', 'table', 'all'])).stdout) as Array<{
      dst: string;
    }>;
    expect(
      routes.filter((r) => r.dst.startsWith(block.split('.').slice(0, 2).join('.')) && r.dst !== '198.18.0.0/15'),
    ).toEqual([]);
    // A poller still running would hit the guard route, never the default gateway (nothing is sent here).
    expect((await exec('ip', ['route', 'get', router.address])).stderr).toMatch(/No route to host/);
  });
});
