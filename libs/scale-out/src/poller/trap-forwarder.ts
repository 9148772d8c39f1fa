import { isIP } from 'node:net';
import type { Subscription } from '@nats-io/transport-node';
import type { TrapEvent } from '@netdesk/monitoring';
import type { DeviceRecord } from '../transport/device-record';
import { encodeResult, messageIdOf, Origin, pollNowSubject, ResultMessage, subjectOf } from '../transport/envelope';
import type { NatsLink } from '../transport/nats-link';

export interface TrapForwarderCounters {
  forwarded: number;
  unknownSource: number;
  failed: number;
}

/**
 * A poller's traps, sent to the core on the events stream (durable, beside status changes, never behind
 * measurements; at a branch they wait in the leaf node while the WAN is cut). A trap is matched to a device
 * among all the devices the core handed out, not only this poller's, and keyed by device, time, kind and
 * interface so a repeat is applied once. The core answers a trap for a device another poller owns by asking
 * that poller, on `pollNowSubject`, to poll it now; `listen` receives those requests.
 */
export class TrapForwarder {
  readonly counters: TrapForwarderCounters = { forwarded: 0, unknownSource: 0, failed: 0 };

  constructor(
    private readonly link: () => NatsLink | undefined,
    private readonly origin: () => Origin | null,
    private readonly records: () => Iterable<DeviceRecord>,
  ) {}

  /** Sends the trap on; returns the device it came from, if known. */
  forward(trap: TrapEvent): string | undefined {
    const deviceId = this.deviceAt(trap.source);
    const origin = this.origin();
    const link = this.link();
    if (!deviceId) {
      this.counters.unknownSource++;
      return undefined;
    }
    if (!origin || !link) {
      this.counters.failed++;
      return deviceId;
    }
    const m: ResultMessage = {
      ...origin,
      kind: 'trap',
      deviceId,
      at: trap.receivedAt,
      trap: { kind: trap.kind, ifIndex: trap.ifIndex ?? null },
    };
    link.js.publish(subjectOf(m, link.prefix), encodeResult(m), { msgID: messageIdOf(m), timeout: 10_000 }).then(
      () => this.counters.forwarded++,
      () => this.counters.failed++,
    );
    return deviceId;
  }

  /** Polls now the devices the core asks for (those this poller owns; `pollNow` ignores the others). */
  listen(link: NatsLink, group: string, name: string, pollNow: (deviceId: string) => void): Subscription {
    return link.nc.subscribe(pollNowSubject(group, name), {
      callback: (err, msg) => {
        if (!err) pollNow(msg.string());
      },
    });
  }

  private deviceAt(address: string): string | undefined {
    for (const r of this.records()) if (isIP(r.device.host) && r.device.host === address) return r.device.id;
    return undefined;
  }
}
