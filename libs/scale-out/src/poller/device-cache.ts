import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { SecretBox } from '@netdesk/core';
import { decodeRecord, DeviceRecord, encodeRecord } from '../transport/device-record';

/**
 * The devices a poller was handed, kept under its data dir so it restarts and keeps polling while the
 * core (or the WAN) is unreachable. The file is sealed with AES-256-GCM (it holds SNMP credentials): the key
 * comes from NETDESK_SECRET_KEY, or from a key file of the poller's own (mode 0600) when none is set.
 */
export class DeviceCache {
  private readonly box: SecretBox;
  private readonly file: string;

  constructor(dataDir: string, secretKey?: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'poller-devices.sealed');
    let secret = secretKey;
    if (!secret) {
      const keyFile = path.join(dataDir, 'poller.key');
      if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
      secret = readFileSync(keyFile, 'utf8').trim();
    }
    this.box = new SecretBox(secret, 'poller-cache');
  }

  load(): { records: DeviceRecord[]; owned: string[] } {
    if (!existsSync(this.file)) return { records: [], owned: [] };
    const sealed = JSON.parse(this.box.open(readFileSync(this.file, 'utf8'))) as { records: string[]; owned: string[] };
    return { records: sealed.records.map(decodeRecord), owned: sealed.owned };
  }

  save(records: Iterable<DeviceRecord>, owned: Iterable<string>): void {
    const body = JSON.stringify({ records: [...records].map(encodeRecord), owned: [...owned] });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, this.box.seal(body), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}
