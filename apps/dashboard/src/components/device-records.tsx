/** A device's records: its past tickets, the problems it is part of and its status history. */
import { get } from '../api';
import { dateTime } from '../format';
import { useAsync } from '../hooks';
import type { HistoryEntry, Interface, Ticket } from '../types';
import { PriorityBadge, TicketStatusBadge } from './status';

type Loaded<T> = { data?: T; loading: boolean };

export function PastTickets({ past }: { past: Loaded<Ticket[]> }) {
  return (
    <>
      <h2>Past tickets</h2>
      {past.data && past.data.length > 0 ? (
        <ul class="plain" data-testid="past-tickets">
          {past.data.map((t) => (
            <li key={t.id}>
              <PriorityBadge priority={t.priority} />{' '}
              <a href={`/tickets/${t.id}`}>
                #{t.number} {t.title}
              </a>{' '}
              <TicketStatusBadge status={t.status} /> <span class="muted">opened {dateTime(t.openedAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{past.loading ? 'Loading…' : 'No resolved or closed tickets.'}</p>
      )}
    </>
  );
}

export function StatusHistory({ history, ifs }: { history: Loaded<HistoryEntry[]>; ifs: Interface[] }) {
  return (
    <>
      <h2>Status history</h2>
      {history.data && history.data.length > 0 ? (
        <ol class="history">
          {history.data.map((h) => (
            <li key={h.id}>
              <time dateTime={h.at}>{dateTime(h.at)}</time> — {h.kind.replace(/_/g, ' ')}
              {h.ifIndex != null &&
                ` (${ifs.find((i) => i.ifIndex === h.ifIndex)?.name ?? `interface ${h.ifIndex}`})`}: {h.from ?? '—'} →{' '}
              {h.to ?? '—'}
              {h.reason && h.reason !== `${h.from} → ${h.to}` && <span class="muted"> · {h.reason}</span>}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">{history.loading ? 'Loading…' : 'No changes recorded.'}</p>
      )}
    </>
  );
}

interface ProblemRow {
  id: string;
  number: number;
  title: string;
  status: string;
  deviceId: string | null;
  occurrences: number;
  lastAt: string | null;
}

/** The problems (recurring faults) this device is part of; managers only, as the problems API. */
export function DeviceProblems({ deviceId }: { deviceId: string }) {
  const problems = useAsync(() => get<ProblemRow[]>('/api/problems'), [deviceId]);
  const mine = (problems.data ?? []).filter((p) => p.deviceId === deviceId);
  return (
    <>
      <h2>Problems</h2>
      {mine.length > 0 ? (
        <ul class="plain" data-testid="device-problems">
          {mine.map((p) => (
            <li key={p.id}>
              <a href={`/problems/${p.id}`}>
                PRB-{p.number} {p.title}
              </a>{' '}
              <span class="muted">
                {p.status.replace(/_/g, ' ')} · {p.occurrences} times{p.lastAt ? `, last ${dateTime(p.lastAt)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{problems.loading ? 'Loading…' : 'No recurring problem.'}</p>
      )}
    </>
  );
}
