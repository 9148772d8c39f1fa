import type { JetStreamClient } from '@nats-io/jetstream';
import type { DevicePollReport, MonitoringChange, PollSink } from '@netdesk/monitoring';
import { encodeResult, messageIdOf, Origin, ResultMessage, subjectOf } from '../transport/envelope';

export interface SinkCounters {
  published: number;
  publishErrors: number;
  inFlight: number;
}

/**
 * Who may send a device's result now, and under which epoch: null when the result must be dropped (its
 * probe began in an ended lease term, or the device is no longer ours). See result-fence.ts.
 */
export type OriginOf = (deviceId: string) => Origin | null | Promise<Origin | null>;

/**
 * The poll engine's sink in a remote poller: every result goes to JetStream, tagged with the lease epoch
 * that `origin` grants it. One sink serves one poll engine, which serves one lease term, so `origin` knows
 * the term every result was probed in. Changes are awaited (the engine treats a refused publish like a
 * refused commit and re-detects the change on the next poll); observations are sent without blocking the
 * engine.
 */
export class JetStreamPollSink implements PollSink {
  constructor(
    private readonly js: () => JetStreamClient | null,
    private readonly origin: OriginOf,
    readonly counters: SinkCounters = { published: 0, publishErrors: 0, inFlight: 0 },
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly prefix: () => string = () => 'netdesk.',
  ) {}

  async commit(changes: MonitoringChange[]): Promise<void> {
    if (!changes.length) return;
    const origin = await this.origin(changes[0].deviceId);
    if (!origin) throw new Error('no lease for this result (ended term or device not ours): dropped');
    await this.send({ ...origin, kind: 'changes', deviceId: changes[0].deviceId, at: changes[0].at, changes });
  }

  observe(report: DevicePollReport): void {
    void Promise.resolve(this.origin(report.deviceId)).then((origin) =>
      origin
        ? this.send({ ...origin, kind: 'report', deviceId: report.deviceId, at: report.at, report }).catch(
            () => undefined,
          )
        : undefined,
    );
  }

  private async send(m: ResultMessage): Promise<void> {
    const js = this.js();
    if (!js) {
      this.counters.publishErrors++;
      throw new Error('not connected to NATS');
    }
    this.counters.inFlight++;
    try {
      await js.publish(subjectOf(m, this.prefix()), encodeResult(m), { msgID: messageIdOf(m), timeout: 10_000 });
      this.counters.published++;
    } catch (err) {
      this.counters.publishErrors++;
      this.onError(err);
      throw err;
    } finally {
      this.counters.inFlight--;
    }
  }
}
