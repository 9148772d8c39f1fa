import type { Provider } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { FpingProber, PingProber, SnmpClient } from '../probes';
import { nestProbeLogger } from '../nest-probe-logger';

/** The poller's batch ICMP prober (fping, the system ping as the fallback): a FpingProber. */
export const POLLER_ICMP = Symbol('POLLER_ICMP');
/** The poller's SNMP client: a SnmpClient. */
export const POLLER_SNMP = Symbol('POLLER_SNMP');

/** The poller's probes, built from `polling.ping` and `polling.snmp`; PollerService closes them when it stops. */
export const pollerProbeProviders: Provider[] = [
  {
    provide: POLLER_ICMP,
    inject: [NetdeskConfig],
    useFactory: ({ polling: { ping } }: NetdeskConfig): FpingProber => {
      const logger = nestProbeLogger('poller');
      return new FpingProber({
        count: ping.count,
        timeoutMs: ping.timeoutMs,
        periodMs: ping.periodMs,
        logger,
        fallback: new PingProber({ count: ping.count, timeoutMs: ping.timeoutMs, logger }),
      });
    },
  },
  {
    provide: POLLER_SNMP,
    inject: [NetdeskConfig],
    useFactory: ({ polling: { snmp } }: NetdeskConfig): SnmpClient =>
      new SnmpClient({
        timeoutMs: snmp.timeoutMs,
        retries: snmp.retries,
        maxInFlight: snmp.maxInFlight,
        logger: nestProbeLogger('poller'),
      }),
  },
];
