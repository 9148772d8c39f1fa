import { DeviceEntity } from './device.entity';
import type { DeviceSummaryRow } from './device.repository';
import type { DeviceKind, DeviceStatus } from './inventory.types';
import { DeviceResponseDto } from './dto/device.dto';
import { SiteEntity } from './site.entity';
import { SiteResponseDto } from './dto/site.dto';
import { DevicePollerView, NO_POLLER_VIEW } from './poller-view.port';

/**
 * The only way a device leaves the API. SNMP secrets are dropped here: only version and port remain.
 * `maintenanceUntil`: the end of the maintenance covering the device now (see `MaintenanceCalendar`).
 */
export function toDeviceResponse(
  d: DeviceEntity,
  maintenanceUntil: Date | null = null,
  poller: DevicePollerView = NO_POLLER_VIEW,
): DeviceResponseDto {
  return {
    id: d.id,
    name: d.name,
    host: d.host,
    siteId: d.siteId,
    parentId: d.parentId,
    kind: d.kind,
    criticality: d.criticality,
    pollIntervalSec: d.pollIntervalSec,
    tags: d.tags,
    team: d.team,
    escalationPolicyId: d.escalationPolicyId,
    snmp: d.snmpVersion ? { version: d.snmpVersion, port: d.snmpPort ?? 161, configured: true } : null,
    status: d.status,
    statusSince: d.statusSince.toISOString(),
    statusReason: d.statusReason,
    flapping: d.flapping,
    inMaintenance: maintenanceUntil !== null,
    maintenanceUntil: maintenanceUntil?.toISOString() ?? null,
    pollerName: poller.pollerName,
    stale: poller.stale,
    lastPoll: d.lastPollAt ? { at: d.lastPollAt.toISOString(), rttMs: d.lastRttMs, lossPct: d.lastLossPct } : null,
    thresholds: d.thresholds ?? {},
    ...(d.sysName !== null && { sysName: d.sysName }),
    ...(d.sysDescr !== null && { sysDescr: d.sysDescr }),
    ...(d.uptimeSec !== null && { uptimeSec: d.uptimeSec }),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/**
 * What a status board needs of a device: identity, place in the topology and current state (60 % of
 * the full representation's bytes); the live feed sends it to clients that ask for it.
 */
export interface DeviceSummary {
  id: string;
  name: string;
  host: string;
  siteId: string | null;
  parentId: string | null;
  kind: DeviceKind;
  status: DeviceStatus;
  statusSince: string;
  statusReason: string | null;
  flapping: boolean;
  inMaintenance: boolean;
  maintenanceUntil: string | null;
  pollerName: string | null;
  stale: boolean;
  tags: string[];
  sysName?: string;
}

export function toDeviceSummary(
  r: DeviceSummaryRow,
  maintenanceUntil: Date | null = null,
  poller: DevicePollerView = NO_POLLER_VIEW,
): DeviceSummary {
  return {
    id: r.id,
    name: r.name,
    host: r.host,
    siteId: r.site_id,
    parentId: r.parent_id,
    kind: r.kind,
    status: r.status,
    statusSince: r.status_since,
    statusReason: r.status_reason,
    flapping: r.flapping,
    inMaintenance: maintenanceUntil !== null,
    maintenanceUntil: maintenanceUntil?.toISOString() ?? null,
    pollerName: poller.pollerName,
    stale: poller.stale,
    tags: r.tags,
    ...(r.sys_name !== null && { sysName: r.sys_name }),
  };
}

export function toSiteResponse(s: SiteEntity): SiteResponseDto {
  return { id: s.id, name: s.name, location: s.location, pollerGroup: s.pollerGroup ?? 'default' };
}
