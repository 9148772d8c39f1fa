export const DEVICE_KINDS = ['router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const CRITICALITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export const DEVICE_STATUSES = ['unknown', 'up', 'degraded', 'down', 'unreachable'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const SNMP_VERSIONS = ['1', '2c', '3'] as const;
export type SnmpVersion = (typeof SNMP_VERSIONS)[number];
export const SNMP_AUTH_PROTOCOLS = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export const SNMP_PRIV_PROTOCOLS = ['des', 'aes', 'aes256b', 'aes256r'] as const;

/** SNMP credentials as the poller needs them (decrypted); never leaves the process through the API. */
export type SnmpCredentials =
  | { version: '1' | '2c'; community: string; port: number }
  | {
      version: '3';
      username: string;
      authProtocol?: (typeof SNMP_AUTH_PROTOCOLS)[number];
      authKey?: string;
      privProtocol?: (typeof SNMP_PRIV_PROTOCOLS)[number];
      privKey?: string;
      port: number;
    };
