export type SnmpFailureReason =
  | 'timeout'
  | 'authFailure'
  | 'unknownUser'
  | 'privacyFailure'
  | 'notInTimeWindow'
  | 'unsupportedSecurityLevel'
  | 'malformedResponse'
  | 'agentError'
  | 'socketError'
  | 'invalidCredentials'
  | 'cancelled'
  | 'unknown';

/** Typed failure of an SNMP poll. `message` is safe to show and log (no secrets). */
export class SnmpProbeError extends Error {
  readonly code = 'SNMP_PROBE_FAILED';
  constructor(
    readonly reason: SnmpFailureReason,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'SnmpProbeError';
  }
}

export interface SnmpErrorContext {
  version: '1' | '2c' | '3';
  /** Undecodable datagrams arrived on the session while the request was pending. */
  malformedSeen?: boolean;
}

const ERROR_STATUS_NAMES = [
  'noError',
  'tooBig',
  'noSuchName',
  'badValue',
  'readOnly',
  'genErr',
  'noAccess',
  'wrongType',
  'wrongLength',
  'wrongEncoding',
  'wrongValue',
  'noCreation',
  'inconsistentValue',
  'resourceUnavailable',
  'commitFailed',
  'undoFailed',
  'authorizationError',
  'notWritable',
  'inconsistentName',
];

// net-snmp's ResponseInvalidCode values.
const RIC = {
  EIp4AddressSize: 1,
  EUnknownObjectType: 2,
  EUnknownPduType: 3,
  ECouldNotDecrypt: 4,
  EAuthFailure: 5,
  ENotInTimeWindow: 14,
  EBadVarbindList: 15,
};

/**
 * Maps a net-snmp error (RequestTimedOutError, ResponseInvalidError incl. USM report PDUs,
 * RequestFailedError, socket errors) to a reason and a human message. Pure; never throws.
 * Messages from net-snmp that could carry a community are not copied.
 */
export function classifySnmpError(err: unknown, ctx: SnmpErrorContext): SnmpProbeError {
  if (err instanceof SnmpProbeError) return err;
  const e = (err ?? {}) as { name?: unknown; message?: unknown; code?: unknown; status?: unknown };
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : String(err);

  if (name === 'RequestTimedOutError' || message === 'Request timed out') {
    if (ctx.malformedSeen)
      return new SnmpProbeError('malformedResponse', 'malformed response (undecodable SNMP message)');
    return ctx.version === '3'
      ? new SnmpProbeError('timeout', 'no response (timeout)')
      : new SnmpProbeError('timeout', 'no response (timeout or wrong community)');
  }
  if (name === 'ResponseInvalidError') {
    const code = typeof e.code === 'number' ? e.code : -1;
    if (code === RIC.EAuthFailure) return classifyUsm(message);
    if (code === RIC.ECouldNotDecrypt)
      return new SnmpProbeError('privacyFailure', 'decryption failed (wrong privacy key or protocol)');
    if (code === RIC.ENotInTimeWindow)
      return new SnmpProbeError('notInTimeWindow', 'SNMPv3 message outside the time window');
    if (code === 10) return new SnmpProbeError('malformedResponse', 'response community does not match request');
    return new SnmpProbeError('malformedResponse', `malformed response: ${sanitize(message)}`);
  }
  if (name === 'RequestFailedError') {
    const status = typeof e.status === 'number' ? e.status : -1;
    const statusName = ERROR_STATUS_NAMES[status] ?? `status ${status}`;
    if (status === 16) return new SnmpProbeError('authFailure', 'agent refused access (authorizationError)');
    return new SnmpProbeError('agentError', `agent returned error-status ${statusName}`, sanitize(message));
  }
  if (name === 'RequestInvalidError')
    return new SnmpProbeError('invalidCredentials', `request could not be built: ${sanitize(message)}`);
  if (message === 'Socket forcibly closed')
    return new SnmpProbeError('cancelled', 'session closed while the request was pending');
  if (/ERR_OSSL|unsupported/i.test(message) && /digital envelope|cipher/i.test(message)) {
    return new SnmpProbeError(
      'privacyFailure',
      'privacy protocol not supported by this Node.js/OpenSSL build (DES needs --openssl-legacy-provider)',
    );
  }
  const sysCode = typeof e.code === 'string' ? e.code : undefined;
  if (sysCode && /^E[A-Z]+$/.test(sysCode))
    return new SnmpProbeError('socketError', `socket error ${sysCode}`, sanitize(message));
  if (/RangeError/.test(name) || /out of range|Invalid|Expected/i.test(message)) {
    return new SnmpProbeError('malformedResponse', `malformed response: ${sanitize(message)}`);
  }
  return new SnmpProbeError('unknown', `SNMP request failed: ${sanitize(message)}`);
}

/** USM report PDUs (RFC 3414 usmStats) arrive as ResponseInvalidError EAuthFailure with the stat's name. */
function classifyUsm(message: string): SnmpProbeError {
  if (/Unknown User Name/i.test(message)) return new SnmpProbeError('unknownUser', 'unknown SNMPv3 user');
  if (/Wrong Digest|digest/i.test(message))
    return new SnmpProbeError('authFailure', 'authentication failed (wrong auth key or protocol)');
  if (/Decryption Error/i.test(message))
    return new SnmpProbeError('privacyFailure', 'decryption failed (wrong privacy key or protocol)');
  if (/Not In Time Window/i.test(message))
    return new SnmpProbeError('notInTimeWindow', 'SNMPv3 message outside the time window');
  if (/Unsupported Security Level/i.test(message)) {
    return new SnmpProbeError(
      'unsupportedSecurityLevel',
      'security level not supported for this user (check auth/priv settings)',
    );
  }
  if (/Unknown Engine ID/i.test(message)) return new SnmpProbeError('authFailure', 'SNMPv3 engine discovery failed');
  return new SnmpProbeError('authFailure', `SNMPv3 authentication failed: ${sanitize(message)}`);
}

/** net-snmp messages may quote the community ("community 'x' in response"): drop quoted parts. */
function sanitize(message: string): string {
  return message
    .replace(/community\s+'[^']*'/gi, "community '***'")
    .replace(/ with community \S+/gi, ' with community ***')
    .slice(0, 300);
}
