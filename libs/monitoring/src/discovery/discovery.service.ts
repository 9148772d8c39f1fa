import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError } from '@netdesk/core';
import { DevicesService } from '@netdesk/inventory';
import {
  SnmpCredentials,
  SnmpCredentialsError,
  SnmpProbeError,
  SnmpSystemInfo,
  validateSnmpCredentials,
} from '../probes';
import {
  assertDiscoverable,
  CidrError,
  hostAddresses,
  Ipv4Network,
  MAX_DISCOVERY_ADDRESSES,
  parseCidr,
  parseIpv4,
} from './cidr';
import { guessDeviceKind, GuessedKind } from './device-kind-guess';
import {
  DISCOVERY_NETWORK_INTERFACES,
  DISCOVERY_OPTIONS,
  DISCOVERY_PING_SWEEPER,
  DISCOVERY_SNMP_READER_FACTORY,
  DiscoveryOptions,
  NetworkInterfacesSource,
  PingSweeper,
  SystemGroupReaderFactory,
} from './discovery.ports';
import { selectLocalSubnets } from './local-subnets';

export interface DiscoverySnmpInput {
  version: '1' | '2c' | '3';
  community?: string;
  username?: string;
  authProtocol?: 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  authKey?: string;
  privProtocol?: 'des' | 'aes' | 'aes256b' | 'aes256r';
  privKey?: string;
}

export interface DiscoveryRequest {
  cidr?: string;
  snmp?: DiscoverySnmpInput;
  port?: number;
}

export interface DiscoveredDevice {
  host: string;
  rttMs: number;
  sysName?: string;
  sysDescr?: string;
  sysObjectId?: string;
  vendor?: string;
  kind: GuessedKind;
  suggestedName: string;
  alreadyInInventory: boolean;
  existingDeviceId?: string;
  snmpError?: string;
}

export interface DiscoveryResult {
  cidrs: string[];
  scanned: number;
  answered: number;
  snmpAnswered: number;
  durationMs: number;
  complete: boolean;
  notes: string[];
  devices: DiscoveredDevice[];
}

export interface DiscoveryDefaults {
  cidrs: string[];
  addresses: number;
  maxAddresses: number;
  skipped: string[];
}

type SnmpOutcome = { info: SnmpSystemInfo } | { error: string };

const NAME_MAX = 128;

/**
 * Finds devices to add: a ping sweep of a range (or of this server's local subnets), then the SNMP
 * system group of every host that answered. Proposes, never adds. One discovery at a time per process.
 */
@Injectable()
export class DiscoveryService {
  private readonly logger = new Logger('discovery');
  private running: { startedAt: Date } | null = null;

  constructor(
    private readonly devices: DevicesService,
    private readonly clock: Clock,
    @Inject(DISCOVERY_PING_SWEEPER) private readonly sweeper: PingSweeper,
    @Inject(DISCOVERY_SNMP_READER_FACTORY) private readonly snmpReaders: SystemGroupReaderFactory,
    @Inject(DISCOVERY_NETWORK_INTERFACES) private readonly interfaces: NetworkInterfacesSource,
    @Inject(DISCOVERY_OPTIONS) private readonly options: DiscoveryOptions,
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** What a discovery without `cidr` would sweep: this server's local subnets (for forms to prefill). */
  async defaults(): Promise<DiscoveryDefaults> {
    const { subnets, skipped } = selectLocalSubnets(await this.interfaces.networkInterfaces());
    return {
      cidrs: subnets.map((s) => s.cidr),
      addresses: subnets.reduce((n, s) => n + s.size, 0),
      maxAddresses: MAX_DISCOVERY_ADDRESSES,
      skipped,
    };
  }

  async discover(request: DiscoveryRequest): Promise<DiscoveryResult> {
    const explicit = request.cidr !== undefined ? [this.parseRequestedCidr(request.cidr)] : null;
    const credentials = request.snmp ? toCredentials(request.snmp, request.port) : null;
    if (this.running) {
      throw new DomainError(
        'conflict',
        `a discovery is already running (started ${this.running.startedAt.toISOString()}); try again when it ends`,
      );
    }
    const startedAt = this.clock.now();
    this.running = { startedAt };
    try {
      const notes: string[] = [];
      const networks = explicit ?? (await this.localNetworks(notes));
      return await this.run(networks, credentials, startedAt, notes);
    } finally {
      this.running = null;
    }
  }

  private parseRequestedCidr(cidr: string): Ipv4Network {
    try {
      const net = parseCidr(cidr);
      assertDiscoverable(net);
      return net;
    } catch (e) {
      if (e instanceof CidrError) throw new DomainError('invalid', `cidr: ${e.message}`);
      throw e;
    }
  }

  private async localNetworks(notes: string[]): Promise<Ipv4Network[]> {
    const { subnets, skipped } = selectLocalSubnets(await this.interfaces.networkInterfaces());
    notes.push(...skipped.map((s) => `skipped ${s}`));
    if (subnets.length === 0) {
      throw new DomainError(
        'invalid',
        `cidr: this server has no local IPv4 subnet of /16 or smaller to sweep${
          skipped.length ? ` (${skipped.join('; ')})` : ''
        }; give cidr`,
      );
    }
    const total = subnets.reduce((n, s) => n + s.size, 0);
    if (total > MAX_DISCOVERY_ADDRESSES) {
      throw new DomainError(
        'invalid',
        `cidr: the local subnets ${subnets.map((s) => s.cidr).join(', ')} add up to ${total} addresses, ` +
          `more than ${MAX_DISCOVERY_ADDRESSES}; give cidr`,
      );
    }
    return subnets;
  }

  private async run(
    networks: Ipv4Network[],
    credentials: SnmpCredentials | null,
    startedAt: Date,
    notes: string[],
  ): Promise<DiscoveryResult> {
    const cidrs = networks.map((n) => n.cidr);
    const hosts = [...new Set(networks.flatMap(hostAddresses))];
    this.logger.log({ cidrs, addresses: hosts.length, snmp: credentials?.version ?? null }, 'discovery started');

    const pings = await this.sweeper.probe(hosts);
    const alive = pings.filter((p) => p.received > 0 && p.rttMs !== null);
    const sweptAt = this.clock.now();

    let complete = true;
    const snmp = new Map<string, SnmpOutcome>();
    if (credentials && alive.length > 0) {
      const deadline = startedAt.getTime() + this.options.timeLimitMs;
      complete = await this.readSystemGroups(
        alive.map((p) => p.host),
        credentials,
        deadline,
        snmp,
      );
      if (!complete) notes.push(`time limit of ${this.options.timeLimitMs} ms reached before every host answered SNMP`);
    } else if (!credentials) {
      notes.push('no snmp credentials given: kinds are not guessed');
    }

    const inventory = await this.devices.list({});
    const byHost = new Map(inventory.map((d) => [d.host.toLowerCase(), d]));
    const takenNames = new Set(inventory.map((d) => d.name));
    const devices = alive
      .sort((a, b) => (parseIpv4(a.host) ?? 0) - (parseIpv4(b.host) ?? 0))
      .map((ping): DiscoveredDevice => {
        const outcome = snmp.get(ping.host);
        const info = outcome && 'info' in outcome ? outcome.info : undefined;
        const sysName = clean(info?.sysName);
        const sysDescr = clean(info?.sysDescr);
        const sysObjectId = clean(info?.sysObjectID);
        const guess = guessDeviceKind({ sysObjectId, sysDescr });
        const existing = byHost.get(ping.host);
        return {
          host: ping.host,
          rttMs: ping.rttMs as number,
          ...(sysName !== undefined ? { sysName } : {}),
          ...(sysDescr !== undefined ? { sysDescr } : {}),
          ...(sysObjectId !== undefined ? { sysObjectId } : {}),
          ...(guess.vendor ? { vendor: guess.vendor } : {}),
          kind: guess.kind,
          suggestedName: existing ? existing.name : suggestName(ping.host, guess.kind, sysName, takenNames),
          alreadyInInventory: existing !== undefined,
          ...(existing ? { existingDeviceId: existing.id } : {}),
          ...(outcome && 'error' in outcome ? { snmpError: outcome.error } : {}),
        };
      });

    const durationMs = this.clock.now().getTime() - startedAt.getTime();
    const result: DiscoveryResult = {
      cidrs,
      scanned: hosts.length,
      answered: alive.length,
      snmpAnswered: [...snmp.values()].filter((o) => 'info' in o).length,
      durationMs,
      complete,
      notes,
      devices,
    };
    this.logger.log(
      {
        cidrs,
        scanned: result.scanned,
        answered: result.answered,
        snmpAnswered: result.snmpAnswered,
        sweepMs: sweptAt.getTime() - startedAt.getTime(),
        durationMs,
        complete,
      },
      'discovery finished',
    );
    return result;
  }

  /** Reads the system group of each host, `snmpConcurrency` at a time; false when the deadline cut it short. */
  private async readSystemGroups(
    hosts: string[],
    credentials: SnmpCredentials,
    deadline: number,
    out: Map<string, SnmpOutcome>,
  ): Promise<boolean> {
    const reader = this.snmpReaders();
    let next = 0;
    let timedOut = false;
    const worker = async (): Promise<void> => {
      while (next < hosts.length) {
        const remaining = deadline - this.clock.now().getTime();
        if (remaining <= 0) {
          timedOut = true;
          return;
        }
        const host = hosts[next++];
        const outcome = await withDeadline(
          reader.pollSystem({ host, credentials }).then(
            (info): SnmpOutcome => ({ info }),
            (e: unknown): SnmpOutcome => ({
              error: e instanceof SnmpProbeError ? e.message : 'SNMP request failed',
            }),
          ),
          remaining,
        );
        if (outcome) out.set(host, outcome);
        else timedOut = true;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.options.snmpConcurrency, hosts.length) }, worker));
    } finally {
      reader.closeAll();
    }
    return !timedOut;
  }
}

/** Request credentials to the probes' shape; cross-field rules the DTO cannot express are 400s naming the field. */
export function toCredentials(snmp: DiscoverySnmpInput, port: number | undefined): SnmpCredentials {
  const problems: string[] = [];
  if (snmp.version === '3') {
    if (snmp.community !== undefined)
      problems.push('snmp.community is for versions 1 and 2c; version 3 uses username and keys');
  } else {
    for (const k of ['username', 'authProtocol', 'authKey', 'privProtocol', 'privKey'] as const)
      if (snmp[k] !== undefined) problems.push(`snmp.${k} is only for version 3`);
  }
  if (problems.length) throw new DomainError('invalid', problems);
  const credentials: SnmpCredentials =
    snmp.version === '3'
      ? {
          version: '3',
          username: snmp.username ?? '',
          authProtocol: snmp.authProtocol,
          authKey: snmp.authKey,
          privProtocol: snmp.privProtocol,
          privKey: snmp.privKey,
          port: port ?? 161,
        }
      : { version: snmp.version, community: snmp.community ?? '', port: port ?? 161 };
  try {
    validateSnmpCredentials(credentials);
  } catch (e) {
    if (e instanceof SnmpCredentialsError) throw new DomainError('invalid', `snmp: ${e.message}`);
    throw e;
  }
  return credentials;
}

/** A usable device name: sysName when it has one, else kind and address; never one the inventory or this result already uses. */
export function suggestName(host: string, kind: GuessedKind, sysName: string | undefined, taken: Set<string>): string {
  const dashed = host.replace(/[.:]/g, '-');
  const base = (sysName ?? `${kind}-${dashed}`).slice(0, NAME_MAX);
  let name = base;
  if (taken.has(name)) name = `${base.slice(0, NAME_MAX - dashed.length - 1)}-${dashed}`;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, NAME_MAX - dashed.length - 6)}-${dashed}-${i}`;
  taken.add(name);
  return name;
}

/** Trimmed, control characters removed; undefined when nothing is left. */
function clean(value: string | null | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex
  const text = (value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return text ? text.slice(0, 1024) : undefined;
}

/** The promise's value, or undefined when `ms` pass first. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
