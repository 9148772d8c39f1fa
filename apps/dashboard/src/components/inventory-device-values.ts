/** The device form's values and the API body they become (SNMP secrets write-only: kept, replaced or removed). */
import { toNumber } from './forms';
import type { InventoryDevice } from './inventory-common';
import type { SnmpValues } from './inventory-snmp';

/** The form's values: API property paths as keys, so the API's messages find their fields. */
export interface DeviceValues extends SnmpValues {
  name: string;
  host: string;
  siteId: string;
  kind: string;
  criticality: string;
  parentId: string;
  pollIntervalSec: string;
  tags: string[];
  team: string;
  escalationPolicyId: string;
  'snmp.port': string;
}

export const EMPTY: DeviceValues = {
  name: '',
  host: '',
  siteId: '',
  kind: 'other',
  criticality: 'normal',
  parentId: '',
  pollIntervalSec: '30',
  tags: [],
  team: '',
  escalationPolicyId: '',
  'snmp.version': '',
  'snmp.community': '',
  'snmp.port': '161',
  'snmp.username': '',
  'snmp.authProtocol': '',
  'snmp.authKey': '',
  'snmp.privProtocol': '',
  'snmp.privKey': '',
};

export const fromDevice = (d: InventoryDevice): DeviceValues => ({
  ...EMPTY,
  name: d.name,
  host: d.host,
  siteId: d.siteId ?? '',
  kind: d.kind,
  criticality: d.criticality,
  parentId: d.parentId ?? '',
  pollIntervalSec: String(d.pollIntervalSec),
  tags: [...d.tags],
  team: d.team ?? '',
  escalationPolicyId: d.escalationPolicyId ?? '',
  'snmp.port': String(d.snmp?.port ?? 161),
});

/** What SNMP does on save: keep the stored credentials, send new ones, or remove them. */
export type SnmpMode = 'keep' | 'set' | 'remove';

/** A number field's text: the number when it is one, else the text itself (so the API names the field). */
const numberOrText = (s: string): number | string | undefined => {
  const n = toNumber(s);
  return n === undefined ? undefined : Number.isNaN(n) ? s : n;
};

function snmpBody(v: DeviceValues): Record<string, unknown> | null {
  if (!v['snmp.version']) return null;
  const port = numberOrText(v['snmp.port']);
  const opt = (k: keyof DeviceValues) => ((v[k] as string) ? v[k] : undefined);
  return v['snmp.version'] === '3'
    ? {
        version: '3',
        username: v['snmp.username'],
        authProtocol: opt('snmp.authProtocol'),
        authKey: opt('snmp.authKey'),
        privProtocol: opt('snmp.privProtocol'),
        privKey: opt('snmp.privKey'),
        port,
      }
    : { version: v['snmp.version'], community: v['snmp.community'], port };
}

export function deviceBody(v: DeviceValues, snmp: SnmpMode, creating: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: v.name,
    host: v.host.trim(),
    siteId: v.siteId || null,
    kind: v.kind,
    criticality: v.criticality,
    parentId: v.parentId || null,
    pollIntervalSec: numberOrText(v.pollIntervalSec),
    tags: v.tags,
    team: v.team.trim() || null,
    escalationPolicyId: v.escalationPolicyId || null,
  };
  if (snmp === 'set') body.snmp = snmpBody(v);
  else if (snmp === 'remove' && !creating) body.snmp = null;
  if (creating) for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
  return body;
}
