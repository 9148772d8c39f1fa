import { useEffect } from 'preact/hooks';
import { useLive, useNow } from '../hooks';
import { live, NO_SITE, rootCauses, ticketsByDevice } from '../live';
import { clock, shownState, STATE_LABEL, STATUS_ICON, STATUS_LABEL } from '../format';
import type { ShownState } from '../format';
import { DEVICE_STATUSES } from '../types';
import type { DeviceSummary } from '../types';
import { navigate } from '../router';
import { countByStatus, countStale } from '../live';
import { AckedBy, PriorityBadge, StateIcon, Wrench } from './status';
import { Since } from './since';

const RELOAD_AFTER_MS = 24 * 3600_000;
const MAX_PROBLEMS = 40;
/** What the wall lists, most urgent first: planned work last. */
const WALL_ORDER: ShownState[] = ['down', 'degraded', 'flapping', 'unreachable', 'maintenance'];

/**
 * The wall screen (`/?kiosk=1`): no controls, large type, what is wrong first. It reconnects forever;
 * its state is only the live store's (bounded by the inventory), and it reloads itself once a day
 * while connected, so weeks on a wall do not accumulate anything.
 */
export function Kiosk() {
  const store = useLive();
  const now = useNow(1000);
  const lost = store.connection === 'lost';
  useEffect(() => {
    document.documentElement.classList.add('kiosk');
    const started = Date.now();
    const t = setInterval(() => {
      if (Date.now() - started > RELOAD_AFTER_MS && live.connection === 'live') location.reload();
    }, 60_000);
    // no visible controls; Escape leaves the wall screen for the board
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && navigate('/');
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      clearInterval(t);
      document.documentElement.classList.remove('kiosk');
    };
  }, []);

  const counts = countByStatus(store.devices.values());
  const behind = rootCauses(store.devices);
  const tickets = ticketsByDevice(store.tickets);
  const problems: DeviceSummary[] = [];
  let maintenance = 0;
  let stale = 0;
  for (const d of store.devices.values()) {
    if (d.inMaintenance) maintenance++;
    if (d.stale) stale++;
    const state = shownState(d);
    // unreachable devices are listed under the down device they are behind, not one by one
    if (WALL_ORDER.includes(state) && state !== 'unreachable') problems.push(d);
  }
  const rank = (d: DeviceSummary) => WALL_ORDER.indexOf(shownState(d));
  problems.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (behind.get(b.id)?.length ?? 0) - (behind.get(a.id)?.length ?? 0) ||
      a.statusSince.localeCompare(b.statusSince),
  );
  const p1 = [...store.tickets.values()].filter((t) => t.priority === 'P1').length;
  const sites = [...store.bySite.keys()].sort((a, b) => store.siteName(a).localeCompare(store.siteName(b)));

  return (
    <main
      class={`kiosk-board${lost ? ' k-lost' : ''}`}
      data-ready={store.ready ? 'true' : 'false'}
      data-connection={store.connection}
      aria-label="Network status wall"
    >
      <header class="k-head">
        <div class="k-brand">
          <h1>
            <span aria-hidden="true">◉</span> NetDesk
          </h1>
          <div class="k-clock" data-testid="wall-clock">
            {new Date(now).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
          </div>
          <div class="k-updated" data-testid="wall-updated">
            {store.updatedAt ? `updated ${clock(store.updatedAt, now)}` : 'waiting for data'}
          </div>
        </div>
        <div class="k-counts">
          {DEVICE_STATUSES.map((s) => (
            <div key={s} class={`k-count st-${s}`} data-status={s}>
              <span class="k-n">{counts[s].toLocaleString()}</span>
              <span class="k-l">
                <span aria-hidden="true">{STATUS_ICON[s]}</span> {STATUS_LABEL[s]}
              </span>
            </div>
          ))}
          {maintenance > 0 && (
            <div class="k-count st-maintenance" data-status="maintenance">
              <span class="k-n">{maintenance}</span>
              <span class="k-l">
                <Wrench /> maintenance
              </span>
            </div>
          )}
          {stale > 0 && (
            <div class="k-count st-stale" data-status="stale">
              <span class="k-n">{stale.toLocaleString()}</span>
              <span class="k-l">
                <span aria-hidden="true">◌</span> last known
              </span>
            </div>
          )}
          <div class="k-count tickets">
            <span class="k-n">{store.tickets.size}</span>
            <span class="k-l">open tickets{p1 > 0 && <> · {p1} P1</>}</span>
          </div>
        </div>
      </header>
      {lost && (
        <div class="k-disconnected" role="alert" data-testid="wall-disconnected">
          <span aria-hidden="true">⚠</span> DISCONNECTED since {clock(store.lostAt, now)} — showing the state of{' '}
          {clock(store.updatedAt, now)}, durations stopped. Reconnecting…
        </div>
      )}
      {!store.ready ? (
        <p class="k-empty">Connecting…</p>
      ) : problems.length === 0 ? (
        <p class="k-empty all-good">
          <span aria-hidden="true">▲</span> All {store.devices.size.toLocaleString()} devices up
          {stale > 0 && <span class="k-stale"> ({stale.toLocaleString()} of them last known)</span>}
        </p>
      ) : (
        <ul class="k-problems">
          {problems.slice(0, MAX_PROBLEMS).map((d) => {
            const n = behind.get(d.id)?.length ?? 0;
            const ticket = tickets.get(d.id);
            const state = shownState(d);
            return (
              <li
                key={d.id}
                class={`st-${state}${d.stale ? ' stale' : ''}`}
                data-device={d.id}
                data-state={state}
                data-stale={d.stale ? 'true' : undefined}
              >
                <span class="k-st">
                  <StateIcon state={state} /> {STATE_LABEL[state]}
                </span>
                <span class="k-name">{d.name}</span>
                <span class="k-since">
                  {state === 'maintenance' ? (
                    <>until {clock(d.maintenanceUntil ?? undefined, now)}</>
                  ) : (
                    <Since iso={d.statusSince} prefix="for " />
                  )}
                </span>
                <span class="k-detail">
                  <span class="k-site">{live.siteName(d.siteId ?? NO_SITE)}</span>
                  {d.stale && <span class="k-stale">last known, poller group unreachable</span>}
                  {state !== d.status && (
                    <span class="k-measured">
                      {d.stale ? 'last' : 'now'} {d.status}
                    </span>
                  )}
                  {d.statusReason && d.status === 'degraded' && <span class="k-reason">{d.statusReason}</span>}
                  {n > 0 && <span class="k-behind">{n} unreachable behind it</span>}
                  {ticket && (
                    <span class="k-ticket">
                      <PriorityBadge priority={ticket.priority} /> #{ticket.number}{' '}
                      {ticket.acknowledgedBy ? (
                        <AckedBy person={ticket.acknowledgedBy} />
                      ) : (
                        <span class="unacked">{ticket.acknowledgedAt ? '✓ acknowledged' : 'not acknowledged'}</span>
                      )}
                    </span>
                  )}
                </span>
              </li>
            );
          })}
          {problems.length > MAX_PROBLEMS && <li class="k-more">and {problems.length - MAX_PROBLEMS} more</li>}
        </ul>
      )}
      <section class="k-sites" aria-label="Sites">
        {sites.map((s) => {
          const list = store.bySite.get(s) ?? [];
          const c = countByStatus(list);
          const worst = DEVICE_STATUSES.find((st) => c[st] > 0 && st !== 'unknown') ?? 'unknown';
          const inMaintenance = list.filter((d) => d.inMaintenance).length;
          const siteStale = countStale(list);
          return (
            <div key={s} class={`k-site-card st-${worst}`}>
              <span class="k-site-name">{store.siteName(s)}</span>
              <span class="k-site-counts">
                {DEVICE_STATUSES.filter((st) => c[st] > 0).map((st) => (
                  <span key={st}>
                    <span aria-hidden="true">{STATUS_ICON[st]}</span> {c[st]} {STATUS_LABEL[st]}
                  </span>
                ))}
                {inMaintenance > 0 && (
                  <span class="k-site-maint">
                    <Wrench /> {inMaintenance} maintenance
                  </span>
                )}
                {siteStale > 0 && (
                  <span class="k-site-stale" data-testid="wall-site-stale">
                    <span aria-hidden="true">◌</span> {siteStale} last known
                  </span>
                )}
              </span>
            </div>
          );
        })}
      </section>
    </main>
  );
}
