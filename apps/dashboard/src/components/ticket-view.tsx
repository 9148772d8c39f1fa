import { useEffect, useState } from 'preact/hooks';
import { get, roleAtLeast, session } from '../api';
import { dateTime, personName } from '../format';
import { useAsync, useNow } from '../hooks';
import { live } from '../live';
import type { Device, TicketWithEvents } from '../types';
import { AckedBy, DeviceStateBadge, PriorityBadge, TicketStatusBadge } from './status';
import { loadAssignees, TicketActions } from './ticket-actions';
import { FaultChart } from './fault-chart';
import { Sla } from './ticket-queue';
import { foldTimeline, PeopleNames } from './timeline';
import { RequestPanel } from './conversation';
import { PageLoadState } from './page-state';

const EVENT_ICON: Record<string, string> = {
  opened: '●',
  assigned: '→',
  diagnosis: '◎',
  impact: '↳',
  escalated: '⇪',
  acknowledged: '✓',
  commented: '✎',
  notified: '✉',
  not_sent: '⚠',
  resolved: '✔',
  reopened: '↺',
  closed: '■',
  email_received: '✉',
  email_sent: '✉',
  linked: '⛓',
  unlinked: '⛓',
};

/** One ticket and its timeline, the automatic diagnosis included; refreshed when the live feed says it changed. */
export function TicketView({ id }: { id: string }) {
  const now = useNow(1000);
  const { data, error, reload } = useAsync(() => get<TicketWithEvents>(`/api/tickets/${id}`), [id]);
  const [ticket, setTicket] = useState<TicketWithEvents | undefined>();
  useEffect(() => setTicket(data), [data]);
  useEffect(() => live.onTicket((t) => t.id === id && reload()), [id]);
  const [names, setNames] = useState<PeopleNames>(() => new Map());
  useEffect(() => {
    if (!roleAtLeast(session.user(), 'agent')) return;
    loadAssignees().then(
      (a) => setNames(new Map(a.people.filter((p) => p.email).map((p) => [p.email!, personName(p)]))),
      () => undefined,
    );
  }, []);
  const [conversationOnly, setConversationOnly] = useState(false);
  const device = useAsync(
    () => (ticket?.deviceId ? get<Device>(`/api/devices/${ticket.deviceId}`) : Promise.resolve(undefined)),
    [ticket?.deviceId],
  ).data;

  if (error || !ticket)
    return <PageLoadState error={error} loading="Loading ticket…" back={<a href="/tickets">Back to the queue</a>} />;
  const liveDevice = ticket.deviceId ? (live.devices.get(ticket.deviceId) ?? device) : undefined;
  const closed = ticket.status === 'resolved' || ticket.status === 'closed';
  const items = foldTimeline(ticket.events, names);

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
        <div data-testid="assignee">
          <span class="k">Assigned to</span>{' '}
          {ticket.assignee ? <strong>{personName(ticket.assignee)}</strong> : <span class="muted">nobody</span>}
          {ticket.team && <> · team {ticket.team}</>}
        </div>
        {ticket.acknowledgedAt && (
          <div>
            <span class="k">Acknowledged</span> {dateTime(ticket.acknowledgedAt)}{' '}
            {ticket.acknowledgedBy && (
              <>
                by <AckedBy person={ticket.acknowledgedBy} />
              </>
            )}
          </div>
        )}
        <div>
          <span class="k">Fault</span> {ticket.faultType.replace(/_/g, ' ')}
          {ticket.ifIndex != null && <> (interface {ticket.ifIndex})</>} · {ticket.source}
        </div>
        {liveDevice && (
          <div>
            <span class="k">Device</span> <a href={`/devices/${liveDevice.id}`}>{liveDevice.name}</a>{' '}
            {closed ? <span class="muted">now</span> : null} <DeviceStateBadge device={liveDevice} />
          </div>
        )}
        <div>
          <span class="k">Escalation</span> level {ticket.escalationLevel}
        </div>
        <div>
          <span class="k">Opened</span> {dateTime(ticket.openedAt)}
          {ticket.recurring && <> · recurring, {ticket.occurrences} occurrences</>}
        </div>
        {ticket.resolvedAt && (
          <div>
            <span class="k">Resolved</span> {dateTime(ticket.resolvedAt)}
            {ticket.closedAt && <> · closed {dateTime(ticket.closedAt)}</>}
          </div>
        )}
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
      <RequestPanel ticket={ticket} onChange={reload} />
      <div class="timeline-head">
        <h2>Timeline</h2>
        <label class="toggle">
          <input
            type="checkbox"
            checked={conversationOnly}
            onChange={(e) => setConversationOnly(e.currentTarget.checked)}
          />{' '}
          Conversation only
        </label>
      </div>
      <ol class="timeline" aria-label="Timeline, oldest first">
        {items
          .filter((item) => !conversationOnly || item.talk)
          .map((item, i) => (
            <li
              key={i}
              class={`ev ev-${item.type}${item.talk ? ' ev-talk' : ' ev-system'}`}
              data-event={item.type}
              data-count={item.count}
            >
              <span class="ev-icon" aria-hidden="true">
                {EVENT_ICON[item.type] ?? '•'}
              </span>
              <div class="ev-body">
                <div class="ev-head">
                  {item.talk ? <strong>{item.actor}</strong> : <strong>{item.type.replace(/_/g, ' ')}</strong>}{' '}
                  <time dateTime={item.at}>{dateTime(item.at)}</time>
                  {!item.talk && item.actor !== 'system' && <span class="muted"> by {item.actor}</span>}
                  {item.count > 1 && <span class="muted"> · {item.count} events</span>}
                </div>
                <div class="ev-msg">{item.message}</div>
                {item.details.length > 0 && (
                  <details class="ev-more">
                    <summary>Show all {item.details.length}</summary>
                    <ul>
                      {item.details.map((d, j) => (
                        <li key={j}>{d}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </div>
            </li>
          ))}
      </ol>
    </main>
  );
}
