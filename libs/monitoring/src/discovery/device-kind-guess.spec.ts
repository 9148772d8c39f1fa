import { DESCR_RULES, guessDeviceKind, VENDOR_RULES, vendorRuleFor } from './device-kind-guess';

describe('guessDeviceKind', () => {
  it.each([
    // [sysObjectID, sysDescr, kind, vendor]
    ['1.3.6.1.4.1.9.1.1208', 'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M)', 'switch', 'Cisco'],
    [
      '1.3.6.1.4.1.9.1.2068',
      'Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M)',
      'router',
      'Cisco',
    ],
    ['1.3.6.1.4.1.9.12.3.1.3.1008', 'Cisco NX-OS(tm) n9000, Software (n9000-dk9)', 'switch', 'Cisco'],
    ['1.3.6.1.4.1.9.1.2113', 'Cisco Adaptive Security Appliance Version 9.12(4)', 'firewall', 'Cisco'],
    ['1.3.6.1.4.1.9.1.1661', 'Cisco AP Software, ap1g2-k9w7-xx', 'access-point', 'Cisco'],
    [
      '1.3.6.1.4.1.2636.1.1.1.2.29',
      'Juniper Networks, Inc. mx240 internet router, kernel JUNOS 21.2R3',
      'router',
      'Juniper',
    ],
    [
      '1.3.6.1.4.1.2636.1.1.1.2.31',
      'Juniper Networks, Inc. ex4200-48t Ethernet Switch, kernel JUNOS',
      'switch',
      'Juniper',
    ],
    ['1.3.6.1.4.1.2636.1.1.1.2.40', 'Juniper Networks, Inc. srx240h internet router', 'firewall', 'Juniper'],
    ['1.3.6.1.4.1.14988.1', 'RouterOS RB4011iGS+', 'router', 'MikroTik'],
    ['1.3.6.1.4.1.14988.1', 'RouterOS CRS326-24G-2S+', 'switch', 'MikroTik'],
    ['1.3.6.1.4.1.41112.1.6', 'Linux 3.3.8 #1 UniFi AP', 'access-point', 'Ubiquiti'],
    ['1.3.6.1.4.1.41112.1.5', 'EdgeSwitch 24-Port Lite, 1.9.3', 'switch', 'Ubiquiti'],
    ['1.3.6.1.4.1.41112.1.5', 'EdgeOS v2.0.9 EdgeRouter', 'router', 'Ubiquiti'],
    ['1.3.6.1.4.1.12356.101.1.1000', 'FortiGate-100F v7.2.5', 'firewall', 'Fortinet'],
    ['1.3.6.1.4.1.12356.106.1.1', 'FortiSwitch-148E', 'switch', 'Fortinet'],
    ['1.3.6.1.4.1.25461.2.3.38', 'Palo Alto Networks PA-3200 series firewall', 'firewall', 'Palo Alto Networks'],
    ['1.3.6.1.4.1.14823.1.2.105', 'ArubaOS (MODEL: 515), Version 8.10', 'access-point', 'Aruba'],
    ['1.3.6.1.4.1.11.2.3.7.11.154', 'HP J9728A 2920-48G Switch', 'switch', 'HP ProCurve'],
    ['1.3.6.1.4.1.11.2.3.9.1', 'HP ETHERNET MULTI-ENVIRONMENT, JETDIRECT', 'other', 'HP'],
    ['1.3.6.1.4.1.47196.4.1.1.1.1', 'Aruba JL658A 6300M 24SFP+', 'switch', 'HPE'],
    ['1.3.6.1.4.1.8072.3.2.10', 'Linux nms01 6.1.0-18-amd64 #1 SMP Debian x86_64', 'server', 'net-snmp'],
    ['1.3.6.1.4.1.8072.3.2.10', 'Linux OpenWrt 5.15.137 #0 SMP', 'router', 'net-snmp'],
    [
      '.1.3.6.1.4.1.12325.1.1.2.1.1',
      'pfSense fw01.example.net 2.7.0-RELEASE FreeBSD 14.0',
      'firewall',
      'FreeBSD bsnmpd',
    ],
    ['1.3.6.1.4.1.311.1.1.3.1.2', 'Hardware: Intel64 Family 6 - Software: Windows Version 6.3', 'server', 'Microsoft'],
    [
      '1.3.6.1.4.1.30065.1.3011.7050.3741.32',
      'Arista Networks EOS version 4.28 running on DCS-7050SX3',
      'switch',
      'Arista',
    ],
  ])('%s %j → %s', (sysObjectId, sysDescr, kind, vendor) => {
    expect(guessDeviceKind({ sysObjectId, sysDescr })).toEqual({ kind, vendor });
  });

  it.each([
    ['Vigor130 VDSL2 modem', 'wan-link'],
    ['Acme managed switch 24 port', 'switch'],
    ['SomeVendor edge router', 'router'],
    ['OPNsense.localdomain 23.7 FreeBSD 13.2', 'firewall'],
    ['Linux host 5.10', 'server'],
    ['Acme wireless access point', 'access-point'],
    ['Smart PDU v3', 'other'],
    ['', 'other'],
  ])('without a known sysObjectID, %j → %s', (sysDescr, kind) => {
    expect(guessDeviceKind({ sysObjectId: '1.3.6.1.4.1.99999.1', sysDescr })).toEqual({ kind });
    expect(guessDeviceKind({ sysDescr })).toEqual({ kind });
  });

  it('is "other" with nothing to go on', () => {
    expect(guessDeviceKind({})).toEqual({ kind: 'other' });
    expect(guessDeviceKind({ sysObjectId: null, sysDescr: null })).toEqual({ kind: 'other' });
  });

  it('matches enterprise prefixes on a dot boundary only', () => {
    expect(vendorRuleFor('1.3.6.1.4.1.9')?.vendor).toBe('Cisco');
    expect(vendorRuleFor('1.3.6.1.4.1.99.1')).toBeUndefined(); // not Cisco (9)
    expect(vendorRuleFor('1.3.6.1.4.1.1100.1')).toBeUndefined(); // not HP (11)
    expect(vendorRuleFor('1.3.6.1.4.1.11.2.3.7.11.1')?.vendor).toBe('HP ProCurve'); // longest prefix wins
  });

  it('has a well-formed table: unique numeric prefixes and known kinds', () => {
    const kinds = ['router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other'];
    const prefixes = VENDOR_RULES.map((r) => r.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const r of VENDOR_RULES) {
      expect(r.prefix).toMatch(/^1\.3\.6\.1\.4\.1(\.\d+)+$/);
      expect(kinds).toContain(r.kind);
      for (const o of r.overrides ?? []) expect(kinds).toContain(o.kind);
    }
    for (const r of DESCR_RULES) expect(kinds).toContain(r.kind);
  });
});
