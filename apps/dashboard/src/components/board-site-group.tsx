/** One site of the status board: its tiles, rendered when the group first comes near the viewport. */
import { Component } from 'preact';
import { countByStatus, countStale, live } from '../live';
import { RequestCount } from './conversation';
import { isProblem, shownState, STATE_LABEL, STATUS_ICON, STATUS_LABEL } from '../format';
import { DEVICE_STATUSES } from '../types';
import type { DeviceSummary, Ticket } from '../types';
import { AckedBy, StateIcon } from './status';
import { Since } from './since';

interface SiteGroupProps {
  siteId: string;
  name: string;
  devices: DeviceSummary[];
  all: DeviceSummary[];
  behind: Map<string, DeviceSummary[]>;
  tickets: Map<string, Ticket>;
  /** Changes when a root-cause count or a shown ticket changes (the group re-renders then). */
  behindKey: string;
  collapsed: boolean;
  /** Render the tiles now (near the top); otherwise when the group scrolls near the viewport. */
  eager: boolean;
  estimatedHeight: number;
  onToggle: () => void;
}

let observer: IntersectionObserver | undefined;
const revealers = new WeakMap<Element, () => void>();
function observe(el: Element, reveal: () => void): void {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        observer!.unobserve(e.target);
        revealers.get(e.target)?.();
      }
    },
    { rootMargin: '1200px 0px' },
  );
  revealers.set(el, reveal);
  observer.observe(el);
}

/**
 * One site; re-renders only when its (filtered) devices, their root-cause counts or its name change.
 * Until it has been near the viewport once, it holds a placeholder of the tiles' height instead of them.
 */
export class SiteGroup extends Component<SiteGroupProps, { seen: boolean }> {
  private el: HTMLElement | null = null;
  override state = { seen: false };

  override componentDidMount(): void {
    // eager groups are observed too, so they keep their tiles if a filter change pushes them down
    if (this.el) observe(this.el, () => this.setState({ seen: true }));
  }

  override componentWillUnmount(): void {
    if (this.el) observer?.unobserve(this.el);
  }

  override shouldComponentUpdate(next: SiteGroupProps, nextState: { seen: boolean }): boolean {
    const p = this.props;
    return (
      nextState.seen !== this.state.seen ||
      next.eager !== p.eager ||
      next.devices !== p.devices ||
      next.all !== p.all ||
      next.behindKey !== p.behindKey ||
      next.collapsed !== p.collapsed ||
      next.name !== p.name
    );
  }

  override render({
    siteId,
    name,
    devices,
    all,
    behind,
    tickets,
    collapsed,
    onToggle,
    eager,
    estimatedHeight,
  }: SiteGroupProps) {
    const c = countByStatus(all);
    const stale = countStale(all);
    const headId = `site-${siteId || 'none'}`;
    const show = eager || this.state.seen;
    return (
      <section
        class="site"
        aria-labelledby={headId}
        data-site={name}
        ref={(el) => {
          this.el = el;
        }}
      >
        <h2 id={headId} class="site-head">
          <button type="button" class="linkish" aria-expanded={!collapsed} onClick={onToggle}>
            <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span> {name}
          </button>
          <span class="site-counts">
            {DEVICE_STATUSES.filter((s) => c[s] > 0).map((s) => (
              <span key={s} class={`mini st-${s}`}>
                <span aria-hidden="true">{STATUS_ICON[s]}</span> {c[s]} {STATUS_LABEL[s]}
              </span>
            ))}
            {stale > 0 && (
              <span class="mini stale-count" data-testid="site-stale">
                <span aria-hidden="true">◌</span> {stale} last known
              </span>
            )}
          </span>
        </h2>
        {!collapsed && !show && <div class="tiles-placeholder" style={{ height: `${estimatedHeight}px` }} />}
        {!collapsed && show && (
          <ul class="tiles">
            {devices.map((d) => (
              <Tile
                key={d.id}
                d={d}
                behind={d.status === 'down' ? (behind.get(d.id)?.length ?? 0) : 0}
                ticket={isProblem(d) ? tickets.get(d.id) : undefined}
              />
            ))}
          </ul>
        )}
      </section>
    );
  }
}

function Tile({ d, behind, ticket }: { d: DeviceSummary; behind: number; ticket?: Ticket }) {
  const state = shownState(d);
  const problem = isProblem(d);
  const reason = d.status === 'degraded' || d.status === 'down' ? d.statusReason : null;
  const label =
    `${d.name}: ${STATE_LABEL[state]}${state !== d.status ? ` (${d.status})` : ''}` +
    `${behind ? `, ${behind} unreachable behind it` : ''}${reason ? `, ${reason}` : ''}` +
    `${ticket ? `, ticket #${ticket.number} ${ticket.priority}` : ''}` +
    `${d.stale ? ', stale: last known status, its poller group is unreachable' : ''}`;
  return (
    <li
      class={`tile st-${state}${problem ? ' problem' : ''}${d.stale ? ' stale' : ''}`}
      data-device={d.id}
      data-status={d.status}
      data-state={state}
      data-stale={d.stale ? 'true' : undefined}
    >
      <a href={`/devices/${d.id}`} aria-label={label} title={`${d.name} (${d.host}, ${d.kind})`}>
        <span class="t-name">{d.name}</span>
        <span class="t-st">
          <StateIcon state={state} /> {STATE_LABEL[state]}
          {state !== d.status && ` · ${STATUS_LABEL[d.status]}`}
          {problem && <Since iso={d.statusSince} prefix=" " />}
          {behind > 0 ? ` ↳${behind}` : ''}
          {d.stale && <span class="t-stale"> · last known</span>}
        </span>
        {reason && <span class="t-reason">{reason}</span>}
        {ticket && (
          <span class="t-extra">
            <span class={`t-prio prio-${ticket.priority}`}>{ticket.priority}</span> #{ticket.number}
            <RequestCount tickets={live.tickets} incidentId={ticket.id} />{' '}
            {ticket.acknowledgedBy ? (
              <AckedBy person={ticket.acknowledgedBy} />
            ) : (
              <span class="unacked">{ticket.acknowledgedAt ? '✓' : 'not ack'}</span>
            )}
          </span>
        )}
      </a>
    </li>
  );
}
