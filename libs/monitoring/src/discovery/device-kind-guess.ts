/**
 * Guesses a device kind from what SNMP's system group says about it. Pure and table-driven.
 *
 * 1. The sysObjectID is matched against VENDOR_RULES by the longest OID prefix (on a dot boundary),
 *    e.g. 1.3.6.1.4.1.9.1.1208 matches Cisco (1.3.6.1.4.1.9).
 * 2. A matching vendor rule first tries its own sysDescr keywords (vendors that make several kinds),
 *    then falls back to its default kind.
 * 3. Without a vendor match (or without a sysObjectID), the generic sysDescr keywords of DESCR_RULES
 *    decide, first match wins; nothing matching gives 'other'.
 *
 * | enterprise (1.3.6.1.4.1.N)          | default        | sysDescr overrides                                         |
 * | ----------------------------------- | -------------- | ---------------------------------------------------------- |
 * | 9 Cisco                             | router         | ASA/Firepower → firewall; Aironet/AP → access-point;       |
 * |                                     |                | Catalyst/Nexus/NX-OS/C2960… → switch                       |
 * | 2636 Juniper                        | router         | SRX → firewall; EX/QFX → switch                            |
 * | 3224 Juniper NetScreen              | firewall       |                                                            |
 * | 14988 MikroTik                      | router         | CRS/CSS/SwOS → switch; cAP/wAP → access-point              |
 * | 41112 Ubiquiti                      | access-point   | EdgeSwitch/USW → switch; EdgeRouter/USG/UDM → router       |
 * | 12356 Fortinet                      | firewall       | FortiSwitch → switch; FortiAP → access-point               |
 * | 25461 Palo Alto Networks            | firewall       |                                                            |
 * | 2620 Check Point, 8741 SonicWall    | firewall       |                                                            |
 * | 14823 Aruba                         | access-point   | switch/ArubaOS-CX/ArubaOS-Switch → switch                  |
 * | 11 HP                               | other          | ProCurve/switch → switch; (11.2.3.7.11 ProCurve → switch)  |
 * | 47196 HPE (Aruba CX)                | switch         |                                                            |
 * | 29671 Cisco Meraki                  | other          | MR → access-point; MS → switch; MX/Z3 → firewall           |
 * | 2011 Huawei                         | router         | S57xx/CloudEngine/switch → switch; USG → firewall          |
 * | 30065 Arista, 1916 Extreme,         | switch         |                                                            |
 * | 6486 Alcatel-Lucent, 1588 Brocade,  |                |                                                            |
 * | 4526 Netgear, 171 D-Link,           |                |                                                            |
 * | 11863 TP-Link                       |                |                                                            |
 * | 311 Microsoft, 6876 VMware          | server         |                                                            |
 * | 8072 net-snmp (Linux/BSD agents)    | server         | OpenWrt/DD-WRT/VyOS/EdgeOS → router; pfSense/OPNsense →    |
 * |                                     |                | firewall                                                   |
 * | 12325 FreeBSD bsnmpd (pfSense)      | server         | pfSense/OPNsense → firewall                                |
 *
 * Generic sysDescr keywords (no vendor match), in order: firewall words (firewall, pfSense, OPNsense,
 * FortiGate, PAN-OS, ASA, SonicWall) → firewall; wireless words (access point, Aironet, UniFi AP, WLAN)
 * → access-point; WAN words (DSL, modem, DOCSIS, LTE, SD-WAN) → wan-link; switch words (switch,
 * Catalyst, ProCurve, Nexus) → switch; router words (router, RouterOS, JunOS, IOS XR, OpenWrt, VyOS,
 * EdgeOS) → router; OS words (Linux, Windows, FreeBSD, SunOS, ESXi, Darwin) → server.
 */
import type { DeviceKind } from '@netdesk/inventory';

export type GuessedKind = DeviceKind;

export interface KeywordRule {
  pattern: RegExp;
  kind: GuessedKind;
}

export interface VendorRule {
  /** sysObjectID prefix, numeric, without a leading dot. */
  prefix: string;
  vendor: string;
  kind: GuessedKind;
  /** sysDescr keywords checked before `kind`, first match wins. */
  overrides?: KeywordRule[];
}

const ENT = '1.3.6.1.4.1';

const LINUX_APPLIANCES: KeywordRule[] = [
  { pattern: /pfsense|opnsense/i, kind: 'firewall' },
  { pattern: /openwrt|dd-wrt|vyos|edgeos|routeros/i, kind: 'router' },
];

export const VENDOR_RULES: readonly VendorRule[] = [
  {
    prefix: `${ENT}.9`,
    vendor: 'Cisco',
    kind: 'router',
    overrides: [
      { pattern: /\bASA\b|adaptive security|firepower|\bFTD\b/i, kind: 'firewall' },
      { pattern: /aironet|\bAP\d|access point|\bC9[18]\d\dAX?I?\b|wireless lan/i, kind: 'access-point' },
      { pattern: /catalyst|nexus|NX-OS|\bC(2[89]|3[5-8]|4[59]|9[2-6])\d\d|\bCBS\d|switch/i, kind: 'switch' },
    ],
  },
  {
    prefix: `${ENT}.2636`,
    vendor: 'Juniper',
    kind: 'router',
    overrides: [
      { pattern: /\bSRX\d/i, kind: 'firewall' },
      { pattern: /\b(EX|QFX)\d/i, kind: 'switch' },
    ],
  },
  { prefix: `${ENT}.3224`, vendor: 'Juniper NetScreen', kind: 'firewall' },
  {
    prefix: `${ENT}.14988`,
    vendor: 'MikroTik',
    kind: 'router',
    overrides: [
      { pattern: /\bCRS\d|\bCSS\d|SwOS/i, kind: 'switch' },
      { pattern: /\b[cw]AP\b/, kind: 'access-point' },
    ],
  },
  {
    prefix: `${ENT}.41112`,
    vendor: 'Ubiquiti',
    kind: 'access-point',
    overrides: [
      { pattern: /edge ?switch|\bUSW\b|unifi switch|\bUS-\d/i, kind: 'switch' },
      { pattern: /edge ?router|\bUSG\b|\bUDM\b|\bUXG\b|edgeos/i, kind: 'router' },
    ],
  },
  {
    prefix: `${ENT}.12356`,
    vendor: 'Fortinet',
    kind: 'firewall',
    overrides: [
      { pattern: /fortiswitch/i, kind: 'switch' },
      { pattern: /fortiap/i, kind: 'access-point' },
    ],
  },
  { prefix: `${ENT}.25461`, vendor: 'Palo Alto Networks', kind: 'firewall' },
  { prefix: `${ENT}.2620`, vendor: 'Check Point', kind: 'firewall' },
  { prefix: `${ENT}.8741`, vendor: 'SonicWall', kind: 'firewall' },
  {
    prefix: `${ENT}.14823`,
    vendor: 'Aruba',
    kind: 'access-point',
    overrides: [{ pattern: /switch|ArubaOS-CX|ArubaOS-Switch/i, kind: 'switch' }],
  },
  {
    prefix: `${ENT}.11`,
    vendor: 'HP',
    kind: 'other',
    overrides: [{ pattern: /procurve|switch/i, kind: 'switch' }],
  },
  { prefix: `${ENT}.11.2.3.7.11`, vendor: 'HP ProCurve', kind: 'switch' },
  { prefix: `${ENT}.47196`, vendor: 'HPE', kind: 'switch' },
  {
    prefix: `${ENT}.29671`,
    vendor: 'Cisco Meraki',
    kind: 'other',
    overrides: [
      { pattern: /\bMR\d/, kind: 'access-point' },
      { pattern: /\bMS\d/, kind: 'switch' },
      { pattern: /\bMX\d|\bZ\d/, kind: 'firewall' },
    ],
  },
  {
    prefix: `${ENT}.2011`,
    vendor: 'Huawei',
    kind: 'router',
    overrides: [
      { pattern: /\bUSG\d|firewall/i, kind: 'firewall' },
      { pattern: /\bS\d{4}|cloudengine|switch/i, kind: 'switch' },
    ],
  },
  { prefix: `${ENT}.30065`, vendor: 'Arista', kind: 'switch' },
  { prefix: `${ENT}.1916`, vendor: 'Extreme Networks', kind: 'switch' },
  { prefix: `${ENT}.6486`, vendor: 'Alcatel-Lucent', kind: 'switch' },
  { prefix: `${ENT}.1588`, vendor: 'Brocade', kind: 'switch' },
  { prefix: `${ENT}.4526`, vendor: 'Netgear', kind: 'switch' },
  { prefix: `${ENT}.171`, vendor: 'D-Link', kind: 'switch' },
  { prefix: `${ENT}.11863`, vendor: 'TP-Link', kind: 'switch' },
  { prefix: `${ENT}.311`, vendor: 'Microsoft', kind: 'server' },
  { prefix: `${ENT}.6876`, vendor: 'VMware', kind: 'server' },
  { prefix: `${ENT}.8072`, vendor: 'net-snmp', kind: 'server', overrides: LINUX_APPLIANCES },
  { prefix: `${ENT}.12325`, vendor: 'FreeBSD bsnmpd', kind: 'server', overrides: LINUX_APPLIANCES },
];

export const DESCR_RULES: readonly KeywordRule[] = [
  { pattern: /firewall|pfsense|opnsense|fortigate|PAN-OS|\bASA\b|sonicwall/i, kind: 'firewall' },
  { pattern: /access point|aironet|unifi ap|\bWLAN\b|wireless/i, kind: 'access-point' },
  { pattern: /\b[AV]?DSL2?\+?\b|modem|DOCSIS|\bLTE\b|\bSD-WAN\b/i, kind: 'wan-link' },
  { pattern: /switch|catalyst|procurve|nexus/i, kind: 'switch' },
  { pattern: /router|routeros|junos|IOS XR|openwrt|vyos|edgeos/i, kind: 'router' },
  { pattern: /linux|windows|freebsd|openbsd|netbsd|sunos|solaris|esxi|darwin/i, kind: 'server' },
];

export interface KindGuess {
  kind: GuessedKind;
  /** Vendor of the matching sysObjectID rule, if any. */
  vendor?: string;
}

/** Longest-prefix vendor rule for a sysObjectID (leading dot and whitespace tolerated). */
export function vendorRuleFor(sysObjectId: string | null | undefined): VendorRule | undefined {
  const oid = (sysObjectId ?? '').trim().replace(/^\./, '');
  if (!oid) return undefined;
  let best: VendorRule | undefined;
  for (const rule of VENDOR_RULES) {
    if ((oid === rule.prefix || oid.startsWith(`${rule.prefix}.`)) && rule.prefix.length > (best?.prefix.length ?? 0))
      best = rule;
  }
  return best;
}

function firstKeyword(rules: readonly KeywordRule[], descr: string): GuessedKind | undefined {
  return rules.find((r) => r.pattern.test(descr))?.kind;
}

export function guessDeviceKind(sys: { sysObjectId?: string | null; sysDescr?: string | null }): KindGuess {
  const descr = sys.sysDescr ?? '';
  const rule = vendorRuleFor(sys.sysObjectId);
  if (rule) return { kind: firstKeyword(rule.overrides ?? [], descr) ?? rule.kind, vendor: rule.vendor };
  return { kind: firstKeyword(DESCR_RULES, descr) ?? 'other' };
}
