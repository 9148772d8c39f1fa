import { Column, Entity, Generated, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import {
  FAULT_TYPES,
  FaultType,
  PRIORITIES,
  Priority,
  TICKET_SOURCES,
  TICKET_STATUSES,
  TicketSource,
  TicketStatus,
} from '../ticketing.types';

/**
 * A help-desk ticket. An automatic one stands for one fault (device, fault type, interface): the
 * partial unique index on `fault_key` lets at most one ticket per fault be not yet closed, whatever
 * the number of writers.
 */
@Entity('tickets')
@Unique('tickets_number_key', ['number'])
@Index('tickets_open_fault_key', ['faultKey'], { unique: true, where: `status <> 'closed' AND fault_key IS NOT NULL` })
@Index('tickets_status_idx', ['status'])
@Index('tickets_device_idx', ['deviceId'])
@Index('tickets_parent_idx', ['parentTicketId'], { where: 'parent_ticket_id IS NOT NULL' })
@Index('tickets_next_escalation_idx', ['nextEscalationAt'], { where: 'next_escalation_at IS NOT NULL' })
export class TicketEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'int' })
  @Generated('increment')
  number: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'enum', enum: TICKET_STATUSES, enumName: 'ticket_status', default: 'open' })
  status: TicketStatus;

  @Column({ type: 'enum', enum: PRIORITIES, enumName: 'ticket_priority' })
  priority: Priority;

  @Column({ type: 'enum', enum: TICKET_SOURCES, enumName: 'ticket_source' })
  source: TicketSource;

  /** No FK: a ticket outlives the device it was about. */
  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId: string | null;

  @Column({ name: 'if_index', type: 'int', nullable: true })
  ifIndex: number | null;

  @Column({ name: 'fault_type', type: 'enum', enum: FAULT_TYPES, enumName: 'fault_type' })
  faultType: FaultType;

  /** `<deviceId>:<faultType>:<ifIndex>` for automatic tickets; null for manual ones. */
  @Column({ name: 'fault_key', type: 'varchar', length: 100, nullable: true })
  faultKey: string | null;

  /** Whether the fault is present now (an auto ticket cannot be resolved by hand while it is). */
  @Column({ name: 'fault_active', type: 'boolean', default: false })
  faultActive: boolean;

  @Column({ name: 'escalation_level', type: 'int', default: 0 })
  escalationLevel: number;

  @Column({ name: 'escalation_policy_id', type: 'uuid', nullable: true })
  escalationPolicyId: string | null;

  /** When the next escalation step is due; null once acknowledged, resolved or the policy is exhausted. */
  @Column({ name: 'next_escalation_at', type: 'timestamptz', nullable: true })
  nextEscalationAt: Date | null;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  team: string | null;

  @Column({ type: 'boolean', default: false })
  recurring: boolean;

  @Column({ type: 'boolean', default: false })
  flapping: boolean;

  @Column({ type: 'int', default: 1 })
  occurrences: number;

  /** Devices behind this one when the fault opened or grew (dependency impact). */
  @Column({ name: 'impacted_count', type: 'int', default: 0 })
  impactedCount: number;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  /** The user who acknowledged it (null: not acknowledged, or before this was recorded). */
  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  /** What the agent (or the system) wrote when resolving; shown to the next agent as "last time: …". */
  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  /** Escalation delays count from here: the opening, or the latest reopening. */
  @Column({ name: 'escalation_anchor_at', type: 'timestamptz' })
  escalationAnchorAt: Date;

  @Column({ name: 'sla_ack_due_at', type: 'timestamptz', nullable: true })
  slaAckDueAt: Date | null;

  @Column({ name: 'sla_resolve_due_at', type: 'timestamptz', nullable: true })
  slaResolveDueAt: Date | null;

  /** SLA targets already recorded as breached: `ack`, `resolve`. */
  @Column({ name: 'sla_breaches', type: 'text', array: true, default: () => "'{}'" })
  slaBreaches: string[];

  /** The people who asked (an `email` ticket's senders); empty for tickets nobody asked for. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  requesters: Requester[];

  /** The incident this request is linked to (no FK: either may be closed and kept alone). */
  @Column({ name: 'parent_ticket_id', type: 'uuid', nullable: true })
  parentTicketId: string | null;
}

export interface Requester {
  email: string;
  name?: string;
}
