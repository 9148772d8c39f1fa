import { NetdeskConfig } from '@netdesk/config';
import { Clock } from '@netdesk/core';
import { icmpProberFrom, PollEngine, pollEngineConfigFrom, SnmpClient, snmpClientFrom } from '@netdesk/monitoring';
import type { IcmpProber, PollSink, ProbeLogger } from '@netdesk/monitoring';

/** The probes a poller keeps for its whole life (poll engines come and go with lease terms). */
export function createProbes(config: NetdeskConfig, logger: ProbeLogger): { icmp: IcmpProber; snmp: SnmpClient } {
  return { icmp: icmpProberFrom(config.polling.ping, logger), snmp: snmpClientFrom(config.polling.snmp, logger) };
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
  return new PollEngine({ ...deps, config: pollEngineConfigFrom(config.polling) });
}
