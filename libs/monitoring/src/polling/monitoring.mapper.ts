import { utilisationPct } from '../domain';
import { DeviceInterfaceEntity } from './device-interface.entity';
import { HistoryEntryDto, InterfaceResponseDto } from './monitoring.dto';
import { StatusHistoryEntity } from './status-history.entity';

export function toInterfaceResponse(i: DeviceInterfaceEntity): InterfaceResponseDto {
  return {
    ifIndex: i.ifIndex,
    name: i.name,
    ...(i.alias ? { alias: i.alias } : {}),
    adminStatus: i.adminStatus,
    operStatus: i.operStatus,
    operSince: i.operSince.toISOString(),
    speedBps: i.speedBps,
    inBps: i.inBps,
    outBps: i.outBps,
    inErrors: i.inErrors,
    outErrors: i.outErrors,
    inDiscards: i.inDiscards,
    outDiscards: i.outDiscards,
    monitored: i.monitored,
    monitoredOverride: i.monitoredOverride,
    flapping: i.flapping,
    capacityBps: i.capacityBps,
    provider: i.provider,
    circuitId: i.circuitId,
    utilisationPct: i.utilisationPct,
    inUtilisationPct: pct(utilisationPct(i.inBps, i.capacityBps, i.speedBps)),
    outUtilisationPct: pct(utilisationPct(i.outBps, i.capacityBps, i.speedBps)),
    updatedAt: i.updatedAt.toISOString(),
  };
}

export function toHistoryEntry(h: StatusHistoryEntity): HistoryEntryDto {
  return {
    id: h.id,
    kind: h.kind,
    ...(h.ifIndex !== null ? { ifIndex: h.ifIndex } : {}),
    from: h.fromStatus,
    to: h.toStatus,
    reason: h.reason,
    at: h.at.toISOString(),
  };
}

const pct = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
