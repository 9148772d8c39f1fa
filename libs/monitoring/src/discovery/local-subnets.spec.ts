import { LocalInterface, selectLocalSubnets } from './local-subnets';

/** Shaped like `systeminformation.networkInterfaces()` on a busy Linux host (extra fields trimmed). */
const FAKE_SI: LocalInterface[] = [
  { iface: 'lo', ip4: '127.0.0.1', ip4subnet: '255.0.0.0', internal: true, operstate: 'unknown' },
  { iface: 'eth0', ip4: '192.168.10.23', ip4subnet: '255.255.255.0', internal: false, operstate: 'up' },
  { iface: 'eth0.20', ip4: '10.20.4.9', ip4subnet: '255.255.252.0', internal: false, operstate: 'up' },
  { iface: 'docker0', ip4: '172.17.0.1', ip4subnet: '255.255.0.0', internal: false, operstate: 'down' },
  { iface: 'wg0', ip4: '10.99.0.2', ip4subnet: '255.255.255.255', internal: false, operstate: 'unknown' },
  { iface: 'corp', ip4: '10.1.2.3', ip4subnet: '255.0.0.0', internal: false, operstate: 'up' },
  { iface: 'eth1', ip4: '169.254.12.1', ip4subnet: '255.255.0.0', internal: false, operstate: 'up' },
  { iface: 'eth2', ip4: '', ip4subnet: '', internal: false, operstate: 'up' },
  { iface: 'br0', ip4: '192.168.10.1', ip4subnet: '255.255.255.0', internal: false, operstate: 'up' },
  { iface: 'odd', ip4: '192.0.2.1', ip4subnet: '255.0.255.0', internal: false, operstate: 'up' },
];

describe('selectLocalSubnets', () => {
  it('keeps up, external, non-link-local subnets of /16 or smaller, once each, in address order', () => {
    const { subnets } = selectLocalSubnets(FAKE_SI);
    expect(subnets.map((s) => s.cidr)).toEqual(['10.20.4.0/22', '192.168.10.0/24']);
  });

  it('says why every other interface was left out', () => {
    const { skipped } = selectLocalSubnets(FAKE_SI);
    expect(skipped).toEqual([
      'lo 127.0.0.1/8: loopback/internal',
      'docker0 172.17.0.1/16: interface down',
      'wg0 10.99.0.2/32: a /32 has no neighbours',
      'corp 10.1.2.3/8: larger than /16',
      'eth1 169.254.12.1/16: link-local',
      'odd 192.0.2.1: no usable IPv4 address/netmask',
    ]);
  });

  it('skips loopback addresses even when not flagged internal, and accepts a /16 exactly', () => {
    const { subnets } = selectLocalSubnets([
      { iface: 'lo2', ip4: '127.0.1.1', ip4subnet: '255.255.255.0', internal: false },
      { iface: 'lan', ip4: '172.16.200.1', ip4subnet: '255.255.0.0', internal: false },
    ]);
    expect(subnets.map((s) => s.cidr)).toEqual(['172.16.0.0/16']);
  });

  it('returns nothing for a host with only loopback', () => {
    expect(selectLocalSubnets([FAKE_SI[0]]).subnets).toEqual([]);
  });
});
