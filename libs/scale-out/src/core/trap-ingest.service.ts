import { Injectable, Logger } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock } from '@netdesk/core';
import { MetricsService } from '@netdesk/observability';
import { Counter } from 'prom-client';
import { pollNowSubject, ResultMessage } from '../transport/envelope';
import { CoreNatsService } from './core-nats.service';
import { PollersService } from './pollers.service';

type TrapMessage = Extract<ResultMessage, { kind: 'trap' }>;
type TrapResult = 'repoll' | 'polled_by_receiver' | 'late' | 'unassigned';

/**
 * Traps forwarded by pollers (after their key committed, so each counts once): as in one process, a trap
 * from a known device gets it polled now. The poller that received it already did so when the device is
 * its own; otherwise the core asks the device's poller. A trap that arrives late (buffered at a branch
 * during a WAN cut) is only counted: polling now would tell nothing about then.
 */
@Injectable()
export class TrapIngest {
  private readonly logger = new Logger('traps');
  private readonly counter: Counter<'result'>;

  constructor(
    private readonly nats: CoreNatsService,
    private readonly pollers: PollersService,
    private readonly clock: Clock,
    private readonly config: NetdeskConfig,
    metrics: MetricsService,
  ) {
    this.counter = new Counter({
      name: 'netdesk_forwarded_traps_total',
      help: 'SNMP traps forwarded by pollers through NATS, by what was done with them',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
  }

  received(m: TrapMessage): void {
    const result = this.handle(m);
    this.counter.inc({ result });
    this.logger.log(
      { deviceId: m.deviceId, kind: m.trap.kind, ifIndex: m.trap.ifIndex, poller: m.poller, result },
      'trap forwarded by a poller',
    );
  }

  private handle(m: TrapMessage): TrapResult {
    const lateMs = 2 * (this.config.scaleOut?.leaseSec ?? 10) * 1000;
    if (this.clock.now().getTime() - m.at.getTime() > lateMs) return 'late';
    const { pollerName, group } = this.pollers.assignmentOf(m.deviceId);
    if (!pollerName) return 'unassigned';
    if (pollerName === m.poller && group === m.group) return 'polled_by_receiver';
    void this.nats.link().then(
      ({ link }) => link.nc.publish(pollNowSubject(group, pollerName), m.deviceId),
      () => undefined,
    );
    return 'repoll';
  }
}
