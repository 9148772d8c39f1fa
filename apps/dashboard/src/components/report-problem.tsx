import { useState } from 'preact/hooks';
import { api, get } from '../api';
import { dateTime } from '../format';
import { useAsync } from '../hooks';
import { PROBLEM_STATUSES } from '../report-types';
import type { Problem, ProblemStatus, ProblemWithEpisodes } from '../report-types';
import { faultLabel, Section, Loading, TicketLink, EpisodesTable, ProblemStatusBadge } from './report-common';

/** `/problems/:id`: a problem, its episodes and tickets, and setting it known error (with a workaround) or resolved. */
export function ProblemView({ id }: { id: string }) {
  const { data, error, reload } = useAsync(() => get<ProblemWithEpisodes>(`/api/problems/${id}`), [id]);
  const [status, setStatus] = useState<ProblemStatus | null>(null);
  const [workaround, setWorkaround] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  if (!data) {
    return (
      <main>
        <Loading what="problem" error={error} />
        <a href="/reports">Back to the reports</a>
      </main>
    );
  }
  const st = status ?? data.status;
  const wa = workaround ?? data.workaround ?? '';
  const save = (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setMessage(null);
    api<Problem>('PATCH', `/api/problems/${id}`, { status: st, ...(wa.trim() ? { workaround: wa.trim() } : {}) })
      .then(
        (p) => {
          setMessage({ ok: true, text: `Saved: ${p.status.replace('_', ' ')}` });
          setStatus(null);
          setWorkaround(null);
          reload();
        },
        (err: unknown) => setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => setSaving(false));
  };

  return (
    <main class="report problem-view" aria-labelledby="problem-title">
      <p class="crumbs no-print">
        <a href="/reports">← Reports</a>
      </p>
      <div class="toolbar report-head">
        <h1 id="problem-title">
          PRB-{data.number} {data.title}
        </h1>
        <ProblemStatusBadge status={data.status} />
        <button type="button" class="no-print print-btn" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <div class="facts">
        <div>
          <span class="k">Fault</span>
          {faultLabel(data.faultType, data.ifIndex)}
        </div>
        <div>
          <span class="k">Scope</span>
          {data.scope}
          {data.deviceKind ? ` (${data.deviceKind})` : ''}
        </div>
        {data.deviceId && (
          <div>
            <span class="k">Device</span>
            <a href={`/devices/${data.deviceId}`}>{data.episodes[0]?.deviceName ?? 'device'}</a>
          </div>
        )}
        <div>
          <span class="k">Occurrences</span>
          {data.occurrences} on {data.devices} device{data.devices === 1 ? '' : 's'}
        </div>
        <div>
          <span class="k">Opened</span>
          {dateTime(data.openedAt)}
        </div>
        <div>
          <span class="k">First / last</span>
          {dateTime(data.firstAt ?? undefined)} – {dateTime(data.lastAt ?? undefined)}
        </div>
        {data.resolvedAt && (
          <div>
            <span class="k">Resolved</span>
            {dateTime(data.resolvedAt)}
          </div>
        )}
        {data.workaround && (
          <div class="wide">
            <span class="k">Workaround</span>
            <span class="ev-msg">{data.workaround}</span>
          </div>
        )}
      </div>

      <section class="report-section no-print" aria-labelledby="problem-update">
        <h2 id="problem-update">Update</h2>
        <form class="problem-form" onSubmit={save}>
          <fieldset>
            <legend>Status</legend>
            {PROBLEM_STATUSES.map((s) => (
              <label key={s} class="radio">
                <input type="radio" name="problem-status" value={s} checked={st === s} onChange={() => setStatus(s)} />
                {s === 'known_error' ? 'known error' : s}
              </label>
            ))}
          </fieldset>
          <label class="block">
            Workaround{st === 'known_error' ? ' (required for a known error)' : ''}
            <textarea
              rows={3}
              maxLength={4000}
              value={wa}
              required={st === 'known_error'}
              onInput={(e) => setWorkaround(e.currentTarget.value)}
            />
          </label>
          <div class="form-actions">
            <button type="submit" class="primary" disabled={saving}>
              Save
            </button>
            {message && (
              <span class={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
                {message.text}
              </span>
            )}
          </div>
        </form>
      </section>

      <Section id="problem-tickets" title={`Tickets (${data.ticketIds.length})`}>
        {data.ticketIds.length === 0 ? (
          <p class="muted">No tickets.</p>
        ) : (
          <ul class="plain ticket-list">
            {data.ticketIds.map((t) => (
              <li key={t}>
                <TicketLink id={t} />
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section id="problem-episodes" title={`Episodes (${data.episodes.length})`}>
        <EpisodesTable episodes={data.episodes} showDevice={data.scope !== 'device' || data.devices > 1} />
      </Section>
    </main>
  );
}
