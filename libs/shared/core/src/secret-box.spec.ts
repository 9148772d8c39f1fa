import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a master secret of enough length', 'snmp');

  it('round-trips and never stores the plaintext', () => {
    const sealed = box.seal('{"community":"s3cret-community"}');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed)).toBe('{"community":"s3cret-community"}');
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('x')).not.toBe(box.seal('x'));
  });

  it('rejects tampered ciphertext and other keys', () => {
    const sealed = box.seal('hello');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('jello').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox('another master secret entirely', 'snmp').open(sealed)).toThrow();
    expect(() => new SecretBox('a master secret of enough length', 'other').open(sealed)).toThrow();
  });
});
