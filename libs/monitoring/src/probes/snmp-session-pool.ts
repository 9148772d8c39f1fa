import { isIP } from 'node:net';
import * as snmp from 'net-snmp';
import {
  credentialFingerprint,
  DEFAULT_AUTH_PROTOCOL,
  DEFAULT_PRIV_PROTOCOL,
  deriveSecurityLevel,
  SnmpTarget,
  validateSnmpCredentials,
} from './snmp-credentials';
import { ProbeLogger } from './probe-logger';
import type { SnmpInterface } from './snmp-result.mapper';
import { SharedUdpSockets, VirtualUdpSocket } from './shared-udp';

export interface SnmpSessionTimings {
  timeoutMs: number;
  retries: number;
  backoff: number;
}

/** One pooled net-snmp session (its socket is a view of one of the pool's shared UDP sockets). */
export interface PooledSession {
  readonly key: string;
  readonly owner: string;
  readonly version: '1' | '2c' | '3';
  readonly session: snmp.Session;
  /** The session's socket (a view of a shared one), for reading v1/v2c replies before net-snmp does. */
  readonly socket?: VirtualUdpSocket;
  /** v1/v2c community as sent, compared with replies' in place. */
  readonly community?: Buffer;
  inFlight: number;
  lastUsed: number;
  /** Undecodable datagrams received on this socket (garbage from the agent's address). */
  malformed: number;
  /** What the last full interface walk found that rarely changes (see SnmpClient.pollInterfaces). */
  interfaceStatics?: InterfaceStatics;
  /** Replaced by new credentials or forgotten: closed once idle, never handed out again. */
  retired: boolean;
  closed: boolean;
}

/** Per interface, the fields a full walk read; and how many walks since, and which counters the agent has. */
export interface InterfaceStatics {
  byIndex: Map<number, Pick<SnmpInterface, 'ifDescr' | 'ifName' | 'ifAlias' | 'ifType' | 'speedBps'>>;
  /** Every interface had 64-bit octet counters: the 32-bit columns need not be walked. */
  hc: boolean;
  /** Partial walks since the last full one. */
  partialWalks: number;
  /** The agent's sysUpTime at the last system poll: going back means a restart, and a full walk. */
  upTimeTicks?: number;
}

/**
 * Sessions keyed by device (deviceId or host). A device keeps one session per host+port+credential
 * fingerprint; a different fingerprint retires the old session (closed as soon as it is idle).
 * Least-recently-used idle sessions are closed beyond `maxSessions`. All sessions send and receive
 * through a few UDP sockets per address family (`SharedUdpSockets`), so a session costs no file descriptor.
 */
export class SnmpSessionPool {
  private readonly byOwner = new Map<string, PooledSession>();
  private readonly retired = new Set<PooledSession>();
  private readonly udp: SharedUdpSockets;

  constructor(
    private readonly timings: SnmpSessionTimings,
    private readonly maxSessions: number,
    private readonly logger: ProbeLogger,
    private readonly now: () => number = Date.now,
  ) {
    // the longest a request waits for its reply: the timeout, stretched by the backoff for each retry
    let maxWaitMs = 0;
    for (let k = 0; k <= timings.retries; k++) maxWaitMs += timings.timeoutMs * timings.backoff ** k;
    this.udp = new SharedUdpSockets(maxWaitMs + 5000);
  }

  get size(): number {
    return this.byOwner.size + this.retired.size;
  }

  acquire(target: SnmpTarget): PooledSession {
    const owner = target.deviceId ?? target.host;
    const key = credentialFingerprint(target.host, target.credentials);
    const existing = this.byOwner.get(owner);
    if (existing && existing.key === key && !existing.closed) {
      this.touch(existing);
      return existing;
    }
    if (existing) {
      this.byOwner.delete(owner);
      this.retire(existing, existing.closed ? 'socket closed' : 'credentials or address changed');
    }
    const entry = this.open(owner, key, target);
    this.byOwner.set(owner, entry);
    this.evictIdle(entry);
    return entry;
  }

  /** Call when a request on `entry` has finished. */
  release(entry: PooledSession): void {
    entry.inFlight = Math.max(0, entry.inFlight - 1);
    this.touch(entry);
    if (entry.retired && entry.inFlight === 0) this.close(entry);
  }

  /** Marks a use; `byOwner` is kept in least-recently-used-first order (a Map iterates in insertion order). */
  private touch(entry: PooledSession): void {
    entry.lastUsed = this.now();
    if (this.byOwner.get(entry.owner) !== entry) return;
    this.byOwner.delete(entry.owner);
    this.byOwner.set(entry.owner, entry);
  }

  /** Device removed (or credentials deleted): closes its session once idle. */
  forget(owner: string): void {
    const entry = this.byOwner.get(owner);
    if (!entry) return;
    this.byOwner.delete(owner);
    this.retire(entry, 'device forgotten');
  }

  /** Closes every session now; pending requests fail with reason 'cancelled'. */
  closeAll(): void {
    for (const entry of [...this.byOwner.values(), ...this.retired]) this.close(entry);
    this.byOwner.clear();
    this.retired.clear();
    this.udp.closeAll();
  }

  private retire(entry: PooledSession, why: string): void {
    entry.retired = true;
    this.logger.debug({ owner: entry.owner, why }, 'snmp session retired');
    if (entry.inFlight === 0) this.close(entry);
    else this.retired.add(entry);
  }

  private close(entry: PooledSession): void {
    this.retired.delete(entry);
    if (entry.closed) return;
    entry.closed = true;
    try {
      entry.session.close();
    } catch {
      // already closed by a socket error
    }
  }

  /** Closes least-recently-used idle sessions beyond `maxSessions`; walks from the oldest, no sort per call. */
  private evictIdle(keep: PooledSession): void {
    for (const entry of this.byOwner.values()) {
      if (this.byOwner.size <= this.maxSessions) break;
      if (entry.inFlight > 0 || entry === keep) continue;
      this.byOwner.delete(entry.owner);
      this.close(entry);
    }
  }

  private open(owner: string, key: string, target: SnmpTarget): PooledSession {
    const c = target.credentials;
    validateSnmpCredentials(c);
    const common = {
      port: c.port ?? 161,
      retries: this.timings.retries,
      timeout: this.timings.timeoutMs,
      backoff: this.timings.backoff,
      transport: (isIP(target.host) === 6 ? 'udp6' : 'udp4') as 'udp4' | 'udp6',
      idBitsSize: 32,
      dgramModule: this.udp,
    };
    let session: snmp.Session;
    if (c.version === '3') {
      const level = deriveSecurityLevel(c);
      const user: snmp.User = { name: c.username, level: snmp.SecurityLevel[level] };
      if (level !== 'noAuthNoPriv') {
        user.authProtocol = snmp.AuthProtocols[c.authProtocol ?? DEFAULT_AUTH_PROTOCOL];
        user.authKey = c.authKey;
      }
      if (level === 'authPriv') {
        user.privProtocol = snmp.PrivProtocols[c.privProtocol ?? DEFAULT_PRIV_PROTOCOL];
        user.privKey = c.privKey;
      }
      session = snmp.createV3Session(target.host, user, { ...common, version: snmp.Version3 });
    } else {
      session = snmp.createSession(target.host, c.community, {
        ...common,
        version: c.version === '1' ? snmp.Version1 : snmp.Version2c,
      });
    }
    const socket = (session as unknown as { dgram?: unknown }).dgram;
    const entry: PooledSession = {
      key,
      owner,
      version: c.version,
      session,
      socket: socket instanceof VirtualUdpSocket ? socket : undefined,
      community: c.version === '3' ? undefined : Buffer.from(c.community),
      inFlight: 0,
      lastUsed: this.now(),
      malformed: 0,
      retired: false,
      closed: false,
    };
    // net-snmp emits 'error' for undecodable datagrams; without a listener that would crash the process.
    session.on('error', (err: Error) => {
      entry.malformed++;
      this.logger.debug({ owner, err: err.message.slice(0, 200) }, 'snmp session received an undecodable message');
    });
    session.on('close', () => {
      entry.closed = true;
    });
    return entry;
  }
}
