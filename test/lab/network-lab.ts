/**
 * NetworkLab: real hosts in Linux network namespaces, for tests that need real outages.
 *
 * Each host is a namespace connected by a veth pair to the root namespace, or to its parent host (which
 * then routes for it). Hosts can run a real snmpd that answers v2c/v3 and sends linkUp/linkDown traps to
 * a sink in the root namespace. Faults: cut a link, take an interface down, stop the agent.
 *
 * Traffic only ever goes to addresses of the lab's own /22 in 198.18.0.0/15 (see lab-addresses.ts):
 * hosts only have a route to that block, and the root namespace holds a permanent low-priority
 * "unreachable 198.18.0.0/15" guard so lab traffic never falls through to the default route, not while
 * a link is cut and not after destroy().
 *
 * Needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN) and iproute2; snmpd/net-snmp tools for SNMP hosts.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LabBlock, LinkAddresses, MAX_LINKS_PER_LAB, labBlock } from './lab-addresses';
import { LabCommandError, findTool, ip, nsExec, runSync, sleep, tool, toolEnv } from './lab-commands';
import {
  CleanupReport,
  LAB_NAME_PREFIX,
  LabRecord,
  TMP_DIR_PREFIX,
  acquireSlot,
  cleanupStaleLabs,
  deleteNamespace,
  deleteRootLinks,
  deleteNamespaceSync,
  ensureGuardRoute,
  processStartTime,
  releaseSlot,
} from './lab-registry';
import { COMMUNITY_PATTERN, OID, SnmpAuthProtocol, SnmpPrivProtocol, renderSnmpdConfig } from './snmpd-config';

export { OID } from './snmpd-config';
export type { CleanupReport } from './lab-registry';

// ---------------------------------------------------------------------------------------------- spec

export interface LabSnmpV3Spec {
  username: string;
  authKey: string;
  privKey: string;
  /** default SHA */
  authProtocol?: SnmpAuthProtocol;
  /** default AES */
  privProtocol?: SnmpPrivProtocol;
}

export interface LabSnmpSpec {
  community: string;
  v3?: LabSnmpV3Spec;
  /** sysLocation; default "NetDesk lab <id>" */
  location?: string;
}

export interface LabInterfaceSpec {
  /** Interface name inside the host, e.g. "uplink0" (not "lo" or "eth0", which the lab uses). */
  name: string;
  /** ifAlias, both in the kernel and as served by snmpd. */
  alias?: string;
}

export interface LabHostSpec {
  /** Lower-case letters, digits and '-', starting with a letter, up to 20 characters. */
  name: string;
  /** Name of the host this one is routed through. */
  parent?: string;
  snmp?: LabSnmpSpec;
  interfaces?: LabInterfaceSpec[];
}

export interface LabTrapSinkSpec {
  /** UDP port the hosts send traps to; default: a free port on the sink address. */
  port?: number;
  /** '2c' (default, trap2sink) or '1' (trapsink). */
  version?: '1' | '2c';
}

export interface LabSpec {
  hosts: LabHostSpec[];
  /** When set, every SNMP host sends linkUp/linkDown (and coldStart) to `lab.trapSink`. */
  trapSink?: LabTrapSinkSpec;
  /** DisMan sample period for ifOperStatus, in seconds (default 1). */
  trapMonitorSeconds?: number;
}

export type CutMode = 'down' | 'silent';

export interface LabTimings {
  /** Whole create(), in ms. */
  createMs: number;
  /** Namespaces, links, addresses and routes, in ms. */
  topologyMs: number;
  /** Starting every snmpd until it answers, in ms. */
  snmpdMs: number;
}

export class LabUnsupportedError extends Error {
  constructor(readonly reasons: string[]) {
    super(
      `The network lab cannot run here: ${reasons.join('; ')}. ` +
        'It needs root (or CAP_NET_ADMIN+CAP_SYS_ADMIN) with working `ip netns`, e.g. run the e2e suite as root ' +
        'in a VM or a privileged container.',
    );
    this.name = 'LabUnsupportedError';
  }
}

// ------------------------------------------------------------------------------------------- helpers

const HOST_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const IF_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;
const RESERVED_IF_NAMES = new Set(['lo', 'eth0']);
const HOST_IF = 'eth0';
const SNMP_PORT = 161;
const INTERNAL_USER = 'ndlabInternal';

function randomId(length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

function randomSecret(): string {
  return randomBytes(12).toString('hex');
}

let extraInterfaceKind: 'dummy' | 'ifb' | null = null;

/** Creates a carrier-less stand-alone interface (the trap sink's); "dummy" where the kernel has it, else "ifb". */
async function addStandaloneInterface(ns: string | null, name: string): Promise<void> {
  const kinds: Array<'dummy' | 'ifb'> = extraInterfaceKind ? [extraInterfaceKind] : ['dummy', 'ifb'];
  let lastError: unknown;
  for (const kind of kinds) {
    try {
      await ip(ns, 'link', 'add', name, 'type', kind);
      extraInterfaceKind = kind;
      return;
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** The veth peer that carries an extra interface's link (same namespace). */
function carrierPeer(ifName: string): string {
  return `${ifName.slice(0, 12)}-pr`;
}

/** A free UDP port on a local address. */
function freeUdpPort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, address, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

interface RouteEntry {
  /** namespace the route lives in; null = root */
  ns: string | null;
  args: string[];
  /** the host whose link connects this namespace to the next hop; the route is only (re)applied while that link is not cut */
  viaLinkOf: LabHostState;
}

interface LabHostState {
  spec: LabHostSpec;
  name: string;
  namespace: string;
  index: number;
  link: LinkAddresses;
  /** veth end in the upstream namespace */
  upstreamIf: string;
  upstreamNs: string | null;
  parent: LabHostState | null;
  children: LabHostState[];
  cut: CutMode | null;
  snmp: SnmpAgent | null;
}

// ----------------------------------------------------------------------------------------- snmp agent

class SnmpAgent {
  private child: ChildProcess | null = null;
  private readonly log: string[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly host: LabHostState,
    private readonly dir: string,
    private readonly mibDir: string,
    readonly controlCommunity: string,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  recentLog(): string {
    return this.log.slice(-30).join('\n');
  }

  async start(): Promise<void> {
    if (this.child) return;
    const env = toolEnv({ SNMP_PERSISTENT_DIR: join(this.dir, 'persist'), MIBS: '', MIBDIRS: this.mibDir });
    const child = spawn(
      tool('ip'),
      [
        'netns',
        'exec',
        this.host.namespace,
        tool('snmpd'),
        '-f',
        '-Lo',
        '-C',
        '-c',
        join(this.dir, 'snmpd.conf'),
        '-p',
        join(this.dir, 'snmpd.pid'),
        `udp:${this.host.link.host}:${SNMP_PORT}`,
        `udp:127.0.0.1:${SNMP_PORT}`,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const collect = (data: Buffer) => {
      this.log.push(...data.toString().split('\n').filter(Boolean));
      if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        if (this.child === child) this.child = null;
        resolve();
      });
      child.once('error', (error) => {
        this.log.push(String(error));
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    await this.waitReady(child);
  }

  /**
   * Waits until the agent answers on the namespace's loopback, and sets the ifTable cache timeout to 0
   * (default 3 s) so ifOperStatus and the linkUp/linkDown monitor see changes at once.
   */
  private async waitReady(child: ChildProcess): Promise<void> {
    const deadline = performance.now() + 5_000;
    let lastError: unknown;
    await sleep(20);
    while (performance.now() < deadline) {
      if (this.child !== child) break;
      try {
        await nsExec(
          this.host.namespace,
          'snmpset',
          [
            '-v2c',
            '-c',
            this.controlCommunity,
            '-t',
            '0.2',
            '-r',
            '0',
            '-Oqv',
            `127.0.0.1:${SNMP_PORT}`,
            OID.ifTableCacheTimeout,
            'i',
            '0',
          ],
          { env: toolEnv({ MIBS: '', MIBDIRS: this.mibDir }), timeoutMs: 3_000 },
        );
        return;
      } catch (error) {
        lastError = error;
        await sleep(25);
      }
    }
    await this.stop();
    throw new Error(
      `network lab: snmpd in ${this.host.name} did not become ready (${String(lastError)})\n${this.recentLog()}`,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      this.exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2_000))),
    ]);
    clearTimeout(timer);
    if (!killed) {
      child.kill('SIGKILL');
      await this.exited;
    }
    this.child = null;
  }

  killSync(): void {
    try {
      this.child?.kill('SIGKILL');
    } catch {
      // gone
    }
    this.child = null;
  }
}

// -------------------------------------------------------------------------------------- public host

export class LabHost {
  constructor(
    private readonly state: LabHostState,
    private readonly lab: NetworkLab,
  ) {}

  get name(): string {
    return this.state.name;
  }
  /** Address of the host (its end of the link), e.g. 198.18.4.6. */
  get address(): string {
    return this.state.link.host;
  }
  /** Network namespace name, e.g. "ndlk3f9-router". */
  get namespace(): string {
    return this.state.namespace;
  }
  /** The link's subnet, e.g. 198.18.4.4/30. */
  get subnet(): string {
    return this.state.link.subnet;
  }
  /** Address of the next hop upstream (root namespace or parent host). */
  get gateway(): string {
    return this.state.link.upstream;
  }
  get parent(): string | undefined {
    return this.state.parent?.name;
  }
  /** UDP port snmpd listens on at `address`, or undefined for hosts without SNMP. */
  get snmpPort(): number | undefined {
    return this.state.spec.snmp ? SNMP_PORT : undefined;
  }
  get snmpRunning(): boolean {
    return this.state.snmp?.running ?? false;
  }
  /** True while this host's own link is cut (not a link further up). */
  get isCut(): boolean {
    return this.state.cut !== null;
  }

  /** Kernel ifIndex of an interface inside the host (= IF-MIB ifIndex as served by net-snmp). */
  async ifIndexOf(ifName: string): Promise<number> {
    return this.lab.ifIndexOf(this.name, ifName);
  }
}

// --------------------------------------------------------------------------------------------- lab

const liveLabs = new Set<NetworkLab>();
let exitHooksInstalled = false;

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const lab of [...liveLabs]) lab.destroySync();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      for (const lab of [...liveLabs]) lab.destroySync();
      process.removeListener(signal, handler);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

export class NetworkLab {
  readonly timings: LabTimings = { createMs: 0, topologyMs: 0, snmpdMs: 0 };
  private readonly hostsByName = new Map<string, LabHostState>();
  private readonly order: LabHostState[] = [];
  private readonly routes: RouteEntry[] = [];
  private sink: { address: string; port: number; version: '1' | '2c' } | null = null;
  private readonly sinkIf: string;
  private destroying: Promise<void> | null = null;
  private destroyed = false;
  private readonly mibDir: string;

  private constructor(
    private readonly spec: LabSpec,
    private readonly record: LabRecord,
    private readonly block: LabBlock,
  ) {
    this.sinkIf = `${record.prefix}sink`;
    this.mibDir = join(record.tmpDir, 'no-mibs');
  }

  // ------------------------------------------------------------------------------- support check

  private static supportCache: Promise<string[]> | null = null;

  /** Reasons the lab cannot run here; empty when it can. Probes by creating a throw-away namespace. */
  static unsupportedReasons(): Promise<string[]> {
    NetworkLab.supportCache ??= (async () => {
      const reasons: string[] = [];
      if (process.platform !== 'linux') return [`platform is ${process.platform}, not linux`];
      if (process.getuid?.() !== 0) reasons.push(`not running as root (uid ${process.getuid?.()})`);
      if (!findTool('ip')) reasons.push('iproute2 `ip` not found');
      if (reasons.length) return reasons;
      const probe = `${LAB_NAME_PREFIX}probe${process.pid}`.slice(0, 32);
      try {
        await ip(null, 'netns', 'add', probe);
        await ip(probe, 'link', 'set', 'lo', 'up');
      } catch (error) {
        reasons.push(
          `\`ip netns\` does not work: ${error instanceof LabCommandError ? error.stderr.trim() : String(error)}`,
        );
      } finally {
        await ip(null, 'netns', 'del', probe).catch(() => undefined);
      }
      return reasons;
    })();
    return NetworkLab.supportCache;
  }

  /** True when running as root with working `ip netns`. */
  static async isSupported(): Promise<boolean> {
    return (await NetworkLab.unsupportedReasons()).length === 0;
  }

  /** Throws a LabUnsupportedError explaining why, so suites fail loudly instead of skipping. */
  static async assertSupported(): Promise<void> {
    const reasons = await NetworkLab.unsupportedReasons();
    if (reasons.length) throw new LabUnsupportedError(reasons);
  }

  /**
   * Removes leftovers of lab runs whose process is gone (killed jest worker, ^C): namespaces with the
   * prefix and the processes inside them, root-namespace links, temp dirs and slot files (the 198.18.0.0/15 guard route stays).
   * Labs of live processes are never touched. Also runs automatically at the start of create().
   */
  static async cleanupStale(prefix: string = LAB_NAME_PREFIX): Promise<CleanupReport> {
    if (!prefix.startsWith(LAB_NAME_PREFIX) || !/^[a-z0-9-]+$/.test(prefix)) {
      throw new Error(`network lab: cleanupStale prefix must start with "${LAB_NAME_PREFIX}": ${prefix}`);
    }
    const localIds = new Set([...liveLabs].map((lab) => lab.id));
    return cleanupStaleLabs(prefix, (id) => localIds.has(id));
  }

  // -------------------------------------------------------------------------------------- create

  static async create(spec: LabSpec): Promise<NetworkLab> {
    const started = performance.now();
    const ordered = NetworkLab.validate(spec);
    await NetworkLab.assertSupported();
    if (ordered.some((h) => h.snmp)) {
      for (const name of ['snmpd', 'snmpset'])
        if (!findTool(name)) throw new LabUnsupportedError([`${name} not found (apt-get install snmpd snmp)`]);
    }
    await NetworkLab.cleanupStale();

    const id = randomId(4);
    const tmpDir = mkdtempSync(join(tmpdir(), `${TMP_DIR_PREFIX}${id}-`));
    let record: LabRecord;
    try {
      record = await acquireSlot({
        id,
        prefix: `${LAB_NAME_PREFIX}${id}-`,
        pid: process.pid,
        pidStart: processStartTime(process.pid),
        tmpDir,
        createdAt: new Date().toISOString(),
      });
    } catch (error) {
      rmSync(tmpDir, { recursive: true, force: true });
      throw error;
    }

    const lab = new NetworkLab(spec, record, labBlock(record.slot));
    liveLabs.add(lab);
    installExitHooks();
    try {
      await lab.build(ordered);
    } catch (error) {
      await lab.destroy().catch(() => undefined);
      throw error;
    }
    lab.timings.createMs = Math.round(performance.now() - started);
    return lab;
  }

  /** Checks names and topology; returns hosts with every parent before its children. */
  private static validate(spec: LabSpec): LabHostSpec[] {
    if (!spec || !Array.isArray(spec.hosts) || spec.hosts.length === 0)
      throw new Error('network lab: spec.hosts must list at least one host');
    if (spec.hosts.length > MAX_LINKS_PER_LAB) throw new Error(`network lab: at most ${MAX_LINKS_PER_LAB} hosts`);
    const byName = new Map<string, LabHostSpec>();
    for (const host of spec.hosts) {
      if (typeof host.name !== 'string' || !HOST_NAME.test(host.name)) {
        throw new Error(`network lab: invalid host name ${JSON.stringify(host.name)} (want ${HOST_NAME})`);
      }
      if (byName.has(host.name)) throw new Error(`network lab: duplicate host name ${host.name}`);
      byName.set(host.name, host);
      const ifNames = new Set<string>();
      for (const itf of host.interfaces ?? []) {
        if (typeof itf.name !== 'string' || !IF_NAME.test(itf.name) || RESERVED_IF_NAMES.has(itf.name)) {
          throw new Error(`network lab: invalid interface name ${JSON.stringify(itf.name)} on ${host.name}`);
        }
        if (ifNames.has(itf.name)) throw new Error(`network lab: duplicate interface ${itf.name} on ${host.name}`);
        ifNames.add(itf.name);
        if (itf.alias !== undefined && !/^[\x20-\x21\x23-\x5b\x5d-\x7e]{0,64}$/.test(itf.alias)) {
          throw new Error(`network lab: invalid alias for ${host.name}/${itf.name}`);
        }
      }
      if (host.snmp && !COMMUNITY_PATTERN.test(host.snmp.community ?? '')) {
        throw new Error(`network lab: invalid SNMP community for ${host.name} (want ${COMMUNITY_PATTERN})`);
      }
    }
    const ordered: LabHostSpec[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (host: LabHostSpec) => {
      if (state.get(host.name) === 'done') return;
      if (state.get(host.name) === 'visiting') throw new Error(`network lab: parent cycle at ${host.name}`);
      state.set(host.name, 'visiting');
      if (host.parent !== undefined) {
        const parent = byName.get(host.parent);
        if (!parent) throw new Error(`network lab: ${host.name} has unknown parent ${JSON.stringify(host.parent)}`);
        visit(parent);
      }
      state.set(host.name, 'done');
      ordered.push(host);
    };
    spec.hosts.forEach(visit);
    const port = spec.trapSink?.port;
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535))
      throw new Error(`network lab: bad trap sink port ${port}`);
    return ordered;
  }

  private async build(ordered: LabHostSpec[]): Promise<void> {
    const t0 = performance.now();
    // Lab addresses without a more specific route (cut link, destroyed lab) are unreachable, never
    // forwarded to the default gateway.
    await ensureGuardRoute();
    mkdirSync(this.mibDir, { recursive: true });

    ordered.forEach((spec, i) => {
      const parent = spec.parent ? this.hostsByName.get(spec.parent)! : null;
      const state: LabHostState = {
        spec,
        name: spec.name,
        namespace: `${this.record.prefix}${spec.name}`,
        index: i + 1,
        link: this.block.link(i + 1),
        upstreamIf: `${this.record.prefix}${i + 1}`,
        upstreamNs: parent ? parent.namespace : null,
        parent,
        children: [],
        cut: null,
        snmp: null,
      };
      parent?.children.push(state);
      this.hostsByName.set(spec.name, state);
      this.order.push(state);
    });

    // Namespaces first (in parallel), then links in parent-before-child order.
    await Promise.all(
      this.order.map(async (host) => {
        await ip(null, 'netns', 'add', host.namespace);
        const sysctls = ['net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'];
        if (host.children.length) sysctls.push('net.ipv4.ip_forward=1');
        await nsExec(host.namespace, 'sysctl', ['-q', '-w', ...sysctls]);
        await ip(host.namespace, 'link', 'set', 'lo', 'up');
      }),
    );
    for (const host of this.order) await this.buildLink(host);

    // Routes towards hosts behind parents: every namespace above the parent routes the subnet to the
    // next host down the path; every ancestor also gets an "unreachable" fallback so a cut link gives
    // an immediate error instead of a routing loop through the default upstream route.
    for (const host of this.order) {
      this.routes.push({
        ns: host.namespace,
        args: ['route', 'replace', this.block.cidr, 'via', host.link.upstream],
        viaLinkOf: host,
      });
      const path: LabHostState[] = [];
      for (let a = host.parent; a; a = a.parent) path.unshift(a);
      path.forEach((ancestor, i) => {
        const next = path[i + 1] ?? host;
        if (next !== host) {
          this.routes.push({
            ns: ancestor.namespace,
            args: ['route', 'replace', host.link.subnet, 'via', next.link.host],
            viaLinkOf: next,
          });
        }
      });
      if (path.length) {
        this.routes.push({
          ns: null,
          args: ['route', 'replace', host.link.subnet, 'via', path[0].link.host],
          viaLinkOf: path[0],
        });
        for (const ancestor of path) {
          await ip(ancestor.namespace, 'route', 'add', 'unreachable', host.link.subnet, 'metric', '4000');
        }
      }
    }
    await this.applyRoutes();

    if (this.spec.trapSink) {
      await addStandaloneInterface(null, this.sinkIf);
      this.disableIpv6InRoot(this.sinkIf);
      await ip(null, 'addr', 'add', `${this.block.sinkAddress}/32`, 'dev', this.sinkIf);
      await ip(null, 'link', 'set', this.sinkIf, 'up');
      this.sink = {
        address: this.block.sinkAddress,
        port: this.spec.trapSink.port ?? (await freeUdpPort(this.block.sinkAddress)),
        version: this.spec.trapSink.version ?? '2c',
      };
    }
    const t1 = performance.now();
    this.timings.topologyMs = Math.round(t1 - t0);

    await Promise.all(this.order.filter((h) => h.spec.snmp).map((h) => this.setUpSnmp(h)));
    this.timings.snmpdMs = Math.round(performance.now() - t1);
  }

  private disableIpv6InRoot(ifName: string): void {
    try {
      writeFileSync(`/proc/sys/net/ipv6/conf/${ifName}/disable_ipv6`, '1');
    } catch {
      // IPv6 disabled or absent in the kernel: nothing to do
    }
  }

  private async buildLink(host: LabHostState): Promise<void> {
    const up = host.upstreamNs;
    await ip(up, 'link', 'add', host.upstreamIf, 'type', 'veth', 'peer', 'name', HOST_IF, 'netns', host.namespace);
    if (up === null) this.disableIpv6InRoot(host.upstreamIf);
    await ip(up, 'link', 'set', host.upstreamIf, 'alias', `netdesk lab ${this.id} link to ${host.name}`);
    await ip(up, 'addr', 'add', `${host.link.upstream}/30`, 'dev', host.upstreamIf);
    await ip(up, 'link', 'set', host.upstreamIf, 'up');
    await ip(host.namespace, 'addr', 'add', `${host.link.host}/30`, 'dev', HOST_IF);
    await ip(host.namespace, 'link', 'set', HOST_IF, 'up');
    for (const itf of host.spec.interfaces ?? []) {
      // A veth pair inside the host: taking the peer down drops the carrier of the named end while it
      // stays admin-up, which is what an unplugged cable looks like (ifOperStatus down, ifAdminStatus up).
      await ip(host.namespace, 'link', 'add', itf.name, 'type', 'veth', 'peer', 'name', carrierPeer(itf.name));
      if (itf.alias) await ip(host.namespace, 'link', 'set', itf.name, 'alias', itf.alias);
      await ip(host.namespace, 'link', 'set', carrierPeer(itf.name), 'up');
      await ip(host.namespace, 'link', 'set', itf.name, 'up');
    }
  }

  /** (Re)installs every static route whose next hop is currently reachable (its link not cut). */
  private async applyRoutes(): Promise<void> {
    for (const route of this.routes) {
      if (route.viaLinkOf.cut) continue;
      await ip(route.ns, ...route.args);
    }
  }

  private async setUpSnmp(host: LabHostState): Promise<void> {
    const snmp = host.spec.snmp!;
    const dir = join(this.record.tmpDir, host.name);
    mkdirSync(join(dir, 'persist'), { recursive: true, mode: 0o700 });
    const aliases: Array<{ ifIndex: number; alias: string }> = [];
    for (const itf of host.spec.interfaces ?? []) {
      if (itf.alias) aliases.push({ ifIndex: await this.ifIndexOf(host.name, itf.name), alias: itf.alias });
    }
    const agent = new SnmpAgent(host, dir, this.mibDir, `ctl${randomSecret()}`);
    const config = renderSnmpdConfig({
      hostName: host.name,
      location: snmp.location ?? `NetDesk lab ${this.id}`,
      community: snmp.community,
      allowedSource: this.block.cidr,
      v3: snmp.v3 && {
        username: snmp.v3.username,
        authKey: snmp.v3.authKey,
        privKey: snmp.v3.privKey,
        authProtocol: snmp.v3.authProtocol ?? 'SHA',
        privProtocol: snmp.v3.privProtocol ?? 'AES',
      },
      internal: { username: INTERNAL_USER, authKey: randomSecret(), controlCommunity: agent.controlCommunity },
      trapSink: this.sink ?? undefined,
      aliases,
      monitorFrequency: this.spec.trapMonitorSeconds ?? 1,
    });
    writeFileSync(join(dir, 'snmpd.conf'), config, { mode: 0o600 });
    host.snmp = agent;
    await agent.start();
  }

  // ------------------------------------------------------------------------------------ accessors

  /** Short random id of this instance; namespaces are named `ndl<id>-<host>`. */
  get id(): string {
    return this.record.id;
  }
  /** Name prefix of every namespace and root-namespace interface of this lab. */
  get prefix(): string {
    return this.record.prefix;
  }
  /** The lab's /22 inside 198.18.0.0/15. */
  get addressBlock(): string {
    return this.block.cidr;
  }
  /** Where hosts send traps (an address in the root namespace), when `trapSink` was given. */
  get trapSink(): { address: string; port: number; version: '1' | '2c' } | undefined {
    return this.sink ? { ...this.sink } : undefined;
  }

  host(name: string): LabHost {
    return new LabHost(this.state(name), this);
  }

  hosts(): LabHost[] {
    return this.order.map((h) => new LabHost(h, this));
  }

  private state(name: string): LabHostState {
    this.assertUsable();
    const host = this.hostsByName.get(name);
    if (!host) throw new Error(`network lab: no host named ${JSON.stringify(name)}`);
    return host;
  }

  private assertUsable(): void {
    if (this.destroyed || this.destroying) throw new Error('network lab: already destroyed');
  }

  async ifIndexOf(hostName: string, ifName: string): Promise<number> {
    const host = this.state(hostName);
    if (!IF_NAME.test(ifName) && ifName !== 'lo')
      throw new Error(`network lab: invalid interface name ${JSON.stringify(ifName)}`);
    const out = await ip(host.namespace, '-j', 'link', 'show', 'dev', ifName);
    const [link] = JSON.parse(out) as Array<{ ifindex: number }>;
    if (!link) throw new Error(`network lab: no interface ${ifName} on ${hostName}`);
    return link.ifindex;
  }

  // --------------------------------------------------------------------------------------- faults

  /**
   * Cuts the link towards a host, so it and everything behind it stop answering.
   * - 'down' (default): the upstream end is set administratively down. The root namespace then has no
   *   route and reports "no route to host" at once.
   * - 'silent': the host's own end goes down instead; upstream keeps its route and packets are dropped
   *   silently, so probes time out as on a dead WAN line.
   */
  async cutLink(name: string, options: { mode?: CutMode } = {}): Promise<void> {
    const host = this.state(name);
    const mode = options.mode ?? 'down';
    if (host.cut) throw new Error(`network lab: link to ${name} is already cut`);
    if (mode === 'down') await ip(host.upstreamNs, 'link', 'set', host.upstreamIf, 'down');
    else await ip(host.namespace, 'link', 'set', HOST_IF, 'down');
    host.cut = mode;
  }

  async restoreLink(name: string): Promise<void> {
    const host = this.state(name);
    if (!host.cut) return;
    await ip(host.upstreamNs, 'link', 'set', host.upstreamIf, 'up');
    await ip(host.namespace, 'link', 'set', HOST_IF, 'up');
    host.cut = null;
    // Setting a link down flushes the static routes through it; put them back.
    await this.applyRoutes();
  }

  /**
   * Unplugs the cable of one of the host's extra interfaces: it stays admin-up, its carrier goes
   * (ifOperStatus down(2), linkDown trap). The fault a monitoring system must report.
   */
  async loseCarrier(name: string, ifName: string): Promise<void> {
    await this.setInterface(name, carrierPeer(ifName), 'down');
  }

  async restoreCarrier(name: string, ifName: string): Promise<void> {
    await this.setInterface(name, carrierPeer(ifName), 'up');
  }

  /** Shuts an interface inside the host (ifAdminStatus and ifOperStatus down, linkDown trap), as an admin would. */
  async setInterfaceDown(name: string, ifName: string): Promise<void> {
    await this.setInterface(name, ifName, 'down');
  }

  async setInterfaceUp(name: string, ifName: string): Promise<void> {
    await this.setInterface(name, ifName, 'up');
    if (ifName === HOST_IF) await this.applyRoutes();
  }

  private async setInterface(name: string, ifName: string, state: 'up' | 'down'): Promise<void> {
    const host = this.state(name);
    if (!IF_NAME.test(ifName)) throw new Error(`network lab: invalid interface name ${JSON.stringify(ifName)}`);
    await ip(host.namespace, 'link', 'set', ifName, state);
  }

  /** Stops the host's snmpd: it still answers pings, SNMP requests time out. */
  async stopSnmp(name: string): Promise<void> {
    const host = this.state(name);
    if (!host.snmp) throw new Error(`network lab: ${name} has no SNMP agent`);
    await host.snmp.stop();
  }

  /** Starts the host's snmpd again (same engine ID, users and config); resolves once it answers. */
  async startSnmp(name: string): Promise<void> {
    const host = this.state(name);
    if (!host.snmp) throw new Error(`network lab: ${name} has no SNMP agent`);
    await host.snmp.start();
  }

  // -------------------------------------------------------------------------------------- destroy

  /** Kills the agents, deletes namespaces (and so the veths), routes and temp files. Idempotent. */
  destroy(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    this.destroying ??= (async () => {
      await Promise.all(this.order.map((h) => h.snmp?.stop().catch(() => undefined)));
      // children first, so no veth end is orphaned half-way
      for (const host of [...this.order].reverse()) await deleteNamespace(host.namespace);
      await deleteRootLinks(this.record.prefix); // the sink, and veth ends the kernel has not reaped yet
      rmSync(this.record.tmpDir, { recursive: true, force: true });
      releaseSlot(this.record);
      this.destroyed = true;
      liveLabs.delete(this);
    })();
    return this.destroying;
  }

  /** Best-effort synchronous teardown for process exit and signals. */
  destroySync(): void {
    if (this.destroyed) return;
    for (const host of this.order) host.snmp?.killSync();
    for (const host of [...this.order].reverse()) deleteNamespaceSync(host.namespace);
    runSync('ip', ['link', 'del', this.sinkIf]);
    rmSync(this.record.tmpDir, { recursive: true, force: true });
    releaseSlot(this.record);
    this.destroyed = true;
    liveLabs.delete(this);
  }
}
