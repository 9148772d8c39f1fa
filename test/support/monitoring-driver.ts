import type { INestApplication } from '@nestjs/common';
import type { MonitoringChange } from '@netdesk/monitoring';
import { EpisodeRecorder } from '@netdesk/reports';
import { TicketAutomation } from '@netdesk/ticketing';
import { MonitoringStore } from '../../libs/monitoring/src/polling/monitoring-store';

/** A device status change as the poller hands it to its store. */
export function statusChange(
  deviceId: string,
  from: string,
  to: string,
  at: Date,
  causes: string[] = [],
): MonitoringChange {
  return { kind: 'device_status', deviceId, from, to, reason: `${from} → ${to}`, causes, at } as MonitoringChange;
}

/**
 * Drives the product from monitoring's boundary: `happen` stores changes through the real store (which
 * publishes them), then lets the history consumers (tickets, fault episodes) catch up.
 */
export function monitoringDriver(app: INestApplication): { happen(...changes: MonitoringChange[]): Promise<void> } {
  return {
    async happen(...changes) {
      for (const change of changes) await app.get(MonitoringStore).commit([change]);
      await app.get(TicketAutomation).kick();
      await app.get(EpisodeRecorder).kick();
    },
  };
}
