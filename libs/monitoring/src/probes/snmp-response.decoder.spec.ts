import { bulkRows, decodeCommunityResponse, GET_RESPONSE_PDU, oidString } from './snmp-response.decoder';
import { ASN1 } from './snmp-varbinds';

/** BER TLV with a short or long (2-byte) definite length. */
function tlv(tag: number, content: Buffer | number[]): Buffer {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
  const len = body.length < 128 ? [body.length] : [0x82, body.length >> 8, body.length & 0xff];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}
const int = (n: number): Buffer => {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v !== 0 && v !== -1);
  if (n >= 0 && bytes[0] & 0x80) bytes.unshift(0);
  return tlv(ASN1.Integer, bytes);
};
function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  [arcs[0] * 40 + arcs[1], ...arcs.slice(2)].forEach((a) => {
    const chunk = [a & 0x7f];
    for (a = Math.floor(a / 128); a > 0; a = Math.floor(a / 128)) chunk.unshift((a & 0x7f) | 0x80);
    out.push(...chunk);
  });
  return tlv(ASN1.OID, out);
}
const varbind = (o: string, value: Buffer): Buffer => tlv(0x30, Buffer.concat([oid(o), value]));
function message(
  varbinds: Buffer[],
  opts: { version?: number; community?: string; pdu?: number; status?: number } = {},
) {
  const pdu = tlv(
    opts.pdu ?? GET_RESPONSE_PDU,
    Buffer.concat([int(4242), int(opts.status ?? 0), int(0), tlv(0x30, Buffer.concat(varbinds))]),
  );
  return tlv(
    0x30,
    Buffer.concat([int(opts.version ?? 1), tlv(ASN1.OctetString, Buffer.from(opts.community ?? 'public')), pdu]),
  );
}

const IF_DESCR_1 = '1.3.6.1.2.1.2.2.1.2.1';

describe('decodeCommunityResponse', () => {
  it('reads every type a poll gets back, as net-snmp hands it over', () => {
    const msg = message([
      varbind(IF_DESCR_1, tlv(ASN1.OctetString, Buffer.from('eth0'))),
      varbind('1.3.6.1.2.1.2.2.1.3.1', int(6)),
      varbind('1.3.6.1.2.1.2.2.1.10.1', tlv(ASN1.Counter32, [0x00, 0xff, 0xff, 0xff, 0xff])),
      varbind('1.3.6.1.2.1.2.2.1.16.1', tlv(ASN1.Counter32, [0xff, 0xff, 0xff, 0xfe])),
      varbind('1.3.6.1.2.1.1.3.0', tlv(ASN1.TimeTicks, [0x01, 0x00])),
      varbind('1.3.6.1.2.1.31.1.1.1.6.1', tlv(ASN1.Counter64, [0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])),
      varbind('1.3.6.1.2.1.31.1.1.1.10.1', tlv(ASN1.Counter64, [0x01, 0x00, 0x00, 0x00, 0x00])),
      varbind('1.3.6.1.2.1.1.2.0', oid('1.3.6.1.4.1.8072.3.2.10')),
      varbind('1.3.6.1.2.1.4.20.1.1.10', tlv(ASN1.IpAddress, [10, 0, 0, 1])),
      varbind('1.3.6.1.2.1.1.9.0', tlv(ASN1.NoSuchObject, [])),
      varbind('1.3.6.1.2.1.1.10.0', tlv(ASN1.EndOfMibView, [])),
      varbind('1.3.6.1.2.1.1.11.0', int(-2)),
    ]);
    const result = decodeCommunityResponse(msg);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const r = result.response;
    expect([r.version, r.pduType, r.requestId, r.errorStatus, r.errorIndex]).toEqual([1, GET_RESPONSE_PDU, 4242, 0, 0]);
    expect(msg.subarray(r.communityStart, r.communityEnd).toString()).toBe('public');
    expect(r.varbinds.map((v) => [v.oid, v.type])).toEqual([
      [IF_DESCR_1, ASN1.OctetString],
      ['1.3.6.1.2.1.2.2.1.3.1', ASN1.Integer],
      ['1.3.6.1.2.1.2.2.1.10.1', ASN1.Counter32],
      ['1.3.6.1.2.1.2.2.1.16.1', ASN1.Counter32],
      ['1.3.6.1.2.1.1.3.0', ASN1.TimeTicks],
      ['1.3.6.1.2.1.31.1.1.1.6.1', ASN1.Counter64],
      ['1.3.6.1.2.1.31.1.1.1.10.1', ASN1.Counter64],
      ['1.3.6.1.2.1.1.2.0', ASN1.OID],
      ['1.3.6.1.2.1.4.20.1.1.10', ASN1.IpAddress],
      ['1.3.6.1.2.1.1.9.0', ASN1.NoSuchObject],
      ['1.3.6.1.2.1.1.10.0', ASN1.EndOfMibView],
      ['1.3.6.1.2.1.1.11.0', ASN1.Integer],
    ]);
    const values = r.varbinds.map((v) => v.value);
    expect(Buffer.isBuffer(values[0]) && (values[0] as Buffer).toString()).toBe('eth0');
    expect(values.slice(1)).toEqual([
      6,
      4294967295,
      4294967294, // a 4-byte encoding with the top bit set, read as unsigned like net-snmp does
      256,
      18446744073709551615n,
      4294967296n,
      '1.3.6.1.4.1.8072.3.2.10',
      '10.0.0.1',
      null,
      null,
      -2,
    ]);
  });

  it('reads long-form lengths and large OID arcs', () => {
    const long = Buffer.alloc(300, 0x61);
    const msg = message([varbind('1.3.6.1.4.1.4294967295.128.16383.16384', tlv(ASN1.OctetString, long))]);
    const result = decodeCommunityResponse(msg);
    expect(result.ok && result.response.varbinds[0].oid).toBe('1.3.6.1.4.1.4294967295.128.16383.16384');
    expect(result.ok && (result.response.varbinds[0].value as Buffer).length).toBe(300);
  });

  it('reads v1 messages and error statuses (the caller decides what to do with them)', () => {
    const result = decodeCommunityResponse(
      message([varbind(IF_DESCR_1, tlv(ASN1.Null, []))], { version: 0, status: 2 }),
    );
    expect(result.ok && [result.response.version, result.response.errorStatus]).toEqual([0, 2]);
  });

  const good = message([
    varbind(IF_DESCR_1, tlv(ASN1.OctetString, Buffer.from('eth0'))),
    varbind('1.3.6.1.2.1.1.3.0', int(5)),
  ]);

  it.each([
    ['an empty datagram', Buffer.alloc(0)],
    ['random bytes', Buffer.from('not an SNMP message at all')],
    ['a message cut at every length', null],
    ['SNMPv3', message([], { version: 3 })],
    ['an indefinite length', Buffer.from([0x30, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00])],
    ['a length beyond the datagram', Buffer.concat([Buffer.from([0x30, 0x7f]), good.subarray(2)])],
    ['a five-byte length', Buffer.from([0x30, 0x85, 0, 0, 0, 0, 1, 0])],
    ['a version that is not an INTEGER', Buffer.from([0x30, 0x03, 0x04, 0x01, 0x01])],
    ['a zero-length INTEGER', Buffer.from([0x30, 0x02, 0x02, 0x00])],
    ['a varbind of the wrong type', message([tlv(0x30, Buffer.concat([tlv(ASN1.OctetString, [1]), int(1)]))])],
    ['a varbind without a value', message([tlv(0x30, oid(IF_DESCR_1))])],
    ['a varbind with trailing bytes', message([tlv(0x30, Buffer.concat([oid(IF_DESCR_1), int(1), int(2)]))])],
    ['an unknown value type', message([varbind(IF_DESCR_1, tlv(0x47, [1]))])],
    ['an IpAddress of 3 bytes', message([varbind(IF_DESCR_1, tlv(ASN1.IpAddress, [1, 2, 3]))])],
    ['an INTEGER of 5 bytes', message([varbind(IF_DESCR_1, tlv(ASN1.Integer, [1, 2, 3, 4, 5]))])],
    ['a Counter32 of 5 bytes above 32 bits', message([varbind(IF_DESCR_1, tlv(ASN1.Counter32, [1, 0, 0, 0, 0]))])],
    ['a Counter64 above 64 bits', message([varbind(IF_DESCR_1, tlv(ASN1.Counter64, [1, 0, 0, 0, 0, 0, 0, 0, 0]))])],
    ['an empty Counter64', message([varbind(IF_DESCR_1, tlv(ASN1.Counter64, []))])],
    ['a NULL with content', message([varbind(IF_DESCR_1, tlv(ASN1.Null, [0]))])],
    ['an empty OID', message([tlv(0x30, Buffer.concat([tlv(ASN1.OID, []), int(1)]))])],
    ['a truncated OID arc', message([tlv(0x30, Buffer.concat([tlv(ASN1.OID, [0x2b, 0x86]), int(1)]))])],
    [
      'an OID arc beyond 32 bits',
      message([tlv(0x30, Buffer.concat([tlv(ASN1.OID, [0x2b, 0x90, 0x80, 0x80, 0x80, 0x00]), int(1)]))]),
    ],
  ])('answers %s with an issue, never a throw', (_what, input) => {
    const inputs = input ? [input] : Array.from({ length: good.length }, (_, n) => good.subarray(0, n));
    for (const buf of inputs) {
      const result = decodeCommunityResponse(buf);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.issue).toMatch(/\w/);
    }
  });

  it('survives random corruption of a good message (decodes or answers an issue)', () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    for (let i = 0; i < 5000; i++) {
      const buf = Buffer.from(good);
      for (let k = 0; k <= rand(3); k++) buf[rand(buf.length)] = rand(256);
      const result = decodeCommunityResponse(buf);
      if (!result.ok) expect(typeof result.issue).toBe('string');
      else for (const vb of result.response.varbinds) expect(vb.oid).toMatch(/^\d+(\.\d+)+$/);
    }
  });
});

describe('oidString', () => {
  it('renders the first subidentifier as net-snmp does', () => {
    expect(oidString(Buffer.from([0x2b, 0x06, 0x01]), 0, 3)).toBe('1.3.6.1');
    expect(oidString(Buffer.from([0x00]), 0, 1)).toBe('0.0');
  });
});

describe('bulkRows', () => {
  it('lays GETBULK varbinds out per requested column, like net-snmp', () => {
    const vb = (oid: string) => ({ oid, type: ASN1.Integer, value: 1 });
    expect(bulkRows([vb('a.1'), vb('b.1'), vb('a.2'), vb('b.2'), vb('a.3')], 2)).toEqual([
      [vb('a.1'), vb('a.2'), vb('a.3')],
      [vb('b.1'), vb('b.2')],
    ]);
    expect(bulkRows([vb('a.1')], 3)).toEqual([[vb('a.1')]]);
  });
});
