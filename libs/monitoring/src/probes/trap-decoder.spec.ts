import { decodeTrap, TrapDecodeError } from './trap-decoder';
import { ASN1 } from './snmp-varbinds';

const at = new Date('2030-01-01T00:00:00Z');
const v2 = (trapOid: unknown, extra: object[] = []) => ({
  type: 167,
  varbinds: [
    { oid: '1.3.6.1.2.1.1.3.0', type: ASN1.TimeTicks, value: 5 },
    { oid: '1.3.6.1.6.3.1.1.4.1.0', type: ASN1.OID, value: trapOid },
    ...extra,
  ],
});

describe('decodeTrap', () => {
  it.each([
    ['1.3.6.1.6.3.1.1.5.1', 'coldStart'],
    ['1.3.6.1.6.3.1.1.5.2', 'warmStart'],
    ['1.3.6.1.6.3.1.1.5.3', 'linkDown'],
    ['1.3.6.1.6.3.1.1.5.4', 'linkUp'],
    ['1.3.6.1.4.1.9.9.41.2.0.1', 'other'],
  ])('decodes v2c snmpTrapOID %s as %s', (oid, kind) => {
    expect(decodeTrap(v2(oid), '127.0.0.1', at)).toMatchObject({
      kind,
      version: '2c',
      trapOid: oid,
      source: '127.0.0.1',
      receivedAt: at,
    });
  });

  it('takes ifIndex from the ifIndex varbind of linkDown', () => {
    const e = decodeTrap(
      v2('1.3.6.1.6.3.1.1.5.3', [{ oid: '1.3.6.1.2.1.2.2.1.1.7', type: ASN1.Integer, value: 7 }]),
      '10.0.0.1',
      at,
    );
    expect(e.ifIndex).toBe(7);
  });

  it('falls back to the instance of ifAdminStatus/ifOperStatus', () => {
    const e = decodeTrap(
      v2('1.3.6.1.6.3.1.1.5.4', [{ oid: '1.3.6.1.2.1.2.2.1.8.12', type: ASN1.Integer, value: 1 }]),
      '10.0.0.1',
      at,
    );
    expect(e).toMatchObject({ kind: 'linkUp', ifIndex: 12 });
  });

  it('decodes v1 generic traps and keeps a differing agent-addr', () => {
    const pdu = {
      type: 164,
      enterprise: '1.3.6.1.4.1.8072',
      agentAddr: '192.0.2.7',
      generic: 2,
      specific: 0,
      varbinds: [{ oid: '1.3.6.1.2.1.2.2.1.1.3', type: ASN1.Integer, value: 3 }],
    };
    expect(decodeTrap(pdu, '127.0.0.1', at)).toMatchObject({
      kind: 'linkDown',
      version: '1',
      ifIndex: 3,
      agentAddress: '192.0.2.7',
      trapOid: '1.3.6.1.6.3.1.1.5.3',
    });
    expect(decodeTrap({ ...pdu, generic: 0 }, '127.0.0.1', at).kind).toBe('coldStart');
    expect(decodeTrap({ ...pdu, generic: 6, specific: 42 }, '127.0.0.1', at)).toMatchObject({
      kind: 'other',
      trapOid: '1.3.6.1.4.1.8072.0.42',
    });
  });

  it('rejects PDUs that are not decodable traps', () => {
    expect(() => decodeTrap({ type: 167, varbinds: [] }, 'x', at)).toThrow(TrapDecodeError);
    expect(() => decodeTrap(v2(42), 'x', at)).toThrow(TrapDecodeError);
    expect(() => decodeTrap({ type: 162 }, 'x', at)).toThrow(TrapDecodeError);
    expect(() => decodeTrap({ type: 164, generic: 'x' }, 'x', at)).toThrow(TrapDecodeError);
    expect(() => decodeTrap({ type: 164, generic: 6 }, 'x', at)).toThrow(TrapDecodeError);
  });

  it('ignores a linkDown ifIndex of the wrong type', () => {
    const e = decodeTrap(
      v2('1.3.6.1.6.3.1.1.5.3', [{ oid: '1.3.6.1.2.1.2.2.1.1.7', type: ASN1.OctetString, value: Buffer.from('7') }]),
      'x',
      at,
    );
    expect(e.kind).toBe('linkDown');
    // falls back to the column instance, which is still 7
    expect(e.ifIndex).toBe(7);
  });
});
