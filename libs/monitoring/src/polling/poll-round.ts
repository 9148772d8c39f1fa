import type { Clock } from '@netdesk/core';
import type {
  FpingProbeOptions,
  PingResult,
  ProbeLogger,
  SnmpHostResources,
  SnmpInterface,
  SnmpSystemInfo,
  SnmpTarget,
} from '../probes';
import type { DeviceEntry } from './device-entry';
import type { PollEngineConfig } from './poll-engine.config';

/** Batch ICMP: one call probes many hosts (FpingProber; PingProber.probeMany as the fallback). */
export interface IcmpProber {
  /** `options` overrides the echo count and timings for this call (the quick re-probes of silent devices). */
  probe(hosts: readonly string[], options?: FpingProbeOptions): Promise<PingResult[]>;
}

/** The part of SnmpClient the engine uses. */
export interface SnmpPoller {
  pollSystem(target: SnmpTarget): Promise<SnmpSystemInfo>;
  pollInterfaces(target: SnmpTarget): Promise<{ interfaces: SnmpInterface[] }>;
  pollHostResources(target: SnmpTarget): Promise<SnmpHostResources>;
  forget(deviceId: string): void;
}

export interface SnmpOutcome {
  answered: boolean;
  /** When the system group answered: counters and sysUpTime are dated by it, not by when the poll ended. */
  systemAt?: Date;
  error?: string;
  system?: SnmpSystemInfo;
  interfaces?: SnmpInterface[];
  hostResources?: SnmpHostResources | null;
}

/** What one round found: each host's echo replies, and each SNMP device's answer as it comes. */
export interface RoundProbes {
  ping(host: string): PingResult | null;
  /** Undefined for a device polled by ICMP alone. */
  snmp(deviceId: string): Promise<SnmpOutcome> | undefined;
}

/**
 * Probes one round of devices: one ICMP call for all their hosts, with SNMP alongside (a full poll, or
 * for the quick re-probes of silent devices the system group alone within `silentRecheck.timeoutMs`).
 */
export class RoundProber {
  constructor(
    private readonly deps: {
      icmp: IcmpProber;
      snmp: SnmpPoller;
      clock: Clock;
      config: PollEngineConfig;
      log: ProbeLogger;
    },
  ) {}

  /**
   * Null when the round says nothing about the hosts (the prober failed, or could send nothing): then
   * the SNMP polls have settled and every device should be re-polled soon.
   */
  async probe(entries: readonly DeviceEntry[], quick: boolean): Promise<RoundProbes | null> {
    const { silentRecheck } = this.deps.config;
    const snmp = new Map(
      entries.filter((e) => e.device.snmp).map((e) => [e.device.id, quick ? this.pollSnmpQuick(e) : this.pollSnmp(e)]),
    );
    const hosts = [...new Set(entries.map((e) => e.device.host))];
    const results = await (
      quick
        ? this.deps.icmp.probe(hosts, {
            count: silentRecheck.pingCount,
            periodMs: silentRecheck.pingPeriodMs,
            timeoutMs: Math.max(
              50,
              silentRecheck.timeoutMs - (silentRecheck.pingCount - 1) * silentRecheck.pingPeriodMs,
            ),
          })
        : this.deps.icmp.probe(hosts)
    ).catch((err: unknown) => {
      // The prober itself failed (not the hosts): judge nothing by ICMP this round, re-probe soon.
      this.deps.log.warn({ err, hosts: entries.length }, 'ICMP round failed; re-polling its devices');
      return null;
    });
    // A round that could send nothing at all (fping failed to start, say) says nothing about the hosts.
    const blind = results !== null && results.length > 0 && results.every((r) => r.sent === 0 && r.error);
    if (blind)
      this.deps.log.warn(
        { hosts: entries.length, error: results[0].error },
        'ICMP round sent nothing; re-polling its devices',
      );
    if (!results || blind) {
      await Promise.allSettled(snmp.values());
      return null;
    }
    const icmp = new Map(results.map((r) => [r.host, r]));
    return {
      ping: (host) => icmp.get(host) ?? null,
      snmp: (deviceId) => snmp.get(deviceId),
    };
  }

  /** A silent device's re-probe: the system group only, given `silentRecheck.timeoutMs`. */
  private async pollSnmpQuick(e: DeviceEntry): Promise<SnmpOutcome> {
    const target: SnmpTarget = { deviceId: e.device.id, host: e.device.host, credentials: e.device.snmp! };
    const { timeoutMs } = this.deps.config.silentRecheck;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      // the request itself may go on (its own timeout and retry); its late answer is ignored
      const request = this.deps.snmp.pollSystem(target);
      request.catch(() => undefined);
      const system = await Promise.race([request, deadline]);
      return { answered: true, systemAt: this.deps.clock.now(), system };
    } catch (err) {
      return { answered: false, error: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  private async pollSnmp(e: DeviceEntry): Promise<SnmpOutcome> {
    const target: SnmpTarget = { deviceId: e.device.id, host: e.device.host, credentials: e.device.snmp! };
    let system: SnmpSystemInfo;
    try {
      system = await this.deps.snmp.pollSystem(target);
    } catch (err) {
      return { answered: false, error: (err as Error).message };
    }
    const systemAt = this.deps.clock.now();
    const [interfaces, hostResources] = await Promise.all([
      this.deps.snmp.pollInterfaces(target).then(
        (r) => r.interfaces,
        (err) => {
          this.deps.log.debug({ err, deviceId: e.device.id }, 'interface walk failed');
          return undefined;
        },
      ),
      this.deps.config.pollHostResources
        ? this.deps.snmp.pollHostResources(target).catch(() => null)
        : Promise.resolve(null),
    ]);
    return { answered: true, systemAt, system, interfaces, hostResources };
  }
}
