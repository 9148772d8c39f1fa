import { createHash } from 'node:crypto';

export type SnmpAuthProtocol = 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
export type SnmpPrivProtocol = 'des' | 'aes' | 'aes256b' | 'aes256r';
export type SnmpSecurityLevel = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';

export interface SnmpCommunityCredentials {
  version: '1' | '2c';
  community: string;
  port?: number;
}

export interface SnmpV3Credentials {
  version: '3';
  username: string;
  authProtocol?: SnmpAuthProtocol;
  authKey?: string;
  privProtocol?: SnmpPrivProtocol;
  privKey?: string;
  port?: number;
}

export type SnmpCredentials = SnmpCommunityCredentials | SnmpV3Credentials;

/** What to poll: `deviceId` keys the session pool (falls back to host when absent). */
export interface SnmpTarget {
  deviceId?: string;
  host: string;
  credentials: SnmpCredentials;
}

export const AUTH_PROTOCOLS: readonly SnmpAuthProtocol[] = ['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'];
export const PRIV_PROTOCOLS: readonly SnmpPrivProtocol[] = ['des', 'aes', 'aes256b', 'aes256r'];

/** Used when a v3 key is given without its protocol. */
export const DEFAULT_AUTH_PROTOCOL: SnmpAuthProtocol = 'sha';
export const DEFAULT_PRIV_PROTOCOL: SnmpPrivProtocol = 'aes';

export class SnmpCredentialsError extends Error {
  readonly code = 'SNMP_INVALID_CREDENTIALS';
  constructor(message: string) {
    super(message);
    this.name = 'SnmpCredentialsError';
  }
}

/**
 * Derives the USM security level from which keys are present: privacy needs authentication
 * (RFC 3414), so a priv key without an auth key is rejected. Throws {@link SnmpCredentialsError}.
 */
export function deriveSecurityLevel(c: SnmpV3Credentials): SnmpSecurityLevel {
  const hasAuth = !!c.authKey;
  const hasPriv = !!c.privKey;
  if (hasPriv && !hasAuth) throw new SnmpCredentialsError('SNMPv3 privKey requires authKey (authPriv)');
  if (hasAuth && hasPriv) return 'authPriv';
  if (hasAuth) return 'authNoPriv';
  return 'noAuthNoPriv';
}

/** Validates shape and values; messages never include secrets. */
export function validateSnmpCredentials(c: SnmpCredentials): void {
  if (c.port !== undefined && (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535)) {
    throw new SnmpCredentialsError(`invalid SNMP port ${c.port}`);
  }
  if (c.version === '1' || c.version === '2c') {
    if (typeof c.community !== 'string' || c.community.length === 0 || c.community.length > 255) {
      throw new SnmpCredentialsError('community must be 1-255 characters');
    }
    return;
  }
  if (c.version !== '3')
    throw new SnmpCredentialsError(`unsupported SNMP version ${String((c as { version: unknown }).version)}`);
  if (typeof c.username !== 'string' || c.username.length === 0 || c.username.length > 32) {
    throw new SnmpCredentialsError('SNMPv3 username must be 1-32 characters');
  }
  const level = deriveSecurityLevel(c);
  if (level !== 'noAuthNoPriv') {
    if (c.authProtocol !== undefined && !AUTH_PROTOCOLS.includes(c.authProtocol)) {
      throw new SnmpCredentialsError(`unsupported authProtocol ${c.authProtocol}`);
    }
    if ((c.authKey ?? '').length < 8) throw new SnmpCredentialsError('SNMPv3 authKey must be at least 8 characters');
  }
  if (level === 'authPriv') {
    if (c.privProtocol !== undefined && !PRIV_PROTOCOLS.includes(c.privProtocol)) {
      throw new SnmpCredentialsError(`unsupported privProtocol ${c.privProtocol}`);
    }
    if ((c.privKey ?? '').length < 8) throw new SnmpCredentialsError('SNMPv3 privKey must be at least 8 characters');
  }
}

/**
 * Stable, non-reversible identity of a host + port + credentials, used as the session-pool key.
 * Secrets only enter the hash input, never the output or logs.
 */
export function credentialFingerprint(host: string, c: SnmpCredentials): string {
  const port = c.port ?? 161;
  const material =
    c.version === '3'
      ? [
          '3',
          c.username,
          c.authProtocol ?? DEFAULT_AUTH_PROTOCOL,
          c.authKey ?? '',
          c.privProtocol ?? DEFAULT_PRIV_PROTOCOL,
          c.privKey ?? '',
        ]
      : [c.version, c.community];
  const hash = createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 24);
  return `${host}|${port}|${hash}`;
}

/** Safe description for logs: version, user name and protocols only. */
export function describeCredentials(c: SnmpCredentials): Record<string, string> {
  if (c.version !== '3') return { version: c.version };
  return {
    version: '3',
    username: c.username,
    securityLevel: safeLevel(c),
    ...(c.authKey ? { authProtocol: c.authProtocol ?? DEFAULT_AUTH_PROTOCOL } : {}),
    ...(c.privKey ? { privProtocol: c.privProtocol ?? DEFAULT_PRIV_PROTOCOL } : {}),
  };
}

function safeLevel(c: SnmpV3Credentials): string {
  try {
    return deriveSecurityLevel(c);
  } catch {
    return 'invalid';
  }
}
