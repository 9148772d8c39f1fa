import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, EventBus } from '@netdesk/core';
import { DeviceChangedEvent, Device, DeviceDirectory, INVENTORY_EVENTS, SnmpSecretCodec } from '@netdesk/inventory';
import { HealthService, MetricsService } from '@netdesk/observability';
import { Counter } from 'prom-client';
import { FpingProber, SnmpClient, TrapEvent, TrapReceiver } from '../probes';
import { PollerHealthService } from '../self-monitoring';
import { resolveThresholds, type CircuitSettings, type InterfaceSelection } from '../domain';
import { THRESHOLD_EVENTS, ThresholdsService } from '../thresholds/thresholds.service';
import { DeviceInterfaceEntity } from './device-interface.entity';
import { MonitoringRepository } from './monitoring.repository';
import { MonitoringStore } from './monitoring-store';
import { nestProbeLogger } from '../nest-probe-logger';
import { PollEngine } from './poll-engine';
import type { MonitoredDevice } from './poll-engine.types';
import { pollEngineConfigFrom } from './poll-engine.config';
import { POLLER_ICMP, POLLER_SNMP } from './poller-probes.providers';
import { TrapRouter } from './trap-router';

/**
 * Runs the poll engine inside the service: loads the inventory, follows its changes, receives traps
 * (a trap from a known device triggers an immediate poll), and stops cleanly with the application.
 */
@Injectable()
export class PollerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('poller');
  private readonly probeLogger = nestProbeLogger('poller');
  private engine?: PollEngine;
  private traps?: TrapReceiver;
  private readonly trapRouter = new TrapRouter(this.probeLogger);
  private readonly unsubscribe: (() => void)[] = [];
  private readonly trapCounter: Counter<'result'>;

  constructor(
    private readonly config: NetdeskConfig,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly devices: DeviceDirectory,
    private readonly codec: SnmpSecretCodec,
    private readonly repo: MonitoringRepository,
    private readonly store: MonitoringStore,
    private readonly health: PollerHealthService,
    private readonly thresholds: ThresholdsService,
    metrics: MetricsService,
    private readonly healthChecks: HealthService,
    @Inject(POLLER_ICMP) readonly icmp: FpingProber,
    @Inject(POLLER_SNMP) readonly snmp: SnmpClient,
  ) {
    this.trapCounter = new Counter({
      name: 'netdesk_traps_total',
      help: 'SNMP traps received, by what was done with them',
      labelNames: ['result'],
      registers: [metrics.registry],
    });
  }

  private stopping?: Promise<void>;
  private trapsError?: string;

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.pollerEnabled) {
      this.logger.log('poller disabled (NETDESK_POLLER=false)');
      return;
    }
    const { polling } = this.config;
    this.engine = new PollEngine({
      icmp: this.icmp,
      snmp: this.snmp,
      sink: this.store,
      clock: this.clock,
      logger: this.probeLogger,
      onLag: (lagMs, intervalSec) => this.health.recordPollLag(lagMs, intervalSec),
      onRound: (round) => this.health.recordCycle(round),
      config: pollEngineConfigFrom(polling),
    });
    this.healthChecks.register('icmp', async () => {
      const st = await this.icmp.status();
      return st.mode === 'fping'
        ? { status: 'ok', mode: st.mode, path: st.path }
        : { status: 'degraded', mode: st.mode, reason: st.reason, note: 'polling with the system ping (slower)' };
    });
    this.healthChecks.register('traps', () =>
      this.trapsError
        ? { status: 'degraded', error: this.trapsError, note: 'traps are off; polling continues' }
        : { status: 'ok', port: this.config.trapPort, address: this.config.polling.trapBind },
    );
    // Started before the first load: its devices are upserted together, so they still share the first
    // round, and polling does not wait for the device names to resolve for the trap router.
    this.engine.start();
    await this.load(await this.devices.list());
    this.unsubscribe.push(
      this.bus.subscribe<DeviceChangedEvent>(INVENTORY_EVENTS.deviceSaved, async ({ deviceIds }) =>
        this.load(await this.devices.findByIds(deviceIds)),
      ),
      this.bus.subscribe<DeviceChangedEvent>(INVENTORY_EVENTS.deviceRemoved, ({ deviceIds }) =>
        deviceIds.forEach((id) => this.forget(id)),
      ),
      // New defaults: every device's thresholds are resolved again (once, not per poll).
      this.bus.subscribe(THRESHOLD_EVENTS.changed, async () => this.load(await this.devices.list())),
    );
    await this.startTraps();
    this.logger.log({ devices: this.engine.stats().devices, icmp: (await this.icmp.status()).mode }, 'poller started');
  }

  /**
   * Stops polling and writes what the polls found (status changes, last polls). Called first by the
   * service's ordered shutdown, before requests drain and the measurements are flushed; idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.unsubscribe.forEach((off) => off());
      await this.traps?.stop().catch(() => undefined);
      await this.engine?.stop();
      await this.store.flush();
      this.snmp.closeAll();
      this.icmp.close();
    })();
    return this.stopping;
  }

  onApplicationShutdown(): Promise<void> {
    return this.stop();
  }

  /** Polls one device now (trap, operator); false when the device is not watched. */
  pollNow(deviceId: string): boolean {
    return this.engine?.pollNow(deviceId) ?? false;
  }

  /** Re-reads one device (its interface choices changed). */
  reload(device: Device): void {
    void this.load([device]);
  }

  stats() {
    return { engine: this.engine?.stats() ?? null, snmp: this.snmp.stats(), traps: this.traps?.counters() ?? null };
  }

  private async load(devices: Device[]): Promise<void> {
    if (!this.engine || !devices.length) return;
    const settings = await this.thresholds.settings();
    const known = await this.repo.interfacesOf(devices.map((d) => d.id));
    const breached = await this.repo.breachedThresholds(devices.map((d) => d.id));
    const interfacesOf = new Map<string, DeviceInterfaceEntity[]>();
    for (const i of known) interfacesOf.set(i.deviceId, [...(interfacesOf.get(i.deviceId) ?? []), i]);
    for (const d of devices) {
      let snmp: MonitoredDevice['snmp'] = null;
      try {
        snmp = this.codec.open(d);
      } catch (err) {
        this.logger.error(
          { err, deviceId: d.id },
          'stored SNMP credentials cannot be decrypted (was NETDESK_SECRET_KEY changed?); polling by ping only',
        );
      }
      const ifs = interfacesOf.get(d.id) ?? [];
      const limits = resolveThresholds(settings, d.kind, d.thresholds);
      this.engine.upsert({
        id: d.id,
        name: d.name,
        host: d.host,
        pollIntervalSec: d.pollIntervalSec,
        parentId: d.parentId,
        snmp,
        status: d.status,
        statusSince: d.statusSince,
        statusReason: d.statusReason,
        flapping: d.flapping,
        interfaceSelection: selectionOf(ifs),
        thresholds: { maxRttMs: limits.rttMs, maxLossPct: limits.lossPct, degradeAfter: limits.forPolls },
        limits,
        circuits: circuitsOf(ifs),
        judgeAllInterfaces: d.kind === 'wan-link',
        breachedThresholds: (breached.get(d.id) ?? []) as MonitoredDevice['breachedThresholds'],
        knownInterfaces: ifs.map((i) => ({
          ifIndex: i.ifIndex,
          name: i.name,
          alias: i.alias,
          adminStatus: i.adminStatus,
          operStatus: i.operStatus,
        })),
      } as MonitoredDevice);
    }
    // Traps arrive from addresses; devices may be known by name.
    await Promise.all(devices.map((d) => this.trapRouter.index(d.id, d.host)));
  }

  private forget(deviceId: string): void {
    this.engine?.remove(deviceId);
    this.trapRouter.forget(deviceId);
  }

  private async startTraps(): Promise<void> {
    this.traps = new TrapReceiver({
      port: this.config.trapPort,
      address: this.config.polling.trapBind,
      logger: this.probeLogger,
      onTrap: (trap: TrapEvent) => this.onTrap(trap),
    });
    try {
      const bound = await this.traps.start();
      this.logger.log(bound, 'trap receiver listening');
    } catch (err) {
      // Monitoring works without traps (polls still find everything); say so loudly, in one line.
      const { trapPort: port } = this.config;
      const bind = this.config.polling.trapBind;
      const code = (err as NodeJS.ErrnoException)?.code;
      this.trapsError =
        code === 'EADDRINUSE'
          ? `UDP port ${port} on ${bind} is already in use (EADDRINUSE, e.g. by snmptrapd): free it or set NETDESK_TRAP_PORT to another port`
          : code === 'EACCES'
            ? `not allowed to listen on UDP port ${port} (EACCES): run as root, grant CAP_NET_BIND_SERVICE, or set NETDESK_TRAP_PORT to 1024 or above`
            : `could not listen on UDP ${bind}:${port}: ${(err as Error)?.message ?? String(err)}`;
      this.logger.error({ port, address: bind, code }, `trap receiver off: ${this.trapsError}; polling continues`);
      this.traps = undefined;
    }
  }

  private onTrap(trap: TrapEvent): void {
    const deviceId = this.trapRouter.deviceFor(trap.source);
    if (!deviceId) {
      this.trapCounter.inc({ result: 'unknown_source' });
      this.logger.debug({ source: trap.source, kind: trap.kind }, 'trap from an unknown source ignored');
      return;
    }
    this.trapCounter.inc({ result: 'repoll' });
    this.logger.log({ deviceId, kind: trap.kind, ifIndex: trap.ifIndex }, 'trap received; polling now');
    this.pollNow(deviceId);
  }
}

/** The operator's per-interface choices as the domain's include/exclude lists. */
function selectionOf(interfaces: DeviceInterfaceEntity[]): InterfaceSelection {
  return {
    include: interfaces.filter((i) => i.monitoredOverride === true).map((i) => i.ifIndex),
    exclude: interfaces.filter((i) => i.monitoredOverride === false).map((i) => i.ifIndex),
  };
}

/** Interfaces with a circuit or a threshold of their own. */
function circuitsOf(interfaces: DeviceInterfaceEntity[]): Record<number, CircuitSettings> {
  const out: Record<number, CircuitSettings> = {};
  for (const i of interfaces)
    if (i.capacityBps !== null || i.provider !== null || i.circuitId !== null || i.utilisationPct !== null)
      out[i.ifIndex] = {
        capacityBps: i.capacityBps,
        provider: i.provider,
        circuitId: i.circuitId,
        utilisationPct: i.utilisationPct,
      };
  return out;
}
