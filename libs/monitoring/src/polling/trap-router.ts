import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ProbeLogger } from '../probes';

/** Every address a name resolves to. */
export type HostResolver = (host: string) => Promise<string[]>;

export const dnsResolver: HostResolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

/**
 * Which device a trap came from: traps arrive from addresses, devices may be known by name. A device's
 * addresses are replaced when its name resolves; a lookup that fails is logged and leaves the device
 * without addresses (its traps are counted as from an unknown source), and a lookup overtaken by a newer
 * one for the same device (its host changed, or it was removed) is dropped.
 */
export class TrapRouter {
  private readonly deviceByAddress = new Map<string, string>();
  /** The latest indexing of each device: an older lookup that ends later must not win. */
  private readonly generation = new Map<string, number>();
  private indexings = 0;

  constructor(
    private readonly log: ProbeLogger,
    private readonly resolve: HostResolver = dnsResolver,
  ) {}

  /** Indexes a device by its host; resolves once its addresses are known (or the lookup failed). Never rejects. */
  async index(deviceId: string, host: string): Promise<void> {
    const generation = ++this.indexings;
    this.generation.set(deviceId, generation);
    if (isIP(host)) {
      this.replace(deviceId, [host]);
      return;
    }
    let addresses: string[] = [];
    try {
      addresses = await this.resolve(host);
    } catch (err) {
      this.log.warn({ err, deviceId, host }, 'device name does not resolve; its traps cannot be matched');
    }
    if (this.generation.get(deviceId) === generation) this.replace(deviceId, addresses);
  }

  forget(deviceId: string): void {
    this.generation.delete(deviceId);
    this.replace(deviceId, []);
  }

  /** The device a trap from `source` belongs to, if any. */
  deviceFor(source: string): string | undefined {
    return this.deviceByAddress.get(source);
  }

  private replace(deviceId: string, addresses: string[]): void {
    for (const [address, id] of this.deviceByAddress) if (id === deviceId) this.deviceByAddress.delete(address);
    for (const address of addresses) this.deviceByAddress.set(address, deviceId);
  }
}
