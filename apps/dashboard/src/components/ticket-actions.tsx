import { useState } from 'preact/hooks';
import { post, session } from '../api';
import type { Ticket, TicketAction } from '../types';

type Mode = null | 'comment' | 'resolve' | 'assign';

/** Acknowledge / assign / comment / resolve one ticket; used by the queue rows and the ticket view. */
export function TicketActions({ ticket, onChange }: { ticket: Ticket; onChange: (t: Ticket) => void }) {
  const me = session.user();
  const [mode, setMode] = useState<Mode>(null);
  const [text, setText] = useState('');
  const [team, setTeam] = useState(ticket.team ?? me?.team ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const can = (action: TicketAction) => ticket.allowedActions.includes(action);
  // Take and Team… belong to tickets still being worked, not to resolved ones waiting to be closed.
  const active = can('assign') && ticket.status !== 'resolved';

  const run = async (path: string, body: unknown = {}) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await post<Ticket>(`/api/tickets/${ticket.id}/${path}`, body));
      setMode(null);
      setText('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const open = (m: Mode) => {
    setError(null);
    setText('');
    setMode(mode === m ? null : m);
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (mode === 'comment') void run('comments', { body: text });
    else if (mode === 'resolve') void run('resolve', { resolution: text });
    else if (mode === 'assign') void run('assign', { team: team.trim() || null });
  };

  const label = `#${ticket.number}`;
  return (
    <div class="actions">
      <div class="action-buttons">
        {can('acknowledge') && (
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => void run('acknowledge')}
            aria-label={`Acknowledge ${label}`}
          >
            ✓ Acknowledge
          </button>
        )}
        {can('start') && (
          <button type="button" disabled={busy} onClick={() => void run('start')} aria-label={`Start work on ${label}`}>
            ▶ Start
          </button>
        )}
        {active && me && ticket.assigneeId !== me.id && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run('assign', { assigneeId: me.id })}
            aria-label={`Assign ${label} to me`}
          >
            Take
          </button>
        )}
        {active && (
          <button
            type="button"
            disabled={busy}
            aria-expanded={mode === 'assign'}
            onClick={() => open('assign')}
            aria-label={`Assign ${label} to a team`}
          >
            Team…
          </button>
        )}
        {can('comment') && (
          <button
            type="button"
            disabled={busy}
            aria-expanded={mode === 'comment'}
            onClick={() => open('comment')}
            aria-label={`Comment on ${label}`}
          >
            Comment…
          </button>
        )}
        {can('resolve') && (
          <button
            type="button"
            disabled={busy}
            aria-expanded={mode === 'resolve'}
            onClick={() => open('resolve')}
            aria-label={`Resolve ${label}`}
          >
            Resolve…
          </button>
        )}
        {can('close') && (
          <button type="button" disabled={busy} onClick={() => void run('close')} aria-label={`Close ${label}`}>
            Close
          </button>
        )}
        {can('reopen') && (
          <button type="button" disabled={busy} onClick={() => void run('reopen')} aria-label={`Reopen ${label}`}>
            Reopen
          </button>
        )}
      </div>
      {mode && (
        <form class="action-form" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && setMode(null)}>
          {mode === 'assign' ? (
            <label>
              Team
              <input
                value={team}
                onInput={(e) => setTeam(e.currentTarget.value)}
                autofocus
                maxLength={64}
                placeholder="e.g. noc"
              />
            </label>
          ) : (
            <label>
              {mode === 'comment' ? 'Comment' : 'Resolution (what was done)'}
              <input
                value={text}
                onInput={(e) => setText(e.currentTarget.value)}
                autofocus
                required
                maxLength={10000}
              />
            </label>
          )}
          <button type="submit" class="primary" disabled={busy}>
            {mode === 'comment' ? 'Add comment' : mode === 'resolve' ? 'Resolve' : 'Assign'}
          </button>
          <button type="button" onClick={() => setMode(null)}>
            Cancel
          </button>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
