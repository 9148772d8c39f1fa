import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM encryption for secrets at rest (SNMP communities and keys). The key is derived with
 * HKDF from the operator's secret, one sub-key per purpose; ciphertext is `v1.<iv>.<tag>.<data>` in base64url.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(masterSecret: string | Buffer, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', masterSecret, Buffer.alloc(0), `netdesk:${purpose}`, 32));
  }

  static deriveKey(masterSecret: string | Buffer, purpose: string, length = 32): Buffer {
    return Buffer.from(hkdfSync('sha256', masterSecret, Buffer.alloc(0), `netdesk:${purpose}`, length));
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('unrecognised sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
