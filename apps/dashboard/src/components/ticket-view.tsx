import { useEffect, useState } from 'preact/hooks';
import { get, roleAtLeast, session } from '../api';
import { dateTime } from '../format';
import { useAsync, useNow } from '../hooks';
import { live } from '../live';
import type { Device, TicketWithEvents } from '../types';
import { PriorityBadge, StatusBadge, TicketStatusBadge } from './status';
import { TicketActions } from './ticket-actions';
import { FaultChart } from './fault-chart';
import { Sla } from './ticket-queue';

const EVENT_ICON: Record<string, string> = {
  opened: '●',
  assigned: '→',
  diagnosis: '◎',
  impact: '↳',
  escalated: '⇪',
  acknowledged: '✓',
  commented: '✎',
  notified: '✉',
  resolved: '✔',
  reopened: '↺',
  closed: '■',
};

/** One ticket and its timeline, the automatic diagnosis included; refreshed when the live feed says it changed. */
export function TicketView({ id }: { id: string }) {
  const now = useNow(1000);
  const { data, error, reload } = useAsync(() => get<TicketWithEvents>(`/api/tickets/${id}`), [id]);
  const [ticket, setTicket] = useState<TicketWithEvents | undefined>();
  useEffect(() => setTicket(data), [data]);
  useEffect(() => live.onTicket((t) => t.id === id && reload()), [id]);
  const device = useAsync(
    () => (ticket?.deviceId ? get<Device>(`/api/devices/${ticket.deviceId}`) : Promise.resolve(undefined)),
    [ticket?.deviceId],
  ).data;

  if (error)
    return (
      <main>
        <p class="error" role="alert">
          {error}
        </p>
        <a href="/tickets">Back to the queue</a>
      </main>
    );
  if (!ticket)
    return (
      <main>
        <p class="muted" role="status">
          Loading ticket…
        </p>
      </main>
    );
  const liveDevice = ticket.deviceId ? (live.devices.get(ticket.deviceId) ?? device) : undefined;

  return (
    <main class="ticket-view" aria-labelledby="ticket-title">
      <p class="crumbs">
        <a href="/tickets">← Queue</a>
      </p>
      <h1 id="ticket-title">
        <PriorityBadge priority={ticket.priority} /> #{ticket.number} {ticket.title}
      </h1>
      <div class="facts">
        <div>
          <span class="k">Status</span> <TicketStatusBadge status={ticket.status} />
          {ticket.faultActive && <span class="badge st-down">fault still present</span>}
        </div>
        <div>
          <span class="k">SLA</span> <Sla ticket={ticket} now={now} />
        </div>
        <div>
          <span class="k">Fault</span> {ticket.faultType.replace(/_/g, ' ')}
          {ticket.ifIndex != null && <> (interface {ticket.ifIndex})</>} · {ticket.source}
        </div>
        {liveDevice && (
          <div>
            <span class="k">Device</span> <a href={`/devices/${liveDevice.id}`}>{liveDevice.name}</a>{' '}
            <StatusBadge status={liveDevice.status} />
          </div>
        )}
        <div>
          <span class="k">Team</span> {ticket.team ?? '—'} · <span class="k">Escalation</span> level{' '}
          {ticket.escalationLevel}
        </div>
        <div>
          <span class="k">Opened</span> {dateTime(ticket.openedAt)}
          {ticket.recurring && <> · recurring, {ticket.occurrences} occurrences</>}
        </div>
        {ticket.resolution && (
          <div>
            <span class="k">Resolution</span> {ticket.resolution}
          </div>
        )}
      </div>
      {ticket.description && <p class="description">{ticket.description}</p>}
      {roleAtLeast(session.user(), 'agent') && (
        <TicketActions
          ticket={ticket}
          onChange={(t) => {
            setTicket({ ...ticket, ...t });
            reload();
          }}
        />
      )}
      {ticket.deviceId && ticket.source === 'auto' && (
        <FaultChart deviceId={ticket.deviceId} faultType={ticket.faultType} ifIndex={ticket.ifIndex} />
      )}
      <h2>Timeline</h2>
      <ol class="timeline" aria-label="Timeline, oldest first">
        {ticket.events.map((e, i) => (
          <li key={i} class={`ev ev-${e.type}`} data-event={e.type}>
            <span class="ev-icon" aria-hidden="true">
              {EVENT_ICON[e.type] ?? '•'}
            </span>
            <div class="ev-body">
              <div class="ev-head">
                <strong>{e.type}</strong> <time dateTime={e.at}>{dateTime(e.at)}</time>{' '}
                <span class="muted">by {e.actor}</span>
              </div>
              <div class="ev-msg">{e.message}</div>
            </div>
          </li>
        ))}
      </ol>
    </main>
  );
}
