import { ASN1, oidSuffix, RawVarbind } from './snmp-varbinds';

export type TrapKind = 'linkDown' | 'linkUp' | 'coldStart' | 'warmStart' | 'other';

export interface TrapEvent {
  /** Address the datagram came from. */
  source: string;
  kind: TrapKind;
  ifIndex?: number;
  receivedAt: Date;
  version: '1' | '2c';
  /** SNMPv2 trap OID (v1 traps are translated per RFC 3584), for 'other' traps in particular. */
  trapOid: string;
  /** v1 agent-addr field when it differs from `source` (trap relayed or NATed). */
  agentAddress?: string;
}

export const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';
const KIND_BY_TRAP_OID: Record<string, TrapKind> = {
  [`${SNMP_TRAPS}.1`]: 'coldStart',
  [`${SNMP_TRAPS}.2`]: 'warmStart',
  [`${SNMP_TRAPS}.3`]: 'linkDown',
  [`${SNMP_TRAPS}.4`]: 'linkUp',
};
const IF_ENTRY = '1.3.6.1.2.1.2.2.1';
const IF_INDEX = `${IF_ENTRY}.1`;

const PDU_TRAP_V1 = 164;
const PDU_INFORM = 166;
const PDU_TRAP_V2 = 167;

/** The `pdu` net-snmp's receiver hands over (fields are checked, not trusted). */
export interface RawTrapPdu {
  type?: unknown;
  enterprise?: unknown;
  agentAddr?: unknown;
  generic?: unknown;
  specific?: unknown;
  varbinds?: unknown;
}

export class TrapDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrapDecodeError';
  }
}

/**
 * Decodes a v1 Trap-PDU or a v2c SNMPv2-Trap/Inform PDU into a {@link TrapEvent}. linkDown/linkUp
 * carry ifIndex from the ifIndex varbind (or any ifEntry column instance). Throws
 * {@link TrapDecodeError} for PDUs that are not traps or lack the mandatory fields.
 */
export function decodeTrap(pdu: RawTrapPdu, source: string, receivedAt: Date): TrapEvent {
  const varbinds = Array.isArray(pdu.varbinds) ? (pdu.varbinds as RawVarbind[]).filter(isVarbindLike) : [];
  let trapOid: string;
  let version: '1' | '2c';
  let agentAddress: string | undefined;
  if (pdu.type === PDU_TRAP_V1) {
    version = '1';
    const generic = pdu.generic;
    if (typeof generic !== 'number' || !Number.isInteger(generic) || generic < 0 || generic > 6) {
      throw new TrapDecodeError('v1 trap with invalid generic-trap');
    }
    if (generic === 6) {
      const enterprise =
        typeof pdu.enterprise === 'string' && /^\d+(\.\d+)*$/.test(pdu.enterprise) ? pdu.enterprise : null;
      const specific = typeof pdu.specific === 'number' && Number.isInteger(pdu.specific) ? pdu.specific : null;
      if (enterprise === null || specific === null)
        throw new TrapDecodeError('v1 enterprise trap without enterprise/specific-trap');
      trapOid = `${enterprise}.0.${specific}`; // RFC 3584 section 3.1
    } else {
      trapOid = `${SNMP_TRAPS}.${generic + 1}`;
    }
    if (typeof pdu.agentAddr === 'string' && pdu.agentAddr !== source && pdu.agentAddr !== '0.0.0.0')
      agentAddress = pdu.agentAddr;
  } else if (pdu.type === PDU_TRAP_V2 || pdu.type === PDU_INFORM) {
    version = '2c';
    const oidVb = varbinds.find((vb) => vb.oid === SNMP_TRAP_OID);
    if (!oidVb || oidVb.type !== ASN1.OID || typeof oidVb.value !== 'string' || !/^\d+(\.\d+)*$/.test(oidVb.value)) {
      throw new TrapDecodeError('v2c trap without a valid snmpTrapOID.0');
    }
    trapOid = oidVb.value;
  } else {
    throw new TrapDecodeError(`not a trap PDU (type ${String(pdu.type)})`);
  }
  const kind = KIND_BY_TRAP_OID[trapOid] ?? 'other';
  const event: TrapEvent = { source, kind, receivedAt, version, trapOid };
  if (agentAddress) event.agentAddress = agentAddress;
  if (kind === 'linkDown' || kind === 'linkUp') {
    const ifIndex = findIfIndex(varbinds);
    if (ifIndex !== undefined) event.ifIndex = ifIndex;
  }
  return event;
}

function isVarbindLike(vb: unknown): vb is RawVarbind {
  return !!vb && typeof vb === 'object' && typeof (vb as RawVarbind).oid === 'string';
}

function findIfIndex(varbinds: RawVarbind[]): number | undefined {
  const valid = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 2147483647;
  // Preferred: ifIndex.N = N (RFC 2863 linkDown/linkUp objects).
  for (const vb of varbinds) {
    if (oidSuffix(IF_INDEX, vb.oid) !== null && vb.type === ASN1.Integer && valid(vb.value)) return vb.value;
  }
  // Otherwise the instance of any ifEntry column (ifAdminStatus.N, ifOperStatus.N).
  for (const vb of varbinds) {
    const suffix = oidSuffix(IF_ENTRY, vb.oid);
    const m = suffix ? /^\d+\.(\d+)$/.exec(suffix) : null;
    if (m && valid(Number(m[1]))) return Number(m[1]);
  }
  return undefined;
}
