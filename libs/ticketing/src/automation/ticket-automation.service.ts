import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, CoalescingRunner, EventBus } from '@netdesk/core';
import { Device, DeviceDirectory } from '@netdesk/inventory';
import { InterfaceReader, MONITORING_EVENTS, StatusHistoryReader } from '@netdesk/monitoring';
import type { DeviceInterface, StatusChange } from '@netdesk/monitoring';
import {
  computePriority,
  Fault,
  FaultChange,
  faultEffects,
  faultKey,
  raisePriority,
  slaDueTimes,
  systemReopen,
  systemResolve,
} from '../domain';
import { EscalationPolicies } from '../escalation/escalation-policies.service';
import { MaintenanceWindows } from '../maintenance/maintenance-windows.service';
import { RoutingRules } from '../routing/routing-rules.service';
import { TICKETING_EVENTS, TicketChangedEvent } from '../ticketing.events';
import { TicketNotifier } from '../notify/ticket-notifier.service';
import { TicketEntity } from '../tickets/ticket.entity';
import { NewEvent, TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { Diagnosis } from './diagnosis.service';
import { TicketingCursorEntity } from './ticketing-cursor.entity';
import { quietWhileDatabaseDown } from '@netdesk/database';

const CURSOR = 'status_history';
const LOCK = 0x6e64_746b; // 'ndtk': one instance turns history into tickets at a time
const BATCH = 200;
/** A gap in history ids older than this is a rolled-back insert, not one still committing. */
const GAP_PATIENCE_MS = 10_000;
/** A history row processed this long after it happened was learned late (results buffered behind a cut WAN). */
const LEARNED_LATE_AFTER_MS = 30_000;

type AfterCommit = {
  publish: { topic: string; ticket: TicketEntity }[];
  notify: { ticket: TicketEntity; event: 'opened' | 'reopened' }[];
  flapping: { ticket: TicketEntity; started: boolean; summary: string }[];
  recovered: { ticket: TicketEntity; summary: string }[];
};

/**
 * Turns monitoring's status history into tickets: one per fault, reopened when it recurs before it is
 * closed, resolved by the system on recovery. It reads the history through a cursor moved in the same
 * transaction as the tickets it writes, under an advisory lock, so after a crash nothing is lost or
 * done twice, and several instances never race. Events on the bus only wake it up; a timer does too.
 */
@Injectable()
export class TicketAutomation implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ticket-automation');
  private readonly runner = new CoalescingRunner(
    async () => (await this.processBatch()) === BATCH,
    quietWhileDatabaseDown((err, suppressed) =>
      this.logger.error({ err, suppressed }, 'ticket automation failed; will retry'),
    ),
  );

  constructor(
    private readonly tickets: TicketRepository,
    private readonly service: TicketsService,
    private readonly devices: DeviceDirectory,
    private readonly history: StatusHistoryReader,
    private readonly interfaces: InterfaceReader,
    private readonly policies: EscalationPolicies,
    private readonly routing: RoutingRules,
    private readonly maintenance: MaintenanceWindows,
    private readonly diagnosis: Diagnosis,
    private readonly notifier: TicketNotifier,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly config: NetdeskConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.start(this.bus, Object.values(MONITORING_EVENTS), this.config.ticketing.automationIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.runner.stop();
  }

  /** Processes everything pending; calls while a run is under way fold into one more run. */
  kick(): Promise<void> {
    return this.runner.kick();
  }

  /** One transaction: up to BATCH history rows after the cursor, their tickets, the cursor moved. */
  async processBatch(): Promise<number> {
    const after: AfterCommit = { publish: [], notify: [], flapping: [], recovered: [] };
    const processed = await this.tickets.transaction(async (m) => {
      const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [LOCK]);
      if (!locked) return 0;
      await m.query(
        `INSERT INTO ticketing_cursor (name, last_history_id) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`,
        [CURSOR],
      );
      const cursor = await m.getRepository(TicketingCursorEntity).findOneByOrFail({ name: CURSOR });
      const rows = await this.history.since(cursor.lastHistoryId, BATCH, m);
      let last = BigInt(cursor.lastHistoryId);
      let count = 0;
      for (const row of rows) {
        const id = BigInt(row.id);
        if (id !== last + 1n && this.clock.now().getTime() - row.at.getTime() < GAP_PATIENCE_MS) break; // an earlier insert may still commit
        await this.handle(row, m, after);
        last = id;
        count++;
      }
      if (count)
        await m.getRepository(TicketingCursorEntity).update({ name: CURSOR }, { lastHistoryId: last.toString() });
      return count;
    });
    for (const { topic, ticket } of after.publish) this.bus.publish<TicketChangedEvent>(topic, { ticket });
    // A ticket whose flapping began in this batch gets the flapping summary instead of a page per reopen.
    const summarised = new Set(after.flapping.filter((f) => f.started).map((f) => f.ticket.id));
    for (const { ticket, event } of after.notify)
      if (!summarised.has(ticket.id)) this.notifier.onTicketEvent(ticket, event);
    for (const { ticket, started, summary } of after.flapping) this.notifier.onFlapping(ticket, started, summary);
    for (const { ticket, summary } of after.recovered) this.notifier.onRecovered(ticket, summary);
    return processed;
  }

  private async handle(row: StatusChange, m: EntityManager, after: AfterCommit): Promise<void> {
    const device = await this.devices.findById(row.deviceId, m);
    if (!device) return;
    const change = toFaultChange(row);
    if (!change) return;
    if (row.kind === 'device_status' && row.toStatus === 'unreachable') await this.noteImpact(device, row, m, after);
    if (row.kind === 'flapping') await this.noteFlapping(device, row, m, after);
    const { opens, clears } = faultEffects(change);
    for (const fault of opens) await this.open(device, fault, row, m, after);
    for (const fault of clears) await this.clear(device, fault, row, m, after);
  }

  private async open(
    device: Device,
    fault: Fault,
    row: StatusChange,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const window = await this.maintenance.activeFor(device, row.at, m);
    if (window) {
      this.logger.log(
        { deviceId: device.id, faultType: fault.faultType, window: window.name },
        'fault inside a maintenance window: no ticket',
      );
      return;
    }
    const key = faultKey(device.id, fault);
    const existing = await this.tickets.lockByFaultKey(key, m);
    if (!existing) return this.create(device, fault, key, row, m, after);
    if (existing.status === 'resolved') {
      const reopened = systemReopen(existing)!;
      await this.service.restart(existing, row.at, m);
      existing.occurrences = reopened.occurrences;
      existing.faultActive = true;
      await this.tickets.save(existing, m);
      await this.tickets.addEvents(
        existing.id,
        [
          {
            at: row.at,
            type: 'reopened',
            actor: 'system',
            message: `the fault is back (occurrence ${existing.occurrences}): ${row.reason ?? fault.faultType}`,
          },
        ],
        m,
      );
      after.publish.push({ topic: TICKETING_EVENTS.updated, ticket: existing });
      if (existing.flapping)
        await this.tickets.addEvents(
          existing.id,
          [
            {
              at: row.at,
              type: 'suppressed',
              actor: 'system',
              message: 'notification held: the fault is flapping (summarised when flapping stops)',
            },
          ],
          m,
        );
      else after.notify.push({ ticket: existing, event: 'reopened' });
    } else if (!existing.faultActive) {
      existing.faultActive = true;
      await this.tickets.save(existing, m);
      after.publish.push({ topic: TICKETING_EVENTS.updated, ticket: existing });
    }
  }

  private async create(
    device: Device,
    fault: Fault,
    key: string,
    row: StatusChange,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const descendants = await this.devices.countDescendants(device.id, m);
    const { priority, explanation } = computePriority({
      criticality: device.criticality,
      faultType: fault.faultType,
      descendants,
    });
    const route = await this.routing.teamFor(device, m);
    const policy = await this.policies.forDevice(device.escalationPolicyId, m);
    const sla = slaDueTimes(priority, row.at);
    const circuits = fault.ifIndex === null ? await this.circuitsOf(device, m) : '';
    const ticket = await this.tickets.insert(
      {
        title: `${titleOf(device, fault, row)}${circuits}`.slice(0, 200),
        status: 'open',
        priority,
        source: 'auto',
        deviceId: device.id,
        ifIndex: fault.ifIndex,
        faultType: fault.faultType,
        faultKey: key,
        faultActive: true,
        team: route.team,
        escalationPolicyId: policy?.id ?? null,
        escalationAnchorAt: row.at,
        impactedCount: descendants,
        flapping: device.flapping,
        openedAt: row.at,
        slaAckDueAt: sla.acknowledgeBy,
        slaResolveDueAt: sla.resolveBy,
      },
      m,
    );
    ticket.nextEscalationAt = await this.policies.firstStepAt(ticket, row.at, m);
    await this.tickets.save(ticket, m);
    const events: NewEvent[] = [
      {
        at: row.at,
        type: 'opened',
        actor: 'system',
        message: `${row.reason ?? fault.faultType} — priority ${explanation}`,
      },
      { at: row.at, type: 'assigned', actor: 'system', message: route.explanation },
      ...(await this.diagnosis.at(device, fault, row.at, m)),
    ];
    if (device.flapping)
      events.push({
        at: row.at,
        type: 'flapping',
        actor: 'system',
        message: 'the device is flapping: one ticket tracks every occurrence',
      });
    const late = this.lateNote(row);
    if (late) events.push(late);
    await this.tickets.addEvents(ticket.id, events, m);
    after.publish.push({ topic: TICKETING_EVENTS.opened, ticket });
    after.notify.push({ ticket, event: 'opened' });
  }

  private async clear(
    device: Device,
    fault: Fault,
    row: StatusChange,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const existing = await this.tickets.lockByFaultKey(faultKey(device.id, fault), m);
    if (!existing) return;
    existing.faultActive = false;
    if (systemResolve(existing)) {
      existing.status = 'resolved';
      existing.resolvedAt = row.at;
      existing.nextEscalationAt = null;
      const message = recoveryMessage(device, fault, row);
      const late = this.lateNote(row);
      await this.tickets.addEvents(
        existing.id,
        [{ at: row.at, type: 'resolved', actor: 'system', message }, ...(late ? [late] : [])],
        m,
      );
      // While flapping, recoveries are held like reopens: the summary at the end of flapping covers them.
      if (!existing.flapping) after.recovered.push({ ticket: existing, summary: message });
    }
    await this.tickets.save(existing, m);
    after.publish.push({ topic: TICKETING_EVENTS.updated, ticket: existing });
  }

  /**
   * The circuits a device terminates (interfaces with a provider or circuit id), named on its device-level
   * tickets: latency or jitter on a WAN link is the circuit's problem as much as the device's.
   */
  private async circuitsOf(device: Device, m: EntityManager): Promise<string> {
    const rows = await this.interfaces.circuits(device.id, m);
    if (!rows.length) return '';
    const label = (i: DeviceInterface) =>
      `${[i.provider, i.circuitId].filter(Boolean).join(' ')} on ${i.name}${i.alias ? ` (${i.alias})` : ''}`;
    return ` — circuit ${rows.map(label).join(', ')}`;
  }

  /**
   * A change that reaches the help desk long after it happened (a branch poller cut off and back) is applied at
   * its real time and says so on the timeline.
   */
  private lateNote(row: StatusChange): NewEvent | null {
    const lateMs = this.clock.now().getTime() - row.at.getTime();
    if (lateMs < LEARNED_LATE_AFTER_MS) return null;
    return {
      at: row.at,
      type: 'learned_late',
      actor: 'system',
      message: `learned late: this happened at ${row.at.toISOString()} and reached NetDesk ${Math.round(lateMs / 1000)} s later (its poller was cut off)`,
    };
  }

  /** A device went unreachable: it is listed on the root cause's ticket, whose priority may rise. */
  private async noteImpact(device: Device, row: StatusChange, m: EntityManager, after: AfterCommit): Promise<void> {
    for (const ancestorId of await this.devices.ancestorIds(device.id, m)) {
      const rootTicket = await this.tickets.lockByFaultKey(
        faultKey(ancestorId, { faultType: 'device_down', ifIndex: null }),
        m,
      );
      if (!rootTicket || rootTicket.status === 'resolved') continue;
      rootTicket.impactedCount = Math.max(rootTicket.impactedCount, await this.devices.countDescendants(ancestorId, m));
      const root = await this.devices.findById(ancestorId, m);
      const events: NewEvent[] = [
        {
          at: row.at,
          type: 'impact',
          actor: 'system',
          message: `${device.name} (${device.host}) is unreachable behind it`,
        },
      ];
      if (root) {
        const raised = raisePriority(
          rootTicket.priority,
          computePriority({
            criticality: root.criticality,
            faultType: 'device_down',
            descendants: rootTicket.impactedCount,
          }).priority,
        );
        if (raised !== rootTicket.priority) {
          events.push({
            at: row.at,
            type: 'priority_changed',
            actor: 'system',
            message: `priority raised from ${rootTicket.priority} to ${raised}: more devices are cut off`,
          });
          rootTicket.priority = raised;
        }
      }
      await this.tickets.save(rootTicket, m);
      await this.tickets.addEvents(rootTicket.id, events, m);
      after.publish.push({ topic: TICKETING_EVENTS.updated, ticket: rootTicket });
      return;
    }
  }

  private async noteFlapping(device: Device, row: StatusChange, m: EntityManager, after: AfterCommit): Promise<void> {
    const flapping = row.toStatus === 'flapping';
    for (const ticket of await this.tickets.list({ deviceId: device.id })) {
      if (ticket.status === 'closed' || ticket.flapping === flapping) continue;
      const locked = (await this.tickets.lock(ticket.id, m))!;
      locked.flapping = flapping;
      await this.tickets.save(locked, m);
      let summary: string;
      if (flapping) {
        summary = `${device.name} is flapping (${row.reason}): further reopens and recoveries are held until it settles`;
      } else {
        const since = (await this.tickets.lastEvent(locked.id, 'flapping', m))?.at ?? locked.openedAt;
        const held = await this.tickets.countEvents(locked.id, 'suppressed', since, m);
        const state = locked.status === 'resolved' ? 'recovered' : 'still present';
        summary = `${device.name} stopped flapping: ${held} reopen(s) held while it flapped; the fault is ${state}`;
      }
      await this.tickets.addEvents(
        locked.id,
        [
          {
            at: row.at,
            type: 'flapping',
            actor: 'system',
            message: flapping ? `flapping: ${row.reason}` : 'stopped flapping',
          },
        ],
        m,
      );
      after.publish.push({ topic: TICKETING_EVENTS.updated, ticket: locked });
      after.flapping.push({ ticket: locked, started: flapping, summary });
    }
  }
}

function toFaultChange(row: StatusChange): FaultChange | null {
  switch (row.kind) {
    case 'device_status':
      return {
        kind: 'device_status',
        to: row.toStatus as Device['status'],
        causes: (row.detail?.causes ?? []) as ('latency' | 'loss' | 'snmp' | 'interface')[],
      };
    case 'interface_status':
      return { kind: 'interface_status', ifIndex: row.ifIndex!, to: row.toStatus!, monitored: row.detail?.monitored };
    case 'device_rebooted':
      return { kind: 'device_rebooted' };
    case 'flapping':
      return { kind: 'flapping' };
    case 'threshold':
      return {
        kind: 'threshold',
        faultType: row.detail?.faultType as Fault['faultType'],
        ifIndex: row.ifIndex,
        breached: row.toStatus === 'breached',
      };
  }
}

function interfaceLabel(fault: Fault, row: StatusChange): string {
  const name = row.detail?.name ?? `ifIndex ${fault.ifIndex}`;
  return row.detail?.alias ? `${name} (${row.detail.alias})` : name;
}

function titleOf(device: Device, fault: Fault, row: StatusChange): string {
  const titles: Record<Fault['faultType'], string> = {
    device_down: `${device.name} is down`,
    interface_down: `Interface ${interfaceLabel(fault, row)} down on ${device.name}`,
    device_rebooted: `${device.name} rebooted`,
    high_latency: `High latency to ${device.name}`,
    packet_loss: `Packet loss to ${device.name}`,
    link_utilisation: `${device.name}: ${row.reason}`,
    interface_errors: `${device.name}: ${row.reason}`,
    high_cpu: `${device.name}: ${row.reason}`,
    high_memory: `${device.name}: ${row.reason}`,
    high_jitter: `${device.name}: ${row.reason}`,
  };
  return titles[fault.faultType].slice(0, 200);
}

function recoveryMessage(device: Device, fault: Fault, row: StatusChange): string {
  if (fault.faultType === 'device_rebooted')
    return `${device.name} is back after a reboot (${row.reason ?? 'sysUpTime reset'})`;
  if (fault.faultType === 'interface_down') return `interface ${interfaceLabel(fault, row)} is up again`;
  if (row.kind === 'threshold') return `recovered: ${device.name} ${row.reason ?? ''}`.trim();
  return `recovered: ${device.name} is ${row.toStatus}${row.reason ? ` (${row.reason})` : ''}`;
}
