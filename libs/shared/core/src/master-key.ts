import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The operator's master secret: `NETDESK_SECRET_KEY` when set, otherwise a random key generated once
 * and kept (mode 0600) under the data dir, so restarts can still decrypt what was stored.
 */
export class MasterKey {
  private constructor(
    readonly value: string,
    readonly source: 'env' | 'file' | 'generated',
  ) {}

  static resolve(fromEnv: string | undefined, dataDir: string): MasterKey {
    if (fromEnv) return new MasterKey(fromEnv, 'env');
    const file = path.join(dataDir, 'secret.key');
    if (fs.existsSync(file)) {
      const value = fs.readFileSync(file, 'utf8').trim();
      if (value.length < 32) throw new Error(`${file} is corrupt (too short); restore it or set NETDESK_SECRET_KEY`);
      return new MasterKey(value, 'file');
    }
    fs.mkdirSync(dataDir, { recursive: true });
    const value = randomBytes(32).toString('base64url');
    fs.writeFileSync(file, value + '\n', { mode: 0o600, flag: 'wx' });
    return new MasterKey(value, 'generated');
  }
}
