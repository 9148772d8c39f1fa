import type { DataSource } from 'typeorm';
import { DeviceEntity } from '../../libs/inventory/src/device.entity';
import { DeviceRepository } from '../../libs/inventory/src/device.repository';
import { DeviceStatusRepository } from '../../libs/inventory/src/device-status.repository';
import { DeviceInterfaceRepository } from '../../libs/monitoring/src/polling/device-interface.repository';
import { StatusHistoryRepository } from '../../libs/monitoring/src/polling/status-history.repository';
import { EpisodeRepository } from '../../libs/reports/src/episodes/episode.repository';
import { MaintenanceWindowRepository } from '../../libs/ticketing/src/maintenance/maintenance-window.reader';
import { TicketStatisticsRepository } from '../../libs/ticketing/src/statistics/ticket-statistics.repository';
import { TicketRepository } from '../../libs/ticketing/src/tickets/ticket.repository';

/**
 * The owners' implementations of the read ports (docs/decisions.md, "Bounded contexts"), built on one data
 * source, for medium tests of a repository that reads another context through them.
 */
export function contextPorts(ds: DataSource) {
  const tickets = new TicketRepository(ds);
  return {
    devices: new DeviceRepository(ds.getRepository(DeviceEntity), ds),
    deviceStatus: new DeviceStatusRepository(ds),
    history: new StatusHistoryRepository(),
    interfaces: new DeviceInterfaceRepository(ds),
    tickets,
    ticketStatistics: new TicketStatisticsRepository(ds),
    maintenanceWindows: new MaintenanceWindowRepository(ds),
  };
}

export function episodeRepository(ds: DataSource): EpisodeRepository {
  const p = contextPorts(ds);
  return new EpisodeRepository(ds, p.history, p.devices, p.tickets, p.tickets, p.maintenanceWindows);
}
