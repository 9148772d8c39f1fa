/**
 * A small SNMPv2c responder for the polling benchmark: every device it answers for has the same MIB
 * (system group, ifTable/ifXTable with `interfaces` rows and 64-bit counters that grow with time,
 * HOST-RESOURCES storage and processor load). GET, GETNEXT and GETBULK are answered; GETBULK replies
 * are truncated to `maxMessageSize` bytes as a real agent does (Net-SNMP's snmpd: 1472), so walks take
 * as many PDUs as they would against real equipment.
 *
 * Hand-rolled BER on purpose: the encoded varbind list of a request is cached for the current second
 * (counters and sysUpTime move once a second), so answering costs a lookup and a copy, and the
 * simulator stays far cheaper than the poller it feeds.
 */

export interface SimMibOptions {
  interfaces: number;
  hostResources: boolean;
  /** Largest reply in bytes; GETBULK replies are cut to fit. */
  maxMessageSize: number;
  startedAtMs: number;
}

const TAG = {
  Integer: 0x02,
  OctetString: 0x04,
  Null: 0x05,
  Oid: 0x06,
  Sequence: 0x30,
  Counter32: 0x41,
  Gauge32: 0x42,
  TimeTicks: 0x43,
  Counter64: 0x46,
  NoSuchObject: 0x80,
  EndOfMibView: 0x82,
  GetRequest: 0xa0,
  GetNextRequest: 0xa1,
  GetResponse: 0xa2,
  GetBulkRequest: 0xa5,
} as const;

// ------------------------------------------------------------------------------------------- BER

function encodeLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** Non-negative integer (INTEGER, Counter32, Gauge32, TimeTicks, Counter64) as minimal big-endian bytes. */
function unsignedContent(value: number | bigint): Buffer {
  let v = BigInt(value);
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}

function encodeOid(arcs: readonly number[]): Buffer {
  const bytes: number[] = [arcs[0] * 40 + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(TAG.Oid, Buffer.from(bytes));
}

function decodeOid(buf: Buffer, start: number, end: number): number[] {
  const arcs: number[] = [];
  let v = 0;
  for (let i = start; i < end; i++) {
    v = v * 128 + (buf[i] & 0x7f);
    if ((buf[i] & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(Math.min(2, Math.floor(v / 40)), v - Math.min(2, Math.floor(v / 40)) * 40);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs;
}

interface Tl {
  tag: number;
  start: number;
  end: number;
}

function readTl(buf: Buffer, pos: number): Tl {
  const tag = buf[pos];
  let len = buf[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) throw new Error('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  if (tag === undefined || start + len > buf.length) throw new Error('truncated');
  return { tag, start, end: start + len };
}

function compareArcs(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

// ------------------------------------------------------------------------------------------- MIB

interface MibEntry {
  arcs: number[];
  oid: Buffer;
  /** The value TLV at `t` seconds of uptime. */
  value: (t: number) => Buffer;
}

const arcsOf = (oid: string): number[] => oid.split('.').map(Number);
const constant = (b: Buffer) => () => b;
const str = (s: string) => constant(tlv(TAG.OctetString, Buffer.from(s)));
const int = (n: number) => constant(tlv(TAG.Integer, unsignedContent(n)));
const gauge = (n: number) => constant(tlv(TAG.Gauge32, unsignedContent(n)));
const counter32 = (rate: number) => (t: number) => tlv(TAG.Counter32, unsignedContent(Math.floor(rate * t) % 2 ** 32));
const counter64 = (rate: number) => (t: number) => tlv(TAG.Counter64, unsignedContent(BigInt(Math.floor(rate * t))));

function buildMib(options: SimMibOptions): MibEntry[] {
  const rows: Array<[string, (t: number) => Buffer]> = [
    ['1.3.6.1.2.1.1.1.0', str('NetDesk bench simulated switch')],
    ['1.3.6.1.2.1.1.2.0', constant(encodeOid(arcsOf('1.3.6.1.4.1.8072.3.2.10')))],
    ['1.3.6.1.2.1.1.3.0', (t) => tlv(TAG.TimeTicks, unsignedContent(Math.floor(t * 100) % 2 ** 32))],
    ['1.3.6.1.2.1.1.4.0', str('noc@example.net')],
    ['1.3.6.1.2.1.1.5.0', str('bench-sim')],
    ['1.3.6.1.2.1.1.6.0', str('bench rack')],
    ['1.3.6.1.2.1.1.7.0', int(6)],
    ['1.3.6.1.2.1.2.1.0', int(options.interfaces)],
  ];
  const ifEntry = '1.3.6.1.2.1.2.2.1';
  const ifxEntry = '1.3.6.1.2.1.31.1.1.1';
  for (let i = 1; i <= options.interfaces; i++) {
    const bytesPerSec = 125_000 * i;
    rows.push(
      [`${ifEntry}.1.${i}`, int(i)],
      [`${ifEntry}.2.${i}`, str(`GigabitEthernet0/${i}`)],
      [`${ifEntry}.3.${i}`, int(6)],
      [`${ifEntry}.4.${i}`, int(1500)],
      [`${ifEntry}.5.${i}`, gauge(1_000_000_000)],
      [`${ifEntry}.7.${i}`, int(1)],
      [`${ifEntry}.8.${i}`, int(1)],
      [`${ifEntry}.10.${i}`, counter32(bytesPerSec)],
      [`${ifEntry}.11.${i}`, counter32(bytesPerSec / 800)],
      [`${ifEntry}.13.${i}`, counter32(0.01)],
      [`${ifEntry}.14.${i}`, counter32(0.001)],
      [`${ifEntry}.16.${i}`, counter32(bytesPerSec * 2)],
      [`${ifEntry}.17.${i}`, counter32(bytesPerSec / 400)],
      [`${ifEntry}.19.${i}`, counter32(0.01)],
      [`${ifEntry}.20.${i}`, counter32(0.001)],
      [`${ifxEntry}.1.${i}`, str(`Gi0/${i}`)],
      [`${ifxEntry}.6.${i}`, counter64(bytesPerSec)],
      [`${ifxEntry}.10.${i}`, counter64(bytesPerSec * 2)],
      [`${ifxEntry}.15.${i}`, gauge(1000)],
      [`${ifxEntry}.18.${i}`, str(i === 1 ? 'uplink' : i === 2 ? 'core' : '')],
    );
  }
  if (options.hostResources) {
    const storage = '1.3.6.1.2.1.25.2.3.1';
    const storageRows: Array<[number, string, string, number, number, number]> = [
      [1, '1.3.6.1.2.1.25.2.1.2', 'Physical memory', 1024, 4_194_304, 2_516_582],
      [2, '1.3.6.1.2.1.25.2.1.4', '/', 4096, 2_621_440, 1_048_576],
    ];
    for (const [idx, type, descr, unit, size, used] of storageRows) {
      rows.push(
        [`${storage}.1.${idx}`, int(idx)],
        [`${storage}.2.${idx}`, constant(encodeOid(arcsOf(type)))],
        [`${storage}.3.${idx}`, str(descr)],
        [`${storage}.4.${idx}`, int(unit)],
        [`${storage}.5.${idx}`, int(size)],
        [`${storage}.6.${idx}`, int(used)],
      );
    }
    rows.push(['1.3.6.1.2.1.25.3.3.1.2.196608', int(12)], ['1.3.6.1.2.1.25.3.3.1.2.196609', int(30)]);
  }
  return rows
    .map(([oid, value]) => ({ arcs: arcsOf(oid), oid: encodeOid(arcsOf(oid)), value }))
    .sort((a, b) => compareArcs(a.arcs, b.arcs));
}

// -------------------------------------------------------------------------------------- responder

export interface ResponderCounters {
  requests: number;
  cacheHits: number;
  dropped: number;
}

export class SnmpSimResponder {
  private readonly mib: MibEntry[];
  private readonly exact = new Map<string, number>();
  private readonly cache = new Map<string, Buffer>();
  private cacheSecond = -1;
  readonly counters: ResponderCounters = { requests: 0, cacheHits: 0, dropped: 0 };

  constructor(private readonly options: SimMibOptions) {
    this.mib = buildMib(options);
    this.mib.forEach((e, i) => this.exact.set(e.arcs.join('.'), i));
  }

  /** The reply to one datagram, or null for anything that is not a v2c GET/GETNEXT/GETBULK. */
  handle(msg: Buffer, nowMs: number): Buffer | null {
    try {
      return this.answer(msg, nowMs);
    } catch {
      this.counters.dropped++;
      return null;
    }
  }

  private answer(msg: Buffer, nowMs: number): Buffer | null {
    const outer = readTl(msg, 0);
    if (outer.tag !== TAG.Sequence) return this.drop();
    const version = readTl(msg, outer.start);
    if (version.tag !== TAG.Integer || msg[version.start] !== 1) return this.drop(); // v2c only
    const community = readTl(msg, version.end);
    const pdu = readTl(msg, community.end);
    if (pdu.tag !== TAG.GetRequest && pdu.tag !== TAG.GetNextRequest && pdu.tag !== TAG.GetBulkRequest)
      return this.drop();
    const reqId = readTl(msg, pdu.start);
    const a = readTl(msg, reqId.end);
    const b = readTl(msg, a.end);
    const list = readTl(msg, b.end);
    const oids: number[][] = [];
    for (let pos = list.start; pos < list.end;) {
      const vb = readTl(msg, pos);
      const oid = readTl(msg, vb.start);
      oids.push(decodeOid(msg, oid.start, oid.end));
      pos = vb.end;
    }
    this.counters.requests++;
    const head = msg.subarray(version.start - 2, community.end); // version + community TLVs as sent
    const reqIdTlv = msg.subarray(pdu.start, reqId.end);
    // message and PDU headers (up to 4 bytes each), error-status and -index, varbind list header
    const budget = this.options.maxMessageSize - 4 - head.length - 4 - reqIdTlv.length - 6 - 4;
    const nonRepeaters = pdu.tag === TAG.GetBulkRequest ? intValue(msg, a) : 0;
    const maxRepetitions = pdu.tag === TAG.GetBulkRequest ? intValue(msg, b) : 0;

    const second = Math.floor(nowMs / 1000);
    if (second !== this.cacheSecond) {
      this.cache.clear();
      this.cacheSecond = second;
    }
    const key = `${pdu.tag}|${nonRepeaters}|${maxRepetitions}|${oids.map((o) => o.join('.')).join(',')}`;
    let varbinds = this.cache.get(key);
    if (varbinds) this.counters.cacheHits++;
    else {
      const t = (second * 1000 - this.options.startedAtMs) / 1000 + 86_400;
      varbinds = this.varbinds(pdu.tag, oids, nonRepeaters, maxRepetitions, t, budget);
      this.cache.set(key, varbinds);
    }
    const zero = Buffer.from([TAG.Integer, 1, 0]);
    const pduBody = Buffer.concat([reqIdTlv, zero, zero, varbinds]);
    return tlv(TAG.Sequence, Buffer.concat([head, tlv(TAG.GetResponse, pduBody)]));
  }

  private drop(): null {
    this.counters.dropped++;
    return null;
  }

  /** The encoded varbind list (SEQUENCE) answering a request. */
  private varbinds(
    type: number,
    oids: number[][],
    nonRepeaters: number,
    maxRepetitions: number,
    t: number,
    budget: number,
  ): Buffer {
    const out: Buffer[] = [];
    let size = 0;
    const push = (vb: Buffer): boolean => {
      if (size + vb.length > budget) return false;
      out.push(vb);
      size += vb.length;
      return true;
    };
    if (type === TAG.GetRequest) {
      for (const oid of oids) {
        const i = this.exact.get(oid.join('.'));
        push(i === undefined ? varbind(encodeOid(oid), Buffer.from([TAG.NoSuchObject, 0])) : this.entry(i, t));
      }
    } else if (type === TAG.GetNextRequest) {
      for (const oid of oids) push(this.next(oid, t).vb);
    } else {
      const n = Math.min(nonRepeaters, oids.length);
      for (const oid of oids.slice(0, n)) push(this.next(oid, t).vb);
      const cursors = oids.slice(n);
      full: for (let r = 0; r < maxRepetitions && cursors.length; r++) {
        let allEnded = true;
        for (let c = 0; c < cursors.length; c++) {
          const { vb, arcs } = this.next(cursors[c], t);
          if (arcs) {
            cursors[c] = arcs;
            allEnded = false;
          }
          if (!push(vb)) break full;
        }
        if (allEnded) break;
      }
    }
    return tlv(TAG.Sequence, Buffer.concat(out));
  }

  private entry(i: number, t: number): Buffer {
    return varbind(this.mib[i].oid, this.mib[i].value(t));
  }

  /** The first object after `oid`, or endOfMibView. */
  private next(oid: number[], t: number): { vb: Buffer; arcs: number[] | null } {
    let lo = 0;
    let hi = this.mib.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareArcs(this.mib[mid].arcs, oid) <= 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.mib.length) return { vb: varbind(encodeOid(oid), Buffer.from([TAG.EndOfMibView, 0])), arcs: null };
    return { vb: this.entry(lo, t), arcs: this.mib[lo].arcs };
  }
}

function varbind(oid: Buffer, value: Buffer): Buffer {
  return tlv(TAG.Sequence, Buffer.concat([oid, value]));
}

function intValue(buf: Buffer, tl: Tl): number {
  let v = 0;
  for (let i = tl.start; i < tl.end; i++) v = v * 256 + buf[i];
  return v;
}
