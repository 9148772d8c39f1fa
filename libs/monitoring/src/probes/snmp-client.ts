import * as snmp from 'net-snmp';
import { AsyncSemaphore } from './async-semaphore';
import { describeCredentials, SnmpTarget } from './snmp-credentials';
import { classifySnmpError, SnmpProbeError } from './snmp-errors';
import { HR_COLUMNS, IF_COLUMNS, SYSTEM_OIDS } from './snmp-mib';
import {
  ColumnData,
  mapHostResources,
  mapInterfaces,
  mapSystemInfo,
  SnmpHostResources,
  SnmpInterface,
  SnmpSystemInfo,
} from './snmp-result.mapper';
import { InterfaceStatics, PooledSession, SnmpSessionPool } from './snmp-session-pool';
import { ASN1, compareOids, oidSuffix, RawVarbind, VarbindReader } from './snmp-varbinds';
import { bulkRows, decodeCommunityResponse, GET_RESPONSE_PDU } from './snmp-response.decoder';
import { ProbeLogger, silentProbeLogger } from './probe-logger';

export interface SnmpClientOptions {
  /** Per-attempt timeout, ms (default 2000). */
  timeoutMs?: number;
  /** Re-sends after a timeout (default 1). */
  retries?: number;
  /** Timeout multiplier per retry (default 1). */
  backoff?: number;
  /** SNMP requests (PDUs) in flight across all devices (default 200). */
  maxInFlight?: number;
  /** Sessions kept before idle ones are closed, LRU (default 50,000; they share a few UDP sockets, so this bounds memory only). */
  maxSessions?: number;
  /** GETBULK max-repetitions per column (default 10; halved automatically on tooBig). */
  maxRepetitions?: number;
  /** Safety cap on rows per column, against agents that loop (default 100,000). */
  maxRowsPerColumn?: number;
  logger?: ProbeLogger;
}

/** Interface columns that change only when an operator (or a reboot) changes them. */
const STATIC_IF_COLUMNS: string[] = [
  IF_COLUMNS.ifDescr,
  IF_COLUMNS.ifType,
  IF_COLUMNS.ifSpeed,
  IF_COLUMNS.ifName,
  IF_COLUMNS.ifHighSpeed,
  IF_COLUMNS.ifAlias,
];
const ALL_IF_COLUMNS: string[] = Object.values(IF_COLUMNS);
const DYNAMIC_IF_COLUMNS = ALL_IF_COLUMNS.filter((c) => !STATIC_IF_COLUMNS.includes(c));
const DYNAMIC_HC_IF_COLUMNS = DYNAMIC_IF_COLUMNS.filter(
  (c) => c !== IF_COLUMNS.ifInOctets && c !== IF_COLUMNS.ifOutOctets,
);
/** Every this many polls of a device, all interface columns are walked again (names, aliases, speeds). */
export const FULL_INTERFACE_WALK_EVERY = 10;

export interface SnmpInterfacesResult {
  interfaces: SnmpInterface[];
  issues: string[];
  /** PDUs sent to walk the tables. */
  requests: number;
}

/**
 * SNMP poller over net-snmp: v1/v2c/v3 sessions pooled per device, a global bound on requests in
 * flight, typed errors ({@link SnmpProbeError}) and defensive decoding of every varbind.
 */
export class SnmpClient {
  private readonly pool: SnmpSessionPool;
  private readonly semaphore: AsyncSemaphore;
  private readonly logger: ProbeLogger;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoff: number;
  private readonly maxRepetitions: number;
  private readonly maxRowsPerColumn: number;

  constructor(options: SnmpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = options.retries ?? 1;
    this.backoff = options.backoff ?? 1;
    this.maxRepetitions = options.maxRepetitions ?? 10;
    this.maxRowsPerColumn = options.maxRowsPerColumn ?? 100_000;
    if (!(this.timeoutMs > 0) || !Number.isInteger(this.retries) || this.retries < 0 || !(this.backoff >= 1)) {
      throw new RangeError('timeoutMs must be > 0, retries an integer >= 0, backoff >= 1');
    }
    if (!Number.isInteger(this.maxRepetitions) || this.maxRepetitions < 1)
      throw new RangeError('maxRepetitions must be >= 1');
    this.logger = options.logger ?? silentProbeLogger;
    this.semaphore = new AsyncSemaphore(options.maxInFlight ?? 200);
    this.pool = new SnmpSessionPool(
      { timeoutMs: this.timeoutMs, retries: this.retries, backoff: this.backoff },
      options.maxSessions ?? 50_000,
      this.logger,
    );
  }

  /** sysName, sysDescr, sysObjectID, sysUpTime. Throws {@link SnmpProbeError}. */
  async pollSystem(target: SnmpTarget): Promise<SnmpSystemInfo> {
    const oids = [SYSTEM_OIDS.sysDescr, SYSTEM_OIDS.sysObjectID, SYSTEM_OIDS.sysUpTime, SYSTEM_OIDS.sysName];
    return this.run(target, 'system', async (entry) => {
      const info = mapSystemInfo(await this.getScalars(entry, oids));
      // a restarted agent may have renumbered its interfaces: walk them in full next time
      const ticks = info.sysUpTimeTicks;
      if (ticks !== null && entry.interfaceStatics && ticks < (entry.interfaceStatics.upTimeTicks ?? 0))
        entry.interfaceStatics = undefined;
      if (ticks !== null && entry.interfaceStatics) entry.interfaceStatics.upTimeTicks = ticks;
      return info;
    });
  }

  /**
   * ifTable + ifXTable joined by ifIndex (GETBULK for v2c/v3, GETNEXT for v1). Throws {@link SnmpProbeError}.
   *
   * Names, aliases, types and speeds rarely change, so they are walked in full only every
   * {@link FULL_INTERFACE_WALK_EVERY} polls of the device (and the 32-bit octet columns skipped where the
   * agent has 64-bit ones): the other polls walk half the columns and take those fields from the last
   * full walk. An interface appearing or disappearing triggers a full walk at once.
   */
  async pollInterfaces(target: SnmpTarget): Promise<SnmpInterfacesResult> {
    return this.run(target, 'interfaces', async (entry) => {
      const statics = entry.interfaceStatics;
      let partialRequests = 0;
      if (statics && statics.partialWalks < FULL_INTERFACE_WALK_EVERY - 1) {
        const partial = await this.readInterfaces(entry, statics.hc ? DYNAMIC_HC_IF_COLUMNS : DYNAMIC_IF_COLUMNS);
        const sameSet =
          partial.interfaces.length === statics.byIndex.size &&
          partial.interfaces.every((i) => statics.byIndex.has(i.ifIndex));
        if (sameSet) {
          statics.partialWalks++;
          for (const i of partial.interfaces) Object.assign(i, statics.byIndex.get(i.ifIndex));
          return partial;
        }
        partialRequests = partial.requests; // interfaces came or went: walk everything now
      }
      const full = await this.readInterfaces(entry, ALL_IF_COLUMNS);
      entry.interfaceStatics = staticsOf(full.interfaces);
      return { ...full, requests: full.requests + partialRequests };
    });
  }

  private async readInterfaces(entry: PooledSession, columns: string[]): Promise<SnmpInterfacesResult> {
    const walk = await this.walkColumns(entry, columns);
    const reader = new VarbindReader();
    walk.issues.forEach((i) => reader.note(i));
    const interfaces = mapInterfaces(walk.columns, reader);
    return { interfaces, issues: reader.issues, requests: walk.requests };
  }

  /** CPU (mean hrProcessorLoad) and RAM (hrStorageRam); fields null when the agent lacks them. */
  async pollHostResources(target: SnmpTarget): Promise<SnmpHostResources> {
    const walk = await this.run(target, 'hostResources', (entry) => this.walkColumns(entry, Object.values(HR_COLUMNS)));
    const reader = new VarbindReader();
    walk.issues.forEach((i) => reader.note(i));
    return mapHostResources(walk.columns, reader);
  }

  /** Device removed or its credentials deleted: close its session. */
  forget(deviceIdOrHost: string): void {
    this.pool.forget(deviceIdOrHost);
  }

  closeAll(): void {
    this.pool.closeAll();
  }

  /** Diagnostics: open sessions and requests in flight/queued. */
  stats(): { sessions: number; inFlight: number; queued: number } {
    return { sessions: this.pool.size, inFlight: this.semaphore.inUse, queued: this.semaphore.waiting };
  }

  private async run<T>(target: SnmpTarget, what: string, fn: (entry: PooledSession) => Promise<T>): Promise<T> {
    let entry: PooledSession;
    try {
      entry = this.pool.acquire(target);
    } catch (err) {
      throw err instanceof Error && err.name === 'SnmpCredentialsError'
        ? new SnmpProbeError('invalidCredentials', err.message)
        : classifySnmpError(err, { version: target.credentials.version });
    }
    // Held for the whole operation (a walk is several PDUs, and each may wait for the semaphore), so the
    // session is not evicted as idle, nor closed on retirement, half-way through.
    entry.inFlight++;
    try {
      return await fn(entry);
    } catch (err) {
      const e = classifySnmpError(err, { version: entry.version });
      this.logger.debug(
        {
          deviceId: target.deviceId,
          host: target.host,
          what,
          reason: e.reason,
          ...describeCredentials(target.credentials),
        },
        `snmp poll failed: ${e.message}`,
      );
      throw e;
    } finally {
      this.pool.release(entry);
    }
  }

  /**
   * One PDU through the semaphore, with a guard timer in case net-snmp never calls back. For v1/v2c,
   * `fast` says how a well-formed reply is laid out (one varbind per requested OID, or GETBULK rows):
   * such a reply is decoded here ({@link decodeCommunityResponse}) and net-snmp's request ended;
   * anything else (errors, garbage, another community) goes to net-snmp as before.
   */
  private async request<T>(
    entry: PooledSession,
    send: (session: snmp.Session, cb: (err: Error | null, data?: T) => void) => void,
    fast?: { kind: 'list' | 'bulk'; oids: number },
  ): Promise<T> {
    const release = await this.semaphore.acquire();
    entry.inFlight++;
    const malformedBefore = entry.malformed;
    let attempts = 0;
    let budget = 0;
    for (let t = this.timeoutMs; attempts <= this.retries; attempts++, t *= this.backoff) budget += t;
    try {
      return await new Promise<T>((resolve, reject) => {
        let done = false;
        const finish = (err: Error | null, data?: T): void => {
          if (done) return;
          done = true;
          clearTimeout(guard);
          if (err)
            reject(
              classifySnmpError(err, { version: entry.version, malformedSeen: entry.malformed > malformedBefore }),
            );
          else resolve(data as T);
        };
        const guard = setTimeout(
          () => finish(Object.assign(new Error('Request timed out'), { name: 'RequestTimedOutError' })),
          budget + 1000,
        );
        const socket = fast && entry.community ? entry.socket : undefined;
        try {
          if (entry.closed) throw new Error('Socket forcibly closed');
          socket?.readNextReply((reply) => {
            if (done) return false;
            const data = this.readReply(entry, reply, fast as { kind: 'list' | 'bulk'; oids: number });
            if (data === null) return false;
            finish(null, data as T);
            return true;
          });
          send(entry.session, finish);
        } catch (err) {
          finish(err instanceof Error ? err : new Error(String(err)));
        } finally {
          socket?.readNextReply(undefined);
        }
      });
    } finally {
      release();
      this.pool.release(entry);
    }
  }

  /**
   * A v1/v2c reply read on the fast path: the varbinds as net-snmp's get/getNext/getBulk would hand
   * them over, and net-snmp's pending request (its retry timer) ended; null to leave the reply to net-snmp.
   */
  private readReply(
    entry: PooledSession,
    reply: Buffer,
    fast: { kind: 'list' | 'bulk'; oids: number },
  ): RawVarbind[] | RawVarbind[][] | null {
    const decoded = decodeCommunityResponse(reply);
    if (!decoded.ok) return null;
    const r = decoded.response;
    const community = entry.community as Buffer;
    if (
      r.pduType !== GET_RESPONSE_PDU ||
      r.errorStatus !== 0 ||
      r.version !== (entry.version === '1' ? 0 : 1) ||
      r.communityEnd - r.communityStart !== community.length ||
      reply.compare(community, 0, community.length, r.communityStart, r.communityEnd) !== 0
    )
      return null;
    if (fast.kind === 'list' && r.varbinds.length !== fast.oids) return null;
    // net-snmp's own bookkeeping (its retry timer); were it ever gone, the reply is left to net-snmp
    const session = entry.session as unknown as { unregisterRequest?: (id: number) => unknown };
    if (typeof session.unregisterRequest !== 'function') return null;
    session.unregisterRequest(r.requestId);
    return fast.kind === 'bulk' ? bulkRows(r.varbinds, fast.oids) : r.varbinds;
  }

  /**
   * GET of scalars. SNMPv1 fails the whole PDU on one missing OID (noSuchName), so on that error the
   * OIDs are fetched one by one and the missing ones left out.
   */
  private async getScalars(entry: PooledSession, oids: string[]): Promise<Map<string, RawVarbind>> {
    const out = new Map<string, RawVarbind>();
    const store = (vbs: RawVarbind[] | undefined): void => {
      for (const vb of vbs ?? []) if (vb && typeof vb.oid === 'string') out.set(vb.oid, vb);
    };
    try {
      store(
        await this.request<RawVarbind[]>(entry, (s, cb) => s.get(oids, cb as snmp.GetSetCallback), {
          kind: 'list',
          oids: oids.length,
        }),
      );
    } catch (err) {
      if (!(err instanceof SnmpProbeError && entry.version === '1' && /noSuchName/.test(err.message))) throw err;
      for (const oid of oids) {
        try {
          store(
            await this.request<RawVarbind[]>(entry, (s, cb) => s.get([oid], cb as snmp.GetSetCallback), {
              kind: 'list',
              oids: 1,
            }),
          );
        } catch (inner) {
          if (!(inner instanceof SnmpProbeError && /noSuchName/.test(inner.message))) throw inner;
        }
      }
    }
    return out;
  }

  /**
   * Walks several table columns side by side: each PDU asks for the next rows of every column still
   * open (GETBULK with max-repetitions, or GETNEXT for v1). A column ends at the first OID outside
   * it, at endOfMibView, or when the agent stops advancing.
   */
  private async walkColumns(
    entry: PooledSession,
    columnOids: string[],
  ): Promise<{ columns: ColumnData; issues: string[]; requests: number }> {
    const columns: ColumnData = new Map(columnOids.map((c) => [c, new Map<string, RawVarbind>()]));
    const cursor = new Map(columnOids.map((c) => [c, c]));
    const open = new Set(columnOids);
    const issues: string[] = [];
    let requests = 0;
    let repetitions = this.maxRepetitions;
    const bulk = entry.version !== '1';

    while (open.size > 0) {
      const active = [...open];
      const reqOids = active.map((c) => cursor.get(c) as string);
      let rows: Array<RawVarbind[] | undefined>;
      try {
        requests++;
        if (bulk) {
          const reps = repetitions;
          const res = await this.request<unknown[]>(
            entry,
            (s, cb) => s.getBulk(reqOids, 0, reps, cb as snmp.GetBulkCallback),
            { kind: 'bulk', oids: reqOids.length },
          );
          rows = active.map((_, i) => (Array.isArray(res[i]) ? (res[i] as RawVarbind[]) : undefined));
        } else {
          const res = await this.request<RawVarbind[]>(
            entry,
            (s, cb) => s.getNext(reqOids, cb as snmp.GetSetCallback),
            { kind: 'list', oids: reqOids.length },
          );
          rows = active.map((_, i) => (res[i] ? [res[i]] : undefined));
        }
      } catch (err) {
        if (!(err instanceof SnmpProbeError) || err.reason !== 'agentError') throw err;
        if (/tooBig/.test(err.message) && bulk && repetitions > 1) {
          repetitions = Math.max(1, Math.floor(repetitions / 2));
          continue;
        }
        if (/noSuchName/.test(err.message)) {
          // v1 end of MIB view: the detail names the failing OID; close that column (or all if unknown).
          const failing = active.find((c) => err.detail?.endsWith(`: ${cursor.get(c)}`));
          if (failing) open.delete(failing);
          else open.clear();
          continue;
        }
        if (requests === 1) throw err;
        issues.push(`walk stopped early: ${err.message}`);
        break;
      }
      // Agents may truncate GETBULK responses (RFC 3416 4.2.3): a column that got nothing stays open,
      // but a response that neither advances nor ends any column ends the walk.
      const openBefore = open.size;
      let advanced = false;
      active.forEach((col, i) => {
        const store = columns.get(col) as Map<string, RawVarbind>;
        for (const vb of rows[i] ?? []) {
          if (!vb || typeof vb.oid !== 'string' || vb.type === ASN1.EndOfMibView) {
            open.delete(col);
            return;
          }
          const suffix = oidSuffix(col, vb.oid);
          if (suffix === null) {
            open.delete(col);
            return;
          }
          if (compareOids(vb.oid, cursor.get(col) as string) <= 0) {
            issues.push(`agent did not advance in column ${col}`);
            open.delete(col);
            return;
          }
          advanced = true;
          cursor.set(col, vb.oid);
          if (vb.type !== ASN1.NoSuchObject && vb.type !== ASN1.NoSuchInstance) store.set(suffix, vb);
          if (store.size >= this.maxRowsPerColumn) {
            issues.push(`column ${col} truncated at ${this.maxRowsPerColumn} rows`);
            open.delete(col);
            return;
          }
        }
      });
      if (!advanced && open.size === openBefore) open.clear();
    }
    return { columns, issues, requests };
  }
}

function staticsOf(interfaces: SnmpInterface[]): InterfaceStatics {
  return {
    byIndex: new Map(
      interfaces.map((i) => [
        i.ifIndex,
        { ifDescr: i.ifDescr, ifName: i.ifName, ifAlias: i.ifAlias, ifType: i.ifType, speedBps: i.speedBps },
      ]),
    ),
    hc: interfaces.length > 0 && interfaces.every((i) => i.inOctetsBits === 64 && i.outOctetsBits === 64),
    partialWalks: 0,
  };
}
