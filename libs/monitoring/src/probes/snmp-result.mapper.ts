import { HR_COLUMNS, HR_STORAGE_RAM, IF_COLUMNS, SYSTEM_OIDS } from './snmp-mib';
import { ASN1, RawVarbind, VarbindReader } from './snmp-varbinds';

/** Column OID → instance suffix → varbind, as gathered by a table walk. */
export type ColumnData = Map<string, Map<string, RawVarbind>>;

export interface SnmpSystemInfo {
  sysName: string | null;
  sysDescr: string | null;
  sysObjectID: string | null;
  /** sysUpTime in hundredths of a second (TimeTicks). */
  sysUpTimeTicks: number | null;
  /** Values that were missing from a well-formed response are null without an issue; wrong types are listed here. */
  issues: string[];
}

export interface SnmpInterface {
  ifIndex: number;
  ifDescr: string | null;
  ifName: string | null;
  ifAlias: string | null;
  ifType: number | null;
  adminStatus: number | null;
  operStatus: number | null;
  /** Bits per second: ifHighSpeed x 1e6 when present and non-zero, else ifSpeed. */
  speedBps: number | null;
  inOctets: bigint | null;
  outOctets: bigint | null;
  /** Counter width of inOctets/outOctets: 64 = ifHCIn/OutOctets, 32 = ifIn/OutOctets (wraps at 2^32). */
  inOctetsBits: 64 | 32 | null;
  outOctetsBits: 64 | 32 | null;
  inErrors: number | null;
  outErrors: number | null;
  inDiscards: number | null;
  outDiscards: number | null;
}

export interface SnmpHostResources {
  /** Mean hrProcessorLoad over all processors (0-100), null when the agent has none. */
  cpuLoadPct: number | null;
  cpuCount: number;
  /** Sum over hrStorageRam rows, null when the agent has none. */
  memory: { totalBytes: number; usedBytes: number; usedPct: number } | null;
  issues: string[];
}

export function mapSystemInfo(varbinds: ReadonlyMap<string, RawVarbind>, reader = new VarbindReader()): SnmpSystemInfo {
  return {
    sysName: reader.string(varbinds.get(SYSTEM_OIDS.sysName), 'sysName'),
    sysDescr: reader.string(varbinds.get(SYSTEM_OIDS.sysDescr), 'sysDescr'),
    sysObjectID: reader.oid(varbinds.get(SYSTEM_OIDS.sysObjectID), 'sysObjectID'),
    sysUpTimeTicks: reader.timeticks(varbinds.get(SYSTEM_OIDS.sysUpTime), 'sysUpTime'),
    issues: reader.issues,
  };
}

const NO_ROWS: ReadonlyMap<string, RawVarbind> = new Map();

/** Joins ifTable and ifXTable columns by ifIndex (rows sorted by ifIndex). */
export function mapInterfaces(columns: ColumnData, reader = new VarbindReader()): SnmpInterface[] {
  const col = (oid: string): ReadonlyMap<string, RawVarbind> => columns.get(oid) ?? NO_ROWS;
  const indexes = new Set<number>();
  for (const oid of Object.values(IF_COLUMNS)) {
    for (const suffix of col(oid).keys()) {
      const idx = Number(suffix);
      if (/^\d+$/.test(suffix) && idx >= 1 && idx <= 2147483647) indexes.add(idx);
      else reader.note(`interface index "${suffix.slice(0, 40)}" is not a single integer`);
    }
  }
  const get = (oid: string, idx: number): RawVarbind | undefined => col(oid).get(String(idx));
  const c = IF_COLUMNS;
  return [...indexes]
    .sort((a, b) => a - b)
    .map((ifIndex): SnmpInterface => {
      reader.row = ifIndex; // issues read "ifHCInOctets.3: ..."
      const hcIn = reader.counter64(get(c.ifHCInOctets, ifIndex), 'ifHCInOctets');
      const hcOut = reader.counter64(get(c.ifHCOutOctets, ifIndex), 'ifHCOutOctets');
      const in32 = hcIn === null ? reader.unsigned32(get(c.ifInOctets, ifIndex), 'ifInOctets') : null;
      const out32 = hcOut === null ? reader.unsigned32(get(c.ifOutOctets, ifIndex), 'ifOutOctets') : null;
      const ifSpeed = reader.unsigned32(get(c.ifSpeed, ifIndex), 'ifSpeed');
      const highSpeed = reader.unsigned32(get(c.ifHighSpeed, ifIndex), 'ifHighSpeed');
      const row: SnmpInterface = {
        ifIndex,
        ifDescr: reader.string(get(c.ifDescr, ifIndex), 'ifDescr'),
        ifName: reader.string(get(c.ifName, ifIndex), 'ifName'),
        ifAlias: reader.string(get(c.ifAlias, ifIndex), 'ifAlias'),
        ifType: reader.integer(get(c.ifType, ifIndex), 'ifType', 1, 2147483647),
        adminStatus: reader.integer(get(c.ifAdminStatus, ifIndex), 'ifAdminStatus', 1, 3),
        operStatus: reader.integer(get(c.ifOperStatus, ifIndex), 'ifOperStatus', 1, 7),
        speedBps: highSpeed !== null && highSpeed > 0 ? highSpeed * 1e6 : ifSpeed,
        inOctets: hcIn ?? (in32 === null ? null : BigInt(in32)),
        outOctets: hcOut ?? (out32 === null ? null : BigInt(out32)),
        inOctetsBits: hcIn !== null ? 64 : in32 !== null ? 32 : null,
        outOctetsBits: hcOut !== null ? 64 : out32 !== null ? 32 : null,
        inErrors: reader.unsigned32(get(c.ifInErrors, ifIndex), 'ifInErrors'),
        outErrors: reader.unsigned32(get(c.ifOutErrors, ifIndex), 'ifOutErrors'),
        inDiscards: reader.unsigned32(get(c.ifInDiscards, ifIndex), 'ifInDiscards'),
        outDiscards: reader.unsigned32(get(c.ifOutDiscards, ifIndex), 'ifOutDiscards'),
      };
      reader.row = null;
      return row;
    });
}

export function mapHostResources(columns: ColumnData, reader = new VarbindReader()): SnmpHostResources {
  const loads: number[] = [];
  for (const [suffix, vb] of columns.get(HR_COLUMNS.hrProcessorLoad) ?? new Map<string, RawVarbind>()) {
    const v = reader.integer(vb, `hrProcessorLoad.${suffix}`, 0, 100);
    if (v !== null) loads.push(v);
  }
  const types = columns.get(HR_COLUMNS.hrStorageType) ?? new Map<string, RawVarbind>();
  let total = 0;
  let used = 0;
  let ramRows = 0;
  for (const [suffix, typeVb] of types) {
    if (reader.oid(typeVb, `hrStorageType.${suffix}`) !== HR_STORAGE_RAM) continue;
    const units = reader.integer(
      columns.get(HR_COLUMNS.hrStorageAllocationUnits)?.get(suffix),
      `hrStorageAllocationUnits.${suffix}`,
      1,
    );
    const size = reader.integer(columns.get(HR_COLUMNS.hrStorageSize)?.get(suffix), `hrStorageSize.${suffix}`, 0);
    const usedUnits = reader.integer(columns.get(HR_COLUMNS.hrStorageUsed)?.get(suffix), `hrStorageUsed.${suffix}`, 0);
    if (units === null || size === null || usedUnits === null) continue;
    total += size * units;
    used += usedUnits * units;
    ramRows++;
  }
  const memory =
    ramRows > 0 && total > 0
      ? { totalBytes: total, usedBytes: used, usedPct: Math.round((used / total) * 10000) / 100 }
      : null;
  return {
    cpuLoadPct: loads.length > 0 ? Math.round((loads.reduce((a, b) => a + b, 0) / loads.length) * 100) / 100 : null,
    cpuCount: loads.length,
    memory,
    issues: reader.issues,
  };
}

/** Exposed for tests: builds a column map from a flat varbind list. */
export function columnsFromVarbinds(columnOids: readonly string[], varbinds: readonly RawVarbind[]): ColumnData {
  const out: ColumnData = new Map(columnOids.map((o) => [o, new Map<string, RawVarbind>()]));
  for (const vb of varbinds) {
    if (vb.type === ASN1.EndOfMibView) continue;
    for (const base of columnOids) {
      if (vb.oid.startsWith(base + '.')) out.get(base)?.set(vb.oid.slice(base.length + 1), vb);
    }
  }
  return out;
}
