import type { Provider } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { FpingProber, PingProber, SnmpClient } from '../probes';
import type { ProbeLogger } from '../probes';
import { nestProbeLogger } from '../nest-probe-logger';

/** The poller's batch ICMP prober (fping, the system ping as the fallback): a FpingProber. */
export const POLLER_ICMP = Symbol('POLLER_ICMP');
/** The poller's SNMP client: a SnmpClient. */
export const POLLER_SNMP = Symbol('POLLER_SNMP');

/** fping with the system ping as its fallback, from `polling.ping` (the core's poller and apps/poller alike). */
export function icmpProberFrom(ping: NetdeskConfig['polling']['ping'], logger: ProbeLogger): FpingProber {
  return new FpingProber({
    count: ping.count,
    timeoutMs: ping.timeoutMs,
    periodMs: ping.periodMs,
    logger,
    fallback: new PingProber({ count: ping.count, timeoutMs: ping.timeoutMs, logger }),
  });
}

/** The SNMP client, from `polling.snmp`. */
export function snmpClientFrom(snmp: NetdeskConfig['polling']['snmp'], logger: ProbeLogger): SnmpClient {
  return new SnmpClient({ timeoutMs: snmp.timeoutMs, retries: snmp.retries, maxInFlight: snmp.maxInFlight, logger });
}

/** The poller's probes, built from `polling.ping` and `polling.snmp`; PollerService closes them when it stops. */
export const pollerProbeProviders: Provider[] = [
  {
    provide: POLLER_ICMP,
    inject: [NetdeskConfig],
    useFactory: ({ polling }: NetdeskConfig): FpingProber => icmpProberFrom(polling.ping, nestProbeLogger('poller')),
  },
  {
    provide: POLLER_SNMP,
    inject: [NetdeskConfig],
    useFactory: ({ polling }: NetdeskConfig): SnmpClient => snmpClientFrom(polling.snmp, nestProbeLogger('poller')),
  },
];
