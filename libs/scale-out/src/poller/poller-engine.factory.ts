import { NetdeskConfig } from '@netdesk/config';
import { Clock } from '@netdesk/core';
import { DEFAULT_POLL_ENGINE_CONFIG, FpingProber, PingProber, PollEngine, SnmpClient } from '@netdesk/monitoring';
import type { IcmpProber, PollSink, ProbeLogger } from '@netdesk/monitoring';

/** The probes a poller keeps for its whole life (poll engines come and go with lease terms). */
export function createProbes(config: NetdeskConfig, logger: ProbeLogger): { icmp: IcmpProber; snmp: SnmpClient } {
  const { polling } = config;
  const icmp = new FpingProber({
    count: polling.ping.count,
    timeoutMs: polling.ping.timeoutMs,
    periodMs: polling.ping.periodMs,
    logger,
    fallback: new PingProber({ count: polling.ping.count, timeoutMs: polling.ping.timeoutMs, logger }),
  });
  const snmp = new SnmpClient({
    timeoutMs: polling.snmp.timeoutMs,
    retries: polling.snmp.retries,
    maxInFlight: polling.snmp.maxInFlight,
    logger,
  });
  return { icmp, snmp };
}

/** A poll engine for one lease term, writing through that term's sink. */
export function createPollEngine(
  config: NetdeskConfig,
  deps: {
    icmp: IcmpProber;
    snmp: SnmpClient;
    sink: PollSink;
    clock: Clock;
    logger: ProbeLogger;
    onLag: (lagMs: number) => void;
  },
): PollEngine {
  const { polling } = config;
  return new PollEngine({
    ...deps,
    config: {
      ...DEFAULT_POLL_ENGINE_CONFIG,
      stateMachine: {
        downAfter: polling.downAfter,
        upAfter: polling.upAfter,
        maxLossPct: polling.lossThresholdPct,
        maxRttMs: polling.rttThresholdMs,
      },
      flap: { highPct: polling.flapHighPct, lowPct: polling.flapLowPct },
      recheckSpacingMs: polling.recheckMs,
    },
  });
}
