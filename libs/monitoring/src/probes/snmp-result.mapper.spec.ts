import { HR_COLUMNS, HR_STORAGE_RAM, IF_COLUMNS, SYSTEM_OIDS } from './snmp-mib';
import { columnsFromVarbinds, mapHostResources, mapInterfaces, mapSystemInfo } from './snmp-result.mapper';
import { ASN1, bufferToUint64, compareOids, RawVarbind, VarbindReader } from './snmp-varbinds';

const vb = (oid: string, type: number, value: unknown): RawVarbind => ({ oid, type, value });
const c64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

describe('mapSystemInfo', () => {
  it('reads the system group', () => {
    const m = new Map([
      [SYSTEM_OIDS.sysName, vb(SYSTEM_OIDS.sysName, ASN1.OctetString, Buffer.from('core-sw1'))],
      [SYSTEM_OIDS.sysDescr, vb(SYSTEM_OIDS.sysDescr, ASN1.OctetString, Buffer.from('Linux 6.1\0\0'))],
      [SYSTEM_OIDS.sysObjectID, vb(SYSTEM_OIDS.sysObjectID, ASN1.OID, '1.3.6.1.4.1.8072.3.2.10')],
      [SYSTEM_OIDS.sysUpTime, vb(SYSTEM_OIDS.sysUpTime, ASN1.TimeTicks, 123456)],
    ]);
    expect(mapSystemInfo(m)).toEqual({
      sysName: 'core-sw1',
      sysDescr: 'Linux 6.1',
      sysObjectID: '1.3.6.1.4.1.8072.3.2.10',
      sysUpTimeTicks: 123456,
      issues: [],
    });
  });

  it('turns wrong types and exceptions into nulls with issues instead of crashing', () => {
    const m = new Map([
      [SYSTEM_OIDS.sysName, vb(SYSTEM_OIDS.sysName, ASN1.Integer, 5)],
      [SYSTEM_OIDS.sysDescr, vb(SYSTEM_OIDS.sysDescr, ASN1.NoSuchObject, null)],
      [SYSTEM_OIDS.sysObjectID, vb(SYSTEM_OIDS.sysObjectID, ASN1.OID, 'not an oid')],
      [SYSTEM_OIDS.sysUpTime, vb(SYSTEM_OIDS.sysUpTime, ASN1.OctetString, Buffer.from('12'))],
    ]);
    const r = mapSystemInfo(m);
    expect(r).toMatchObject({ sysName: null, sysDescr: null, sysObjectID: null, sysUpTimeTicks: null });
    expect(r.issues).toEqual([
      'sysName: expected OctetString, got Integer',
      'sysObjectID: invalid OID value',
      'sysUpTime: expected TimeTicks, got OctetString',
    ]);
  });
});

describe('mapInterfaces', () => {
  const cols = Object.values(IF_COLUMNS);
  const c = IF_COLUMNS;

  it('joins ifTable and ifXTable, prefers 64-bit counters and ifHighSpeed', () => {
    const data = columnsFromVarbinds(cols, [
      vb(`${c.ifDescr}.1`, ASN1.OctetString, Buffer.from('eth0')),
      vb(`${c.ifType}.1`, ASN1.Integer, 6),
      vb(`${c.ifSpeed}.1`, ASN1.Gauge32, 4294967295),
      vb(`${c.ifAdminStatus}.1`, ASN1.Integer, 1),
      vb(`${c.ifOperStatus}.1`, ASN1.Integer, 2),
      vb(`${c.ifInOctets}.1`, ASN1.Counter32, 5),
      vb(`${c.ifOutOctets}.1`, ASN1.Counter32, 6),
      vb(`${c.ifInErrors}.1`, ASN1.Counter32, 7),
      vb(`${c.ifOutErrors}.1`, ASN1.Counter32, 8),
      vb(`${c.ifInDiscards}.1`, ASN1.Counter32, 9),
      vb(`${c.ifOutDiscards}.1`, ASN1.Counter32, 10),
      vb(`${c.ifName}.1`, ASN1.OctetString, Buffer.from('Eth0')),
      vb(`${c.ifAlias}.1`, ASN1.OctetString, Buffer.from('uplink')),
      vb(`${c.ifHCInOctets}.1`, ASN1.Counter64, c64(18446744073709551610n)),
      vb(`${c.ifHCOutOctets}.1`, ASN1.Counter64, Buffer.from([0x00, 0xff, 0, 0, 0, 0, 0, 0, 1])),
      vb(`${c.ifHighSpeed}.1`, ASN1.Gauge32, 100000),
    ]);
    expect(mapInterfaces(data)).toEqual([
      {
        ifIndex: 1,
        ifDescr: 'eth0',
        ifName: 'Eth0',
        ifAlias: 'uplink',
        ifType: 6,
        adminStatus: 1,
        operStatus: 2,
        speedBps: 100e9,
        inOctets: 18446744073709551610n,
        outOctets: 0xff00000000000001n,
        inOctetsBits: 64,
        outOctetsBits: 64,
        inErrors: 7,
        outErrors: 8,
        inDiscards: 9,
        outDiscards: 10,
      },
    ]);
  });

  it('falls back to 32-bit counters and ifSpeed and says so', () => {
    const data = columnsFromVarbinds(cols, [
      vb(`${c.ifDescr}.3`, ASN1.OctetString, Buffer.from('lo')),
      vb(`${c.ifSpeed}.3`, ASN1.Gauge32, 10_000_000),
      vb(`${c.ifInOctets}.3`, ASN1.Counter32, 4294967295),
      vb(`${c.ifOutOctets}.3`, ASN1.Counter32, 1),
      vb(`${c.ifHighSpeed}.3`, ASN1.Gauge32, 0),
    ]);
    const [i] = mapInterfaces(data);
    expect(i).toMatchObject({
      ifIndex: 3,
      speedBps: 10_000_000,
      inOctets: 4294967295n,
      outOctets: 1n,
      inOctetsBits: 32,
      outOctetsBits: 32,
      ifName: null,
    });
  });

  it('survives wrong types, oversize counters and non-integer indexes', () => {
    const data = columnsFromVarbinds(cols, [
      vb(`${c.ifDescr}.2`, ASN1.Integer, 1),
      vb(`${c.ifOperStatus}.2`, ASN1.Integer, 99),
      vb(`${c.ifHCInOctets}.2`, ASN1.Counter64, Buffer.alloc(10, 0xff)),
      vb(`${c.ifHCOutOctets}.2`, ASN1.OctetString, Buffer.from('x')),
      vb(`${c.ifOutOctets}.2`, ASN1.Counter32, 12),
      vb(`${c.ifDescr}.1.5`, ASN1.OctetString, Buffer.from('weird')),
    ]);
    const reader = new VarbindReader();
    const list = mapInterfaces(data, reader);
    expect(list).toHaveLength(1);
    expect(reader.issues).toEqual(
      expect.arrayContaining([
        'interface index "1.5" is not a single integer',
        'ifDescr.2: expected OctetString, got Integer',
        'ifOperStatus.2: value out of range',
        'ifHCInOctets.2: value out of range',
        'ifHCOutOctets.2: expected Counter64, got OctetString',
      ]),
    );
    expect(list[0]).toMatchObject({
      ifIndex: 2,
      ifDescr: null,
      operStatus: null,
      inOctets: null,
      outOctets: 12n,
      outOctetsBits: 32,
      inOctetsBits: null,
    });
  });
});

describe('mapHostResources', () => {
  it('averages processor load and sums RAM storage rows', () => {
    const h = HR_COLUMNS;
    const data = columnsFromVarbinds(Object.values(HR_COLUMNS), [
      vb(`${h.hrProcessorLoad}.196608`, ASN1.Integer, 10),
      vb(`${h.hrProcessorLoad}.196609`, ASN1.Integer, 31),
      vb(`${h.hrStorageType}.1`, ASN1.OID, HR_STORAGE_RAM),
      vb(`${h.hrStorageAllocationUnits}.1`, ASN1.Integer, 1024),
      vb(`${h.hrStorageSize}.1`, ASN1.Integer, 4000),
      vb(`${h.hrStorageUsed}.1`, ASN1.Integer, 1000),
      vb(`${h.hrStorageType}.31`, ASN1.OID, '1.3.6.1.2.1.25.2.1.4'),
      vb(`${h.hrStorageAllocationUnits}.31`, ASN1.Integer, 4096),
      vb(`${h.hrStorageSize}.31`, ASN1.Integer, 999999),
      vb(`${h.hrStorageUsed}.31`, ASN1.Integer, 5),
    ]);
    expect(mapHostResources(data)).toEqual({
      cpuLoadPct: 20.5,
      cpuCount: 2,
      memory: { totalBytes: 4096000, usedBytes: 1024000, usedPct: 25 },
      issues: [],
    });
  });

  it('returns nulls when the agent has no host resources', () => {
    expect(mapHostResources(new Map())).toEqual({ cpuLoadPct: null, cpuCount: 0, memory: null, issues: [] });
  });
});

describe('varbind helpers', () => {
  it('decodes BER Counter64 content bytes', () => {
    expect(bufferToUint64(Buffer.from([0]))).toBe(0n);
    expect(bufferToUint64(Buffer.from([0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(2n ** 64n - 1n);
    expect(bufferToUint64(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
  });

  it('orders OIDs numerically, not lexically', () => {
    expect(compareOids('1.3.6.1.2.1.2.2.1.2.10', '1.3.6.1.2.1.2.2.1.2.9')).toBeGreaterThan(0);
    expect(compareOids('1.3.6.1', '1.3.6.1.0')).toBeLessThan(0);
    expect(compareOids('1.3.6', '1.3.6')).toBe(0);
    expect(compareOids('1.3.6.1.0', '1.3.6.1')).toBeGreaterThan(0);
    expect(compareOids('1.3.6.1.4294967295', '1.3.6.1.4294967294')).toBeGreaterThan(0);
    expect(compareOids('1.3.10', '1.3.9.99')).toBeGreaterThan(0);
    expect(compareOids('1.3.9.99', '1.3.10')).toBeLessThan(0);
    expect(compareOids('2', '10')).toBeLessThan(0);
  });

  it('orders OIDs as the split-and-compare definition does', () => {
    const reference = (a: string, b: string) => {
      const pa = a.split('.').map(Number);
      const pb = b.split('.').map(Number);
      for (let i = 0; i < Math.min(pa.length, pb.length); i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
      return pa.length - pb.length;
    };
    const oids = [
      '1',
      '1.3',
      '1.3.6.1',
      '1.3.6.1.2.1.2.2.1.2.9',
      '1.3.6.1.2.1.2.2.1.2.10',
      '1.3.6.1.2.1.31.1.1.1.18.7',
      '1.10.0',
      '0.0',
    ];
    for (const a of oids) for (const b of oids) expect(Math.sign(compareOids(a, b))).toBe(Math.sign(reference(a, b)));
  });
});
