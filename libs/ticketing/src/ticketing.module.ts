import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@netdesk/auth';
import { EscalationPolicyLookup, InventoryModule, MaintenanceCalendarSource } from '@netdesk/inventory';
import { PollingModule } from '@netdesk/monitoring';
import { NotificationsModule } from '@netdesk/notifications';
import { Diagnosis } from './automation/diagnosis.service';
import { TicketAutomation } from './automation/ticket-automation.service';
import { StatusChangeHandler } from './automation/status-change.handler';
import { FaultTicketLifecycle } from './automation/fault-ticket-lifecycle.service';
import { FaultTicketOpener } from './automation/fault-ticket-opener.service';
import { ImpactPropagator } from './automation/impact-propagator.service';
import { FlappingTracker } from './automation/flapping-tracker.service';
import { PollerGroupTickets } from './automation/poller-group-tickets.service';
import { TicketingCursorEntity } from './automation/ticketing-cursor.entity';
import { EscalationPolicies } from './escalation/escalation-policies.service';
import { EscalationPolicyEntity } from './escalation/escalation-policy.entity';
import { TicketTimers } from './escalation/ticket-timers.service';
import { MaintenanceWindowEntity } from './maintenance/maintenance-window.entity';
import { MaintenanceWindowReader, MaintenanceWindowRepository } from './maintenance/maintenance-window.reader';
import { MaintenanceWindows } from './maintenance/maintenance-windows.service';
import { TicketNotifier } from './notify/ticket-notifier.service';
import { RoutingRuleEntity } from './routing/routing-rule.entity';
import { RoutingRules } from './routing/routing-rules.service';
import { TicketingAdminController } from './ticketing-admin.controller';
import { TicketEntity } from './tickets/ticket.entity';
import { TicketEventEntity } from './tickets/ticket-event.entity';
import { TicketStatistics } from './statistics/ticket-statistics.port';
import { TicketStatisticsRepository } from './statistics/ticket-statistics.repository';
import { TicketRepository } from './tickets/ticket.repository';
import { TicketReader, TicketWriter } from './tickets/ticket.ports';
import { TicketsController } from './tickets/tickets.controller';
import { TicketsService } from './tickets/tickets.service';
import { PeopleDirectory } from './tickets/people.directory';

/**
 * The help desk: tickets and their timeline, automatic tickets from monitoring's history, routing,
 * escalation, SLAs, maintenance windows and notifications. Global only to give inventory the
 * escalation-policy lookup it validates devices with and the maintenance calendar of its device representation.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([
      TicketEntity,
      TicketEventEntity,
      EscalationPolicyEntity,
      RoutingRuleEntity,
      MaintenanceWindowEntity,
      TicketingCursorEntity,
    ]),
    AuthModule,
    InventoryModule,
    PollingModule,
    NotificationsModule,
  ],
  controllers: [TicketsController, TicketingAdminController],
  providers: [
    TicketRepository,
    TicketsService,
    EscalationPolicies,
    RoutingRules,
    MaintenanceWindows,
    Diagnosis,
    TicketNotifier,
    FaultTicketOpener,
    FaultTicketLifecycle,
    ImpactPropagator,
    FlappingTracker,
    StatusChangeHandler,
    TicketAutomation,
    PollerGroupTickets,
    TicketTimers,
    PeopleDirectory,
    { provide: EscalationPolicyLookup, useExisting: EscalationPolicies },
    { provide: MaintenanceCalendarSource, useExisting: MaintenanceWindows },
    { provide: TicketReader, useExisting: TicketRepository },
    { provide: TicketWriter, useExisting: TicketRepository },
    { provide: MaintenanceWindowReader, useClass: MaintenanceWindowRepository },
    { provide: TicketStatistics, useClass: TicketStatisticsRepository },
  ],
  exports: [
    TicketsService,
    PeopleDirectory,
    EscalationPolicyLookup,
    MaintenanceCalendarSource,
    TicketReader,
    TicketWriter,
    MaintenanceWindowReader,
    TicketStatistics,
  ],
})
export class TicketingModule {}
