import {
  credentialFingerprint,
  deriveSecurityLevel,
  describeCredentials,
  SnmpCredentialsError,
  validateSnmpCredentials,
} from './snmp-credentials';

describe('SNMP credentials', () => {
  it('derives the v3 security level from the keys present', () => {
    expect(deriveSecurityLevel({ version: '3', username: 'u' })).toBe('noAuthNoPriv');
    expect(deriveSecurityLevel({ version: '3', username: 'u', authKey: 'authpass1' })).toBe('authNoPriv');
    expect(deriveSecurityLevel({ version: '3', username: 'u', authKey: 'authpass1', privKey: 'privpass1' })).toBe(
      'authPriv',
    );
    expect(() => deriveSecurityLevel({ version: '3', username: 'u', privKey: 'privpass1' })).toThrow(
      SnmpCredentialsError,
    );
  });

  it('rejects short keys and bad ports without echoing the secret', () => {
    expect(() => validateSnmpCredentials({ version: '3', username: 'u', authKey: 'short' })).toThrow(/at least 8/);
    expect(() => validateSnmpCredentials({ version: '2c', community: '' })).toThrow(SnmpCredentialsError);
    expect(() => validateSnmpCredentials({ version: '2c', community: 'x', port: 70000 })).toThrow(/port/);
    try {
      validateSnmpCredentials({ version: '3', username: 'u', authKey: 'secret1', privKey: 'p' });
    } catch (e) {
      expect((e as Error).message).not.toContain('secret1');
    }
  });

  it('fingerprints change with any credential but never contain it', () => {
    const a = credentialFingerprint('10.0.0.1', { version: '2c', community: 'public-secret' });
    expect(a).not.toContain('public-secret');
    expect(a).toBe(credentialFingerprint('10.0.0.1', { version: '2c', community: 'public-secret', port: 161 }));
    expect(a).not.toBe(credentialFingerprint('10.0.0.1', { version: '2c', community: 'other' }));
    expect(a).not.toBe(credentialFingerprint('10.0.0.1', { version: '1', community: 'public-secret' }));
    expect(a).not.toBe(credentialFingerprint('10.0.0.1', { version: '2c', community: 'public-secret', port: 1161 }));
  });

  it('describes credentials for logs without secrets', () => {
    const d = describeCredentials({
      version: '3',
      username: 'mon',
      authProtocol: 'sha256',
      authKey: 'authpass1',
      privKey: 'privpass1',
    });
    expect(d).toEqual({
      version: '3',
      username: 'mon',
      securityLevel: 'authPriv',
      authProtocol: 'sha256',
      privProtocol: 'aes',
    });
    expect(JSON.stringify(describeCredentials({ version: '2c', community: 'c0mmunity' }))).not.toContain('c0mmunity');
  });
});
