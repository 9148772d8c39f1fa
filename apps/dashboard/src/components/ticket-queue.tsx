import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, roleAtLeast, session } from '../api';
import { p1Alerts } from '../alerts';
import { ago, duration, personName } from '../format';
import { useLive, useNow } from '../hooks';
import { live } from '../live';
import { ACTIVE_TICKET_STATUSES } from '../types';
import type { Ticket, User } from '../types';
import { PriorityBadge, TicketStatusBadge } from './status';
import { TicketActions } from './ticket-actions';
import { NewTicket } from './new-ticket';

type Scope = 'mine' | 'team' | 'all';
const SCOPE_KEY = 'netdesk.queue-scope';

function inScope(t: Ticket, scope: Scope, me: User | null): boolean {
  if (!ACTIVE_TICKET_STATUSES.includes(t.status)) return false;
  if (scope === 'mine') return !!me && t.assigneeId === me.id;
  if (scope === 'team') return !!me?.team && t.team === me.team;
  return true;
}

/** Priority first (P1 on top), then the oldest first. */
export function queueOrder(a: Ticket, b: Ticket): number {
  return a.priority.localeCompare(b.priority) || a.openedAt.localeCompare(b.openedAt);
}

/** The countdown that matters now: to acknowledge while open, to resolve after that; none once resolved. */
export function Sla({ ticket, now }: { ticket: Ticket; now: number }) {
  if (ticket.status === 'resolved' || ticket.status === 'closed') {
    const breached = ticket.slaBreaches?.length ?? 0;
    return (
      <span class="sla done" data-testid="sla-done">
        {breached ? `${ticket.slaBreaches!.join(' and ')} SLA missed` : 'met'}
        {ticket.resolvedAt && (
          <> · resolved in {duration(new Date(ticket.resolvedAt).getTime() - new Date(ticket.openedAt).getTime())}</>
        )}
      </span>
    );
  }
  const due = ticket.status === 'open' ? ticket.slaAcknowledgeDueAt : ticket.slaResolveDueAt;
  const what = ticket.status === 'open' ? 'ack' : 'resolve';
  if (!due) return <span class="muted">—</span>;
  const left = new Date(due).getTime() - now;
  if (left < 0)
    return (
      <span class="sla overdue" title={`${what} was due ${new Date(due).toLocaleString()}`}>
        <span aria-hidden="true">⚠</span> {what} overdue {duration(-left)}
      </span>
    );
  return (
    <span class={`sla${left < 5 * 60_000 ? ' soon' : ''}`} title={`${what} due ${new Date(due).toLocaleString()}`}>
      <span aria-hidden="true">◷</span> {what} in {duration(left)}
    </span>
  );
}

/** The name of a ticket's device as the live feed knows it (none for a ticket without a device). */
export const liveDeviceName = (t: Ticket): string | undefined =>
  t.deviceId ? live.devices.get(t.deviceId)?.name : undefined;

/** The first cells of a ticket's row in a list: priority, the linked number and title (with `children` under it), status. */
export function TicketLeadCells({ ticket: t, children }: { ticket: Ticket; children?: ComponentChildren }) {
  return (
    <>
      <td data-label="Priority">
        <PriorityBadge priority={t.priority} />
      </td>
      <td class="t-title" data-label="Ticket">
        <a href={`/tickets/${t.id}`}>
          #{t.number} {t.title}
        </a>
        {children}
      </td>
      <td data-label="Status">
        <TicketStatusBadge status={t.status} />
      </td>
    </>
  );
}

export function TicketQueue() {
  const me = session.user();
  const store = useLive();
  const now = useNow(1000);
  const [scope, setScope] = useState<Scope>(() => (localStorage.getItem(SCOPE_KEY) as Scope) || 'all');
  const [tickets, setTickets] = useState<Map<string, Ticket>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [alerts, setAlerts] = useState(p1Alerts.enabled());
  const [creating, setCreating] = useState(false);
  const canWork = roleAtLeast(me, 'agent');

  // load the scope, then keep it current from the live feed; a new snapshot (reconnect) reloads it
  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    const queue = scope === 'team' && !me?.team ? null : scope;
    if (!queue) {
      setTickets(new Map());
      setLoading(false);
      return;
    }
    Promise.all(ACTIVE_TICKET_STATUSES.map((s) => get<Ticket[]>(`/api/tickets?queue=${queue}&status=${s}`)))
      .then((lists) => {
        if (cancelled) return;
        setTickets(new Map(lists.flat().map((t) => [t.id, t])));
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      });
    const off = live.onTicket((t) =>
      setTickets((m) => {
        const n = new Map(m);
        if (inScope(t, scope, me)) n.set(t.id, t);
        else n.delete(t.id);
        return n;
      }),
    );
    return () => {
      cancelled = true;
      off();
    };
  }, [scope, store.epoch]);

  const update = (t: Ticket) =>
    setTickets((m) => {
      const n = new Map(m);
      if (inScope(t, scope, me)) n.set(t.id, t);
      else n.delete(t.id);
      return n;
    });

  const list = [...tickets.values()].sort(queueOrder);
  const choose = (s: Scope) => {
    localStorage.setItem(SCOPE_KEY, s);
    setScope(s);
  };

  return (
    <main class="queue" aria-labelledby="queue-title">
      <div class="toolbar">
        <h1 id="queue-title">Ticket queue</h1>
        <div role="group" aria-label="Which tickets" class="seg">
          {(['mine', 'team', 'all'] as Scope[]).map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={scope === s}
              class={scope === s ? 'active' : ''}
              onClick={() => choose(s)}
            >
              {s === 'mine' ? 'Mine' : s === 'team' ? `My team${me?.team ? ` (${me.team})` : ''}` : 'All'}
            </button>
          ))}
        </div>
        <label class="toggle">
          <input
            type="checkbox"
            checked={alerts}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setAlerts(on);
              void p1Alerts.setEnabled(on);
            }}
          />{' '}
          Alert me on a new P1 (sound + notification)
        </label>
        <a href="/tickets/search" class="button-link">
          Search all tickets
        </a>
        {canWork && (
          <button type="button" class="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
            + New ticket
          </button>
        )}
      </div>
      {creating && <NewTicket onCancel={() => setCreating(false)} />}
      {scope === 'team' && !me?.team && <p class="muted">You are not in a team.</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {loading ? (
        <p class="muted" role="status">
          Loading tickets…
        </p>
      ) : list.length === 0 ? (
        <p class="muted">
          Nothing in this queue. <span aria-hidden="true">☺</span>
        </p>
      ) : (
        <table class="tickets cards-on-phone" aria-label="Tickets, most urgent first">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              <th scope="col">Ticket</th>
              <th scope="col">Status</th>
              <th scope="col">Age</th>
              <th scope="col">SLA</th>
              <th scope="col">Assigned</th>
              {canWork && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.id} data-ticket={t.id} class={`prio-row-${t.priority}`}>
                <TicketLeadCells ticket={t}>
                  <div class="muted small">
                    {t.faultType.replace(/_/g, ' ')}
                    {liveDeviceName(t) && <> · {liveDeviceName(t)}</>}
                    {t.escalationLevel > 0 && <> · escalated ×{t.escalationLevel}</>}
                    {t.recurring && <> · recurring ({t.occurrences}×)</>}
                  </div>
                </TicketLeadCells>
                <td data-label="Age" title={new Date(t.openedAt).toLocaleString()}>
                  {ago(t.openedAt, now)}
                </td>
                <td data-label="SLA">
                  <Sla ticket={t} now={now} />
                </td>
                <td data-label="Assigned" data-testid="assigned">
                  {t.assigneeId ? (
                    t.assigneeId === me?.id ? (
                      <strong>me</strong>
                    ) : (
                      <strong>{personName(t.assignee)}</strong>
                    )
                  ) : (
                    <span class="muted">nobody</span>
                  )}
                  {t.team && <div class="muted small">team {t.team}</div>}
                </td>
                {canWork && (
                  <td data-label="Actions">
                    <TicketActions ticket={t} onChange={update} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
