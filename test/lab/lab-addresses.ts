/**
 * Address plan of the network lab. Pure functions, no I/O.
 *
 * Every lab instance owns one /22 "block" of the benchmarking range 198.18.0.0/15 (RFC 2544), chosen by
 * its slot number, so parallel labs never collide and nothing can overlap a real network:
 *
 *   block   = 198.18.0.0 + slot * 1024, /22          (slot 0..127)
 *   sink    = block + 1, /32 on an interface in the root namespace (trap sink)
 *   link i  = block + 4 * i, /30 for i = 1..255      (upstream side .1, host side .2)
 */

export const LAB_RANGE_CIDR = '198.18.0.0/15';
export const SLOT_COUNT = 128;
export const MAX_LINKS_PER_LAB = 255;
const RANGE_BASE = ipv4ToInt('198.18.0.0');
const BLOCK_SIZE = 1024;

export interface LinkAddresses {
  /** e.g. 198.18.4.4/30 */
  subnet: string;
  /** address on the upstream end (root namespace or parent host) */
  upstream: string;
  /** address of the host itself */
  host: string;
  prefixLength: 30;
}

export interface LabBlock {
  slot: number;
  /** e.g. 198.18.4.0/22 */
  cidr: string;
  sinkAddress: string;
  link(index: number): LinkAddresses;
}

export function ipv4ToInt(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses "a.b.c.d" or "a.b.c.d/len" into an inclusive [first, last] integer range. */
export function cidrRange(cidr: string): [number, number] {
  const [address, lengthText] = cidr.split('/');
  const length = lengthText === undefined ? 32 : Number(lengthText);
  if (!Number.isInteger(length) || length < 0 || length > 32) throw new Error(`bad prefix length: ${cidr}`);
  const size = 2 ** (32 - length);
  const first = Math.floor(ipv4ToInt(address) / size) * size;
  return [first, first + size - 1];
}

export function rangesOverlap(a: string, b: string): boolean {
  const [a0, a1] = cidrRange(a);
  const [b0, b1] = cidrRange(b);
  return a0 <= b1 && b0 <= a1;
}

export function isInLabRange(address: string): boolean {
  const [first, last] = cidrRange(LAB_RANGE_CIDR);
  const value = ipv4ToInt(address);
  return value >= first && value <= last;
}

export function labBlock(slot: number): LabBlock {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new Error(`lab slot out of range: ${slot}`);
  const base = RANGE_BASE + slot * BLOCK_SIZE;
  return {
    slot,
    cidr: `${intToIpv4(base)}/22`,
    sinkAddress: intToIpv4(base + 1),
    link(index: number): LinkAddresses {
      if (!Number.isInteger(index) || index < 1 || index > MAX_LINKS_PER_LAB) {
        throw new Error(`link index out of range: ${index}`);
      }
      const subnet = base + index * 4;
      return {
        subnet: `${intToIpv4(subnet)}/30`,
        upstream: intToIpv4(subnet + 1),
        host: intToIpv4(subnet + 2),
        prefixLength: 30,
      };
    },
  };
}
