import { useEffect } from 'preact/hooks';
import { useLive, useNow } from '../hooks';
import { live, NO_SITE, rootCauses } from '../live';
import { duration, STATUS_ICON, STATUS_LABEL } from '../format';
import { DEVICE_STATUSES } from '../types';
import type { DeviceSummary } from '../types';
import { navigate } from '../router';
import { countByStatus } from './board';
import { PriorityBadge } from './status';

const RELOAD_AFTER_MS = 24 * 3600_000;
const MAX_PROBLEMS = 40;

/**
 * The wall screen (`/?kiosk=1`): no controls, large type, what is wrong first. It reconnects forever;
 * its state is only the live store's (bounded by the inventory), and it reloads itself once a day
 * while connected, so weeks on a wall do not accumulate anything.
 */
export function Kiosk() {
  const store = useLive();
  const now = useNow(5000);
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
  const problems: DeviceSummary[] = [];
  for (const d of store.devices.values()) if (d.status === 'down' || d.status === 'degraded') problems.push(d);
  problems.sort(
    (a, b) =>
      (a.status === 'down' ? 0 : 1) - (b.status === 'down' ? 0 : 1) ||
      (behind.get(b.id)?.length ?? 0) - (behind.get(a.id)?.length ?? 0) ||
      a.statusSince.localeCompare(b.statusSince),
  );
  const p1 = [...store.tickets.values()].filter((t) => t.priority === 'P1').length;
  const sites = [...store.bySite.keys()].sort((a, b) => store.siteName(a).localeCompare(store.siteName(b)));

  return (
    <main class="kiosk-board" data-ready={store.ready ? 'true' : 'false'} aria-label="Network status wall">
      <header class="k-head">
        <h1>
          <span aria-hidden="true">◉</span> NetDesk
        </h1>
        <div class="k-counts">
          {DEVICE_STATUSES.map((s) => (
            <div key={s} class={`k-count st-${s}`} data-status={s}>
              <span class="k-n">{counts[s].toLocaleString()}</span>
              <span class="k-l">
                <span aria-hidden="true">{STATUS_ICON[s]}</span> {STATUS_LABEL[s]}
              </span>
            </div>
          ))}
          <div class="k-count tickets">
            <span class="k-n">{store.tickets.size}</span>
            <span class="k-l">open tickets{p1 > 0 && <> · {p1} P1</>}</span>
          </div>
        </div>
      </header>
      {!store.ready ? (
        <p class="k-empty">Connecting…</p>
      ) : problems.length === 0 ? (
        <p class="k-empty all-good">
          <span aria-hidden="true">▲</span> All {store.devices.size.toLocaleString()} devices up
        </p>
      ) : (
        <ul class="k-problems">
          {problems.slice(0, MAX_PROBLEMS).map((d) => {
            const n = behind.get(d.id)?.length ?? 0;
            const ticket = [...store.tickets.values()].find((t) => t.deviceId === d.id);
            return (
              <li key={d.id} class={`st-${d.status}`} data-device={d.id}>
                <span class="k-st">
                  <span aria-hidden="true">{STATUS_ICON[d.status]}</span> {STATUS_LABEL[d.status]}
                </span>
                <span class="k-name">{d.name}</span>
                <span class="k-site">{live.siteName(d.siteId ?? NO_SITE)}</span>
                <span class="k-since">for {duration(now - new Date(d.statusSince).getTime())}</span>
                {n > 0 && <span class="k-behind">{n} unreachable behind it</span>}
                {d.flapping && <span class="k-flap">≈ flapping</span>}
                {ticket && (
                  <span class="k-ticket">
                    <PriorityBadge priority={ticket.priority} /> #{ticket.number} {ticket.status}
                  </span>
                )}
              </li>
            );
          })}
          {problems.length > MAX_PROBLEMS && <li class="k-more">and {problems.length - MAX_PROBLEMS} more</li>}
        </ul>
      )}
      <section class="k-sites" aria-label="Sites">
        {sites.map((s) => {
          const c = countByStatus(store.bySite.get(s) ?? []);
          const worst = DEVICE_STATUSES.find((st) => c[st] > 0 && st !== 'unknown') ?? 'unknown';
          return (
            <div key={s} class={`k-site-card st-${worst}`}>
              <span class="k-site-name">{store.siteName(s)}</span>
              <span class="k-site-counts">
                {DEVICE_STATUSES.filter((st) => c[st] > 0).map((st) => (
                  <span key={st}>
                    <span aria-hidden="true">{STATUS_ICON[st]}</span> {c[st]} {STATUS_LABEL[st]}
                  </span>
                ))}
              </span>
            </div>
          );
        })}
      </section>
    </main>
  );
}
