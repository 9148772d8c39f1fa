/**
 * IPv4 CIDR arithmetic for discovery. Pure; addresses are handled as unsigned 32-bit integers.
 */

/** The largest range one discovery may sweep: a /16 (65,536 addresses). */
export const MAX_DISCOVERY_PREFIX = 16;
export const MAX_DISCOVERY_ADDRESSES = 2 ** (32 - MAX_DISCOVERY_PREFIX);

export interface Ipv4Network {
  /** Normalised `network/prefix`, host bits cleared: "10.1.2.3/24" becomes "10.1.2.0/24". */
  cidr: string;
  network: number;
  prefix: number;
  /** Addresses in the range, network and broadcast included. */
  size: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export class CidrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CidrError';
  }
}

/** Parses a dotted-quad IPv4 address (no leading zeros, which some parsers read as octal); null if malformed. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses "a.b.c.d/len". Throws {@link CidrError} naming the problem; does not check the size limit. */
export function parseCidr(text: string): Ipv4Network {
  const match = /^([0-9.]{7,15})\/(\d{1,2})$/.exec(text.trim());
  if (!match) throw new CidrError(`"${text.slice(0, 64)}" is not an IPv4 network in CIDR notation (e.g. 192.0.2.0/24)`);
  const address = parseIpv4(match[1]);
  if (address === null) throw new CidrError(`"${match[1]}" is not an IPv4 address`);
  const prefix = Number(match[2]);
  if (prefix > 32 || String(prefix) !== match[2]) throw new CidrError(`/${match[2]} is not a prefix length (0-32)`);
  return network(address, prefix);
}

export function network(address: number, prefix: number): Ipv4Network {
  const size = 2 ** (32 - prefix);
  const base = Math.floor(address / size) * size;
  return { cidr: `${formatIpv4(base)}/${prefix}`, network: base, prefix, size };
}

/** Throws {@link CidrError} when the range is larger than a /16. */
export function assertDiscoverable(net: Ipv4Network): void {
  if (net.prefix < MAX_DISCOVERY_PREFIX) {
    throw new CidrError(
      `${net.cidr} has ${net.size.toLocaleString('en')} addresses; the largest range is a /${MAX_DISCOVERY_PREFIX} ` +
        `(${MAX_DISCOVERY_ADDRESSES.toLocaleString('en')})`,
    );
  }
}

/**
 * The host addresses of a network in ascending order: without the network and broadcast addresses,
 * except for /31 (RFC 3021 point-to-point) and /32, where every address is a host.
 */
export function hostAddresses(net: Ipv4Network): string[] {
  const first = net.prefix >= 31 ? net.network : net.network + 1;
  const last = net.prefix >= 31 ? net.network + net.size - 1 : net.network + net.size - 2;
  const out: string[] = [];
  for (let a = first; a <= last; a++) out.push(formatIpv4(a));
  return out;
}

/** Prefix length of a dotted netmask ("255.255.255.0" → 24); null when it is not a contiguous mask. */
export function netmaskToPrefix(mask: string): number | null {
  const value = parseIpv4(mask);
  if (value === null) return null;
  const bits = value.toString(2).padStart(32, '0');
  if (!/^1*0*$/.test(bits)) return null;
  const firstZero = bits.indexOf('0');
  return firstZero === -1 ? 32 : firstZero;
}
