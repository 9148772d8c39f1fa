import { Ipv4Network, MAX_DISCOVERY_PREFIX, netmaskToPrefix, network, parseCidr, parseIpv4 } from './cidr';

/** The fields of a `systeminformation.networkInterfaces()` entry that discovery reads. */
export interface LocalInterface {
  iface: string;
  ip4: string;
  /** Dotted netmask, e.g. "255.255.255.0". */
  ip4subnet: string;
  internal: boolean;
  operstate?: string;
}

export interface LocalSubnetSelection {
  subnets: Ipv4Network[];
  /** Interfaces left out, with why ("eth1 10.0.0.5/8: larger than /16"). */
  skipped: string[];
}

const LOOPBACK = parseCidr('127.0.0.0/8');
const LINK_LOCAL = parseCidr('169.254.0.0/16');

const inside = (address: number, net: Ipv4Network): boolean =>
  address >= net.network && address < net.network + net.size;

/**
 * The IPv4 subnets discovery sweeps when no `cidr` is given: one per interface that is up, not
 * internal/loopback, not link-local (169.254/16), and no larger than a /16. A /32 has no neighbours
 * and is skipped. Duplicates (two interfaces on one subnet) are swept once. Pure.
 */
export function selectLocalSubnets(interfaces: readonly LocalInterface[]): LocalSubnetSelection {
  const subnets = new Map<string, Ipv4Network>();
  const skipped: string[] = [];
  for (const i of interfaces) {
    if (!i.ip4) continue; // IPv6-only or unconfigured: nothing to say
    const address = parseIpv4(i.ip4);
    const prefix = netmaskToPrefix(i.ip4subnet ?? '');
    const label = `${i.iface} ${i.ip4}${prefix === null ? '' : `/${prefix}`}`;
    if (address === null || prefix === null) skipped.push(`${label}: no usable IPv4 address/netmask`);
    else if (i.internal || inside(address, LOOPBACK)) skipped.push(`${label}: loopback/internal`);
    else if (inside(address, LINK_LOCAL)) skipped.push(`${label}: link-local`);
    else if (i.operstate === 'down') skipped.push(`${label}: interface down`);
    else if (prefix < MAX_DISCOVERY_PREFIX) skipped.push(`${label}: larger than /${MAX_DISCOVERY_PREFIX}`);
    else if (prefix === 32) skipped.push(`${label}: a /32 has no neighbours`);
    else {
      const net = network(address, prefix);
      subnets.set(net.cidr, net);
    }
  }
  return { subnets: [...subnets.values()].sort((a, b) => a.network - b.network), skipped };
}
