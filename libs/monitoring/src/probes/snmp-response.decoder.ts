import { ASN1, RawVarbind } from './snmp-varbinds';

/**
 * A strict, allocation-light decoder of SNMPv1/v2c response messages, the poller's fast path: a reply
 * to a GET, GETNEXT or GETBULK is read straight from the datagram into the varbinds the walks use (one
 * object and one OID string per varbind, Counter64 as bigint, octet strings as views of the datagram),
 * instead of net-snmp's message, PDU and BER-reader objects and its OID arc arrays.
 *
 * It accepts only what it reads exactly as net-snmp would (definite lengths that nest, the types a
 * poll gets back, integers that fit), and answers anything else with an issue and no varbinds: the
 * caller then hands the datagram to net-snmp unchanged, so garbage, errors and odd encodings keep the
 * behaviour (and the error messages) they had. It never throws.
 */
export interface CommunityResponse {
  /** 0 = SNMPv1, 1 = SNMPv2c. */
  version: number;
  /** Where the community string lies in the datagram (compared there, never copied). */
  communityStart: number;
  communityEnd: number;
  pduType: number;
  requestId: number;
  errorStatus: number;
  errorIndex: number;
  varbinds: RawVarbind[];
}

export type DecodeResult = { ok: true; response: CommunityResponse } | { ok: false; issue: string };

export const GET_RESPONSE_PDU = 0xa2;

const SEQUENCE = 0x30;

class DecodeError extends Error {}

/** Digits of one OID are written here, then read back as one flat string. */
const scratch = Buffer.allocUnsafe(1024);

export function decodeCommunityResponse(buf: Buffer): DecodeResult {
  try {
    return { ok: true, response: decode(buf) };
  } catch (err) {
    if (err instanceof DecodeError) return { ok: false, issue: err.message };
    return { ok: false, issue: `undecodable: ${String(err).slice(0, 100)}` };
  }
}

function decode(buf: Buffer): CommunityResponse {
  const r = new BerCursor(buf);
  const messageEnd = r.enter(SEQUENCE, buf.length, 'message');
  const version = r.integer(messageEnd, 'version');
  if (version !== 0 && version !== 1) throw new DecodeError(`version ${version} is not SNMPv1 or v2c`);
  const communityLen = r.header(ASN1.OctetString, messageEnd, 'community');
  const communityStart = r.pos;
  r.pos += communityLen;
  const pduType = buf[r.pos];
  if (r.pos >= messageEnd || (pduType & 0xe0) !== 0xa0) throw new DecodeError('no PDU');
  const pduEnd = r.enter(pduType, messageEnd, 'PDU');
  const requestId = r.integer(pduEnd, 'request-id');
  const errorStatus = r.integer(pduEnd, 'error-status');
  const errorIndex = r.integer(pduEnd, 'error-index');
  const listEnd = r.enter(SEQUENCE, pduEnd, 'varbind list');
  const varbinds: RawVarbind[] = [];
  while (r.pos < listEnd) {
    const vbEnd = r.enter(SEQUENCE, listEnd, 'varbind');
    const oidLen = r.header(ASN1.OID, vbEnd, 'varbind OID');
    const oid = oidString(buf, r.pos, r.pos + oidLen);
    r.pos += oidLen;
    if (r.pos >= vbEnd) throw new DecodeError('varbind without a value');
    const type = buf[r.pos];
    const len = r.header(type, vbEnd, 'value');
    const value = readValue(buf, type, r.pos, len);
    r.pos += len;
    if (r.pos !== vbEnd) throw new DecodeError('varbind length does not match its content');
    varbinds.push({ oid, type, value });
  }
  if (r.pos !== listEnd || listEnd !== pduEnd) throw new DecodeError('PDU length does not match its content');
  return {
    version,
    communityStart,
    communityEnd: communityStart + communityLen,
    pduType,
    requestId,
    errorStatus,
    errorIndex,
    varbinds,
  };
}

class BerCursor {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  /** Reads a tag and a definite length; returns the content length, which must end by `end`. */
  header(tag: number, end: number, what: string): number {
    const buf = this.buf;
    if (this.pos + 2 > end) throw new DecodeError(`${what}: truncated`);
    if (buf[this.pos] !== tag)
      throw new DecodeError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${buf[this.pos].toString(16)}`);
    let len = buf[this.pos + 1];
    this.pos += 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) throw new DecodeError(`${what}: unsupported length encoding`);
      if (this.pos + n > end) throw new DecodeError(`${what}: truncated length`);
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + buf[this.pos++];
    }
    if (this.pos + len > end) throw new DecodeError(`${what}: length ${len} runs past its container`);
    return len;
  }

  /** Enters a constructed value; returns where it ends. */
  enter(tag: number, end: number, what: string): number {
    const len = this.header(tag, end, what);
    return this.pos + len;
  }

  integer(end: number, what: string): number {
    const len = this.header(ASN1.Integer, end, what);
    const value = signed(this.buf, this.pos, len, what);
    this.pos += len;
    return value;
  }
}

/** Two's-complement integer of 1 to 4 bytes (what net-snmp reads as a 32-bit INTEGER). */
function signed(buf: Buffer, start: number, len: number, what: string): number {
  if (len < 1 || len > 4) throw new DecodeError(`${what}: integer of ${len} bytes`);
  let value = (buf[start] << 24) >> 24; // sign of the first byte
  for (let i = 1; i < len; i++) value = value * 256 + buf[start + i];
  return value;
}

function readValue(buf: Buffer, type: number, start: number, len: number): unknown {
  switch (type) {
    case ASN1.Integer:
      return signed(buf, start, len, 'Integer');
    case ASN1.Counter32:
    case ASN1.Gauge32:
    case ASN1.TimeTicks: {
      // net-snmp reads them signed and keeps the low 32 bits, so a 4-byte 0xffffffff is 4294967295 too
      if (len === 5 && buf[start] !== 0) throw new DecodeError('32-bit counter of 5 bytes not starting with 0');
      if (len === 5) return buf.readUInt32BE(start + 1);
      return signed(buf, start, len, 'unsigned 32-bit value') >>> 0;
    }
    case ASN1.Counter64:
      return counter64(buf, start, len);
    case ASN1.OctetString:
    case ASN1.Opaque:
      return buf.subarray(start, start + len);
    case ASN1.OID:
      return oidString(buf, start, start + len);
    case ASN1.IpAddress:
      if (len !== 4) throw new DecodeError(`IpAddress of ${len} bytes`);
      return `${buf[start]}.${buf[start + 1]}.${buf[start + 2]}.${buf[start + 3]}`;
    case ASN1.Null:
    case ASN1.NoSuchObject:
    case ASN1.NoSuchInstance:
    case ASN1.EndOfMibView:
      if (len !== 0) throw new DecodeError(`type ${type} with content`);
      return null;
    default:
      throw new DecodeError(`value type 0x${type.toString(16)} not read here`);
  }
}

/** Unsigned, up to 64 bits (a leading 0x00 allowed); as bigint. */
function counter64(buf: Buffer, start: number, len: number): bigint {
  if (len < 1 || len > 9 || (len === 9 && buf[start] !== 0)) throw new DecodeError(`Counter64 of ${len} bytes`);
  let hi = 0;
  const loStart = Math.max(start, start + len - 4);
  for (let i = start; i < loStart; i++) hi = hi * 256 + buf[i];
  let lo = 0;
  for (let i = loStart; i < start + len; i++) lo = lo * 256 + buf[i];
  const n = hi * 4294967296 + lo;
  return Number.isSafeInteger(n) ? BigInt(n) : (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * Dotted OID from BER content, as net-snmp renders it (the first subidentifier split as x/40 and x%40).
 * Arcs beyond 32 bits, a truncated last arc and an empty OID are refused.
 */
export function oidString(buf: Buffer, start: number, end: number): string {
  if (end <= start) throw new DecodeError('empty OID');
  if ((buf[end - 1] & 0x80) !== 0) throw new DecodeError('truncated OID');
  let out = 0;
  let first = true;
  let arc = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i];
    arc = arc * 128 + (byte & 0x7f);
    if (arc > 0xffffffff) throw new DecodeError('OID arc beyond 32 bits');
    if (byte & 0x80) continue;
    if (out + 24 > scratch.length) throw new DecodeError('OID too long');
    if (first) {
      out = writeDecimal(out, Math.floor(arc / 40));
      scratch[out++] = 0x2e;
      out = writeDecimal(out, arc % 40);
      first = false;
    } else {
      scratch[out++] = 0x2e;
      out = writeDecimal(out, arc);
    }
    arc = 0;
  }
  return scratch.toString('latin1', 0, out);
}

function writeDecimal(at: number, n: number): number {
  if (n < 10) {
    scratch[at] = 0x30 + n;
    return at + 1;
  }
  let digits = 0;
  for (let m = n; m > 0; m = Math.floor(m / 10)) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    scratch[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + digits;
}

/**
 * A GETBULK reply (non-repeaters 0) laid out as net-snmp's getBulk hands it over: per requested OID,
 * the varbinds of its column, in order.
 */
export function bulkRows(varbinds: RawVarbind[], requested: number): RawVarbind[][] {
  const rows: RawVarbind[][] = [];
  for (let i = 0; i < varbinds.length; i++) {
    if (i < requested) rows.push([varbinds[i]]);
    else rows[i % requested].push(varbinds[i]);
  }
  return rows;
}
