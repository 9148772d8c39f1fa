import { useEffect, useState } from 'preact/hooks';
import { ApiError, session } from '../api';
import { dateTime, personName } from '../format';
import type { Ticket, TicketStatus } from '../types';
import { liveDeviceName, TicketLeadCells } from './ticket-queue';

const STATUSES: TicketStatus[] = ['open', 'acknowledged', 'in_progress', 'resolved', 'closed'];
const PAGE = 25;

/** GET /api/tickets with the total from X-Total-Count (the `get` helper keeps only the body). */
async function search(params: URLSearchParams): Promise<{ tickets: Ticket[]; total: number }> {
  const res = await fetch(`/api/tickets?${params}`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${session.token() ?? ''}` },
  });
  const body = (await res.json()) as Ticket[] | { message?: string[] | string };
  if (!res.ok) {
    const m = (body as { message?: string[] | string }).message;
    throw new ApiError(res.status, Array.isArray(m) ? m.join('; ') : (m ?? `${res.status}`));
  }
  return { tickets: body as Ticket[], total: Number(res.headers.get('X-Total-Count') ?? 0) };
}

/** A local date (yyyy-mm-dd from the date input) as the start of that day, in UTC ISO. */
const dayStart = (d: string) => new Date(`${d}T00:00:00`).toISOString();
const dayAfter = (d: string) => new Date(new Date(`${d}T00:00:00`).getTime() + 86_400_000).toISOString();

/**
 * Every ticket, resolved and closed included: text (number, title, device, description, comments),
 * status, opened between two dates, 25 a page. The form is kept in the address, so a search can be
 * shared and the back button returns to it.
 */
export function TicketSearch() {
  const initial = new URLSearchParams(location.search);
  const [q, setQ] = useState(initial.get('q') ?? '');
  const [statuses, setStatuses] = useState<TicketStatus[]>(
    (initial
      .get('status')
      ?.split(',')
      .filter((s) => STATUSES.includes(s as TicketStatus)) as TicketStatus[]) ?? [],
  );
  const [from, setFrom] = useState(initial.get('from') ?? '');
  const [to, setTo] = useState(initial.get('to') ?? '');
  const [page, setPage] = useState(Number(initial.get('page') ?? 0) || 0);
  const [submitted, setSubmitted] = useState(0);
  const [result, setResult] = useState<{ tickets: Ticket[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(page * PAGE) });
    const shown = new URLSearchParams();
    const both = (key: string, sent: string, kept: string) => {
      params.set(key, sent);
      shown.set(key, kept);
    };
    if (q.trim()) both('q', q.trim(), q.trim());
    if (statuses.length) both('status', statuses.join(','), statuses.join(','));
    if (from) both('from', dayStart(from), from);
    if (to) both('to', dayAfter(to), to);
    if (page) shown.set('page', String(page));
    history.replaceState(null, '', `/tickets/search${shown.size ? `?${shown}` : ''}`);
    let cancelled = false;
    setError(null);
    search(params).then(
      (r) => !cancelled && setResult(r),
      (e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [submitted, page]);

  const go = (e: Event) => {
    e.preventDefault();
    setPage(0);
    setSubmitted((n) => n + 1);
  };
  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE)) : 1;

  return (
    <main class="ticket-search" aria-labelledby="search-title">
      <p class="crumbs">
        <a href="/tickets">← Queue</a>
      </p>
      <h1 id="search-title">Search tickets</h1>
      <form class="search-form panel" onSubmit={go}>
        <label class="grow">
          Text
          <input
            type="search"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
            placeholder="number, title, device, comment…"
            maxLength={200}
          />
        </label>
        <fieldset class="statuses">
          <legend>Status</legend>
          {STATUSES.map((s) => (
            <label key={s} class="check">
              <input
                type="checkbox"
                checked={statuses.includes(s)}
                onChange={(e) =>
                  setStatuses(e.currentTarget.checked ? [...statuses, s] : statuses.filter((x) => x !== s))
                }
              />{' '}
              {s.replace('_', ' ')}
            </label>
          ))}
        </fieldset>
        <label>
          Opened from
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          to
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">
          Search
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p class="muted" role="status" data-testid="search-total">
            {result.total === 0
              ? 'No ticket matches.'
              : `${result.total} ticket${result.total === 1 ? '' : 's'} — page ${page + 1} of ${pages}`}
          </p>
          {result.tickets.length > 0 && (
            <table class="tickets cards-on-phone" aria-label="Tickets found, newest first">
              <thead>
                <tr>
                  <th scope="col">Priority</th>
                  <th scope="col">Ticket</th>
                  <th scope="col">Status</th>
                  <th scope="col">Opened</th>
                  <th scope="col">Assigned</th>
                </tr>
              </thead>
              <tbody>
                {result.tickets.map((t) => (
                  <tr key={t.id} data-ticket={t.id}>
                    <TicketLeadCells ticket={t}>
                      {liveDeviceName(t) && <div class="muted small">{liveDeviceName(t)}</div>}
                    </TicketLeadCells>
                    <td data-label="Opened">{dateTime(t.openedAt)}</td>
                    <td data-label="Assigned">
                      {t.assignee ? personName(t.assignee) : <span class="muted">nobody</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {pages > 1 && (
            <nav class="pager" aria-label="Pages">
              <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
                ← Newer
              </button>
              <span>
                Page {page + 1} of {pages}
              </span>
              <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                Older →
              </button>
            </nav>
          )}
        </>
      )}
    </main>
  );
}
