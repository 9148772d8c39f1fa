import type { PingResult, SnmpSystemInfo, SnmpTarget } from '../probes';
import type { LocalInterface } from './local-subnets';

/** One batch ICMP sweep (the FpingProber, count 1). Results in input order, never throws. */
export interface PingSweeper {
  probe(hosts: readonly string[]): Promise<PingResult[]>;
}

/** Reads the system group of one agent (the SnmpClient); throws SnmpProbeError. */
export interface SystemGroupReader {
  pollSystem(target: SnmpTarget): Promise<SnmpSystemInfo>;
  closeAll(): void;
}

/** A fresh SNMP client per discovery, so its sessions never mix with the poller's and all close at the end. */
export type SystemGroupReaderFactory = () => SystemGroupReader;

/** What `systeminformation.networkInterfaces()` reports; faked in unit tests. */
export interface NetworkInterfacesSource {
  networkInterfaces(): Promise<LocalInterface[]>;
}

export interface DiscoveryOptions {
  /** Wait for the one echo per address, ms. */
  pingTimeoutMs: number;
  /** Gap between echoes sent, ms (0.25 = 4,000 packets/s: a /24 in 64 ms, a /16 in 16 s). */
  pingIntervalMs: number;
  /** Per-attempt SNMP timeout, ms. */
  snmpTimeoutMs: number;
  snmpRetries: number;
  /** Hosts probed over SNMP at once. */
  snmpConcurrency: number;
  /** Whole discovery, ms: SNMP answers still missing then are left out and `complete` is false. */
  timeLimitMs: number;
}

export const DEFAULT_DISCOVERY_OPTIONS: DiscoveryOptions = {
  pingTimeoutMs: 500,
  pingIntervalMs: 0.25,
  snmpTimeoutMs: 1000,
  snmpRetries: 1,
  snmpConcurrency: 32,
  timeLimitMs: 60_000,
};

export const DISCOVERY_OPTIONS = Symbol('DISCOVERY_OPTIONS');
export const DISCOVERY_PING_SWEEPER = Symbol('DISCOVERY_PING_SWEEPER');
export const DISCOVERY_SNMP_READER_FACTORY = Symbol('DISCOVERY_SNMP_READER_FACTORY');
export const DISCOVERY_NETWORK_INTERFACES = Symbol('DISCOVERY_NETWORK_INTERFACES');
