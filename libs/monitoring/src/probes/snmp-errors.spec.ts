import * as snmp from 'net-snmp';
import { classifySnmpError } from './snmp-errors';

type ErrorCtor = new (...args: unknown[]) => Error;
const lib = snmp as unknown as Record<string, ErrorCtor>;

describe('classifySnmpError', () => {
  it('reports v1/v2c timeouts as possibly a wrong community', () => {
    const e = classifySnmpError(new lib.RequestTimedOutError('Request timed out'), { version: '2c' });
    expect(e.reason).toBe('timeout');
    expect(e.message).toBe('no response (timeout or wrong community)');
    expect(classifySnmpError(new lib.RequestTimedOutError('Request timed out'), { version: '3' }).message).toBe(
      'no response (timeout)',
    );
  });

  it('reports a timeout as a malformed response when garbage arrived meanwhile', () => {
    expect(
      classifySnmpError(new lib.RequestTimedOutError('Request timed out'), { version: '2c', malformedSeen: true })
        .reason,
    ).toBe('malformedResponse');
  });

  it.each([
    ['Unknown User Name', 'unknownUser'],
    ['Wrong Digest (incorrect password, community or key)', 'authFailure'],
    ['Decryption Error', 'privacyFailure'],
    ['Not In Time Window', 'notInTimeWindow'],
    ['Unsupported Security Level', 'unsupportedSecurityLevel'],
  ])('maps the USM report "%s" to %s', (message, reason) => {
    expect(
      classifySnmpError(new lib.ResponseInvalidError(message, snmp.ResponseInvalidCode.EAuthFailure), { version: '3' })
        .reason,
    ).toBe(reason);
  });

  it('maps agent error-status and client-side decryption failures', () => {
    const failed = classifySnmpError(new lib.RequestFailedError('NoSuchName: 1.3.6.1.2.1.1.9.0', 2), { version: '1' });
    expect(failed).toMatchObject({ reason: 'agentError', message: 'agent returned error-status noSuchName' });
    expect(
      classifySnmpError(new lib.ResponseInvalidError('x', snmp.ResponseInvalidCode.ECouldNotDecrypt), { version: '3' })
        .reason,
    ).toBe('privacyFailure');
    expect(
      classifySnmpError(
        new lib.ResponseInvalidError('Unknown object type', snmp.ResponseInvalidCode.EUnknownObjectType),
        { version: '2c' },
      ).reason,
    ).toBe('malformedResponse');
  });

  it('never copies a community from net-snmp messages', () => {
    const e = classifySnmpError(
      new lib.ResponseInvalidError(
        "Community 'topsecret' in request does not match community 'x' in response",
        snmp.ResponseInvalidCode.ECommunityNoMatch,
      ),
      { version: '2c' },
    );
    expect(`${e.message} ${e.detail ?? ''}`).not.toContain('topsecret');
  });

  it('classifies socket errors and closed sessions', () => {
    expect(
      classifySnmpError(Object.assign(new Error('send EHOSTUNREACH'), { code: 'EHOSTUNREACH' }), { version: '2c' })
        .reason,
    ).toBe('socketError');
    expect(classifySnmpError(new Error('Socket forcibly closed'), { version: '2c' }).reason).toBe('cancelled');
    expect(classifySnmpError(undefined, { version: '2c' }).reason).toBe('unknown');
  });
});
