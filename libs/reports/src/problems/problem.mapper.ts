import type { ProblemResponseDto } from './problem.dto';
import type { ProblemView } from './problems.service';

export function toProblemResponse({ problem: p, facts }: ProblemView): ProblemResponseDto {
  return {
    id: p.id,
    number: p.number,
    scope: p.scope,
    title: p.title,
    faultType: p.faultType,
    deviceId: p.deviceId,
    ...(p.ifIndex != null && { ifIndex: p.ifIndex }),
    siteId: p.siteId,
    deviceKind: p.deviceKind,
    status: p.status,
    workaround: p.workaround,
    openedAt: p.openedAt.toISOString(),
    resolvedAt: p.resolvedAt?.toISOString() ?? null,
    occurrences: facts.episodes,
    devices: facts.devices,
    firstAt: facts.firstAt?.toISOString() ?? null,
    lastAt: facts.lastAt?.toISOString() ?? null,
    ticketIds: facts.ticketIds,
  };
}
