import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLive } from '../hooks';
import { countByStatus, live, NO_SITE, rootCauses, ticketsByDevice } from '../live';
import { SiteGroup } from './board-site-group';
import { RequestCount } from './conversation';
import { isProblem, shownState, STATUS_ICON, STATUS_LABEL } from '../format';
import { DEVICE_STATUSES } from '../types';
import type { DeviceStatus, DeviceSummary, Ticket } from '../types';
import { AckedBy, DeviceStateBadge, PriorityBadge, Wrench } from './status';
import { Since } from './since';
import { FirstRun } from './first-run';

type Filter = DeviceStatus | 'all' | 'problems' | 'maintenance' | 'flapping' | 'stale';

/** Tile geometry, shared with styles.css, for the windowing estimate. */
const TILE_MIN_WIDTH = 170;
const TILE_HEIGHT = 52;
const TILE_GAP = 4;
const SITE_HEAD_HEIGHT = 44;

function inFilter(d: DeviceSummary, filter: Filter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'problems':
      return isProblem(d);
    case 'maintenance':
      return !!d.inMaintenance;
    case 'flapping':
      return !!d.flapping;
    case 'stale':
      return !!d.stale;
    default:
      return d.status === filter;
  }
}

function matches(d: DeviceSummary, filter: Filter, q: string): boolean {
  if (!inFilter(d, filter)) return false;
  if (!q) return true;
  return (
    d.name.toLowerCase().includes(q) ||
    d.host.toLowerCase().includes(q) ||
    d.kind.toLowerCase().includes(q) ||
    (d.sysName?.toLowerCase().includes(q) ?? false) ||
    d.tags.some((t) => t.toLowerCase().includes(q))
  );
}

/** The status board: every device, grouped by site, live. */
export function Board() {
  const store = useLive();
  const [filter, setFilter] = useState<Filter>('all');
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const q = query.trim().toLowerCase();

  // Filtered arrays keep their identity while neither the site's devices nor the filter change,
  // so a delta re-renders one site group, not 10,000 tiles.
  const cache = useRef(new WeakMap<DeviceSummary[], { key: string; list: DeviceSummary[] }>());
  const filtered = (list: DeviceSummary[]): DeviceSummary[] => {
    if (filter === 'all' && !q) return list;
    const key = `${filter}\u0000${q}`;
    const hit = cache.current.get(list);
    if (hit && hit.key === key) return hit.list;
    const out = list.filter((d) => matches(d, filter, q));
    cache.current.set(list, { key, list: out });
    return out;
  };

  const counts = countByStatus(store.devices.values());
  let problems = 0;
  let maintenance = 0;
  let flapping = 0;
  let stale = 0;
  for (const d of store.devices.values()) {
    if (isProblem(d)) problems++;
    if (d.inMaintenance) maintenance++;
    if (d.flapping) flapping++;
    if (d.stale) stale++;
  }
  const behind = rootCauses(store.devices);
  const tickets = ticketsByDevice(store.tickets);
  const siteIds = useMemo(
    () =>
      [...store.bySite.keys()].sort((a, b) =>
        a === NO_SITE ? 1 : b === NO_SITE ? -1 : store.siteName(a).localeCompare(store.siteName(b)),
      ),
    // new sites only arrive with a snapshot, a new device or the site names
    [store.epoch, store.bySite.size, store.sites],
  );

  let shown = 0;
  // Windowing by site: the groups that start within about two screens are rendered with the
  // snapshot; the others render their tiles when they scroll near (SiteGroup's IntersectionObserver).
  const perRow = Math.max(1, Math.floor((window.innerWidth - 36) / (TILE_MIN_WIDTH + TILE_GAP)));
  let estimatedTop = 260;
  const groups = siteIds.map((siteId) => {
    const all = store.bySite.get(siteId) ?? [];
    const list = filtered(all);
    shown += list.length;
    if (list.length === 0) return null;
    const eager = estimatedTop < window.innerHeight * 2;
    const height = collapsed.has(siteId) ? 0 : Math.ceil(list.length / perRow) * (TILE_HEIGHT + TILE_GAP);
    estimatedTop += SITE_HEAD_HEIGHT + height;
    let behindKey = '';
    for (const d of list) {
      if (d.status === 'down') behindKey += `${d.id}:${behind.get(d.id)?.length ?? 0},`;
      const t = isProblem(d) ? tickets.get(d.id) : undefined;
      if (t) behindKey += `${t.id}:${t.status}:${t.priority}:${t.acknowledgedBy?.id ?? ''},`;
    }
    return (
      <SiteGroup
        key={siteId}
        siteId={siteId}
        name={store.siteName(siteId)}
        devices={list}
        all={all}
        behind={behind}
        tickets={tickets}
        behindKey={behindKey}
        collapsed={collapsed.has(siteId)}
        eager={eager}
        estimatedHeight={height}
        onToggle={() =>
          setCollapsed((s) => {
            const n = new Set(s);
            if (n.has(siteId)) n.delete(siteId);
            else n.add(siteId);
            return n;
          })
        }
      />
    );
  });

  useLayoutEffect(() => {
    if (store.ready) performance.mark('netdesk:board-committed');
  }, [store.ready]);
  useEffect(() => {
    if (store.ready) {
      performance.mark('netdesk:board-rendered');
      const w = window as unknown as { __boardRenderedAt?: number };
      w.__boardRenderedAt ??= performance.now();
    }
  }, [store.ready]);

  return (
    <main class="board" data-ready={store.ready ? 'true' : 'false'} data-shown={shown} aria-labelledby="board-title">
      <div class="toolbar">
        <h1 id="board-title">Status board</h1>
        <div class="counts" role="group" aria-label="Filter by status">
          <FilterButton
            label="All"
            count={store.devices.size}
            active={filter === 'all'}
            onClick={() => setFilter('all')}
          />
          <FilterButton
            label="Problems"
            icon="⚑"
            count={problems}
            active={filter === 'problems'}
            onClick={() => setFilter('problems')}
          />
          {DEVICE_STATUSES.map((s) => (
            <FilterButton
              key={s}
              status={s}
              label={STATUS_LABEL[s]}
              icon={STATUS_ICON[s]}
              count={counts[s]}
              active={filter === s}
              onClick={() => setFilter(filter === s ? 'all' : s)}
            />
          ))}
          <FilterButton
            status="maintenance"
            label="maintenance"
            icon={<Wrench />}
            count={maintenance}
            active={filter === 'maintenance'}
            onClick={() => setFilter(filter === 'maintenance' ? 'all' : 'maintenance')}
          />
          <FilterButton
            status="flapping"
            label="flapping"
            icon="≈"
            count={flapping}
            active={filter === 'flapping'}
            onClick={() => setFilter(filter === 'flapping' ? 'all' : 'flapping')}
          />
          {(stale > 0 || filter === 'stale') && (
            <FilterButton
              status="stale"
              label="last known"
              icon="◌"
              count={stale}
              active={filter === 'stale'}
              onClick={() => setFilter(filter === 'stale' ? 'all' : 'stale')}
            />
          )}
        </div>
        <label class="search">
          <span class="sr-only">Search devices</span>
          <input
            type="search"
            placeholder="Search name, address, kind, tag…"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
          />
        </label>
      </div>
      {!store.ready ? (
        <p class="muted loading" role="status">
          Loading the network…
        </p>
      ) : (
        <>
          <RootCauses behind={behind} tickets={tickets} />
          <p class="sr-only" role="status" aria-live="polite">
            {shown} devices shown
          </p>
          {store.devices.size === 0 && <FirstRun />}
          {store.devices.size > 0 && shown === 0 && <p class="muted">No device matches.</p>}
          <div class="sites">{groups}</div>
        </>
      )}
    </main>
  );
}

function FilterButton(props: {
  label: string;
  count: number;
  active: boolean;
  onClick: () => void;
  icon?: string | preact.JSX.Element;
  status?: DeviceStatus | 'maintenance' | 'flapping' | 'stale';
}) {
  return (
    <button
      type="button"
      class={`count-btn${props.status ? ` st-${props.status}` : ''}${props.active ? ' active' : ''}`}
      aria-pressed={props.active}
      onClick={props.onClick}
      data-status={props.status}
    >
      {props.icon && <span aria-hidden="true">{props.icon}</span>} {props.label}{' '}
      <strong class="n">{props.count.toLocaleString()}</strong>
    </button>
  );
}

/** The down devices and what is unreachable behind each: where to look first. */
function RootCauses({ behind, tickets }: { behind: Map<string, DeviceSummary[]>; tickets: Map<string, Ticket> }) {
  const down = [...live.devices.values()].filter((d) => d.status === 'down');
  if (down.length === 0) return null;
  down.sort(
    (a, b) => (behind.get(b.id)?.length ?? 0) - (behind.get(a.id)?.length ?? 0) || a.name.localeCompare(b.name),
  );
  const MAX = 20;
  return (
    <section class="root-causes" aria-label="Down devices and what they take with them">
      <h2>
        <span aria-hidden="true">▼</span> Down ({down.length})
      </h2>
      <ul>
        {down.slice(0, MAX).map((d) => {
          const list = behind.get(d.id) ?? [];
          const t = tickets.get(d.id);
          return (
            <li key={d.id} data-testid="root-cause" data-state={shownState(d)}>
              <a href={`/devices/${d.id}`}>{d.name}</a> <DeviceStateBadge device={d} />{' '}
              <Since iso={d.statusSince} prefix="for " />
              <span class="muted"> {live.siteName(d.siteId ?? NO_SITE)}</span>
              {t && <TicketBrief t={t} />}
              {list.length > 0 && (
                <span class="behind">
                  {' '}
                  — {list.length} unreachable behind it:{' '}
                  {list.slice(0, 8).map((u, i) => (
                    <span key={u.id}>
                      {i > 0 && ', '}
                      <a href={`/devices/${u.id}`}>{u.name}</a>
                    </span>
                  ))}
                  {list.length > 8 && ` and ${list.length - 8} more`}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {down.length > MAX && <p class="muted">and {down.length - MAX} more down devices (filter “down” to see all)</p>}
    </section>
  );
}

/** A problem's ticket in one line: priority, number, and who acknowledged it (or "not acknowledged"). */
export function TicketBrief({ t }: { t: Ticket }) {
  return (
    <span class="t-ticket" data-testid="ticket-brief">
      {' '}
      <PriorityBadge priority={t.priority} />{' '}
      <a href={`/tickets/${t.id}`} class="t-num">
        #{t.number}
      </a>
      <RequestCount tickets={live.tickets} incidentId={t.id} />{' '}
      {t.acknowledgedBy ? (
        <AckedBy person={t.acknowledgedBy} />
      ) : t.acknowledgedAt ? (
        <span class="acked">✓ acknowledged</span>
      ) : (
        <span class="unacked">not acknowledged</span>
      )}
    </span>
  );
}
