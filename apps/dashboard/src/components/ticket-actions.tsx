import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post, session } from '../api';
import { personName } from '../format';
import type { Person, Ticket, TicketAction } from '../types';

type Mode = null | 'comment' | 'resolve' | 'assign';

export interface Assignees {
  people: (Person & { team: string | null })[];
  teams: string[];
}

let assignees: Promise<Assignees> | null = null;

/** The people and teams a ticket can be assigned to (read once per page load). */
export function loadAssignees(): Promise<Assignees> {
  assignees ??= get<Assignees>('/api/tickets/assignees').catch((e: unknown) => {
    assignees = null;
    throw e;
  });
  return assignees;
}

/** What was typed in a comment or resolution box, per ticket, kept when the box closes or the row re-renders. */
const drafts = new Map<string, string>();

/** Acknowledge / assign / comment / resolve one ticket; used by the queue rows and the ticket view. */
export function TicketActions({ ticket, onChange }: { ticket: Ticket; onChange: (t: Ticket) => void }) {
  const me = session.user();
  const [mode, setMode] = useState<Mode>(null);
  const draftKey = `${ticket.id}:${mode}`;
  const [text, setTextState] = useState('');
  const setText = (v: string) => {
    drafts.set(draftKey, v);
    setTextState(v);
  };
  const [choice, setChoice] = useState('');
  const [people, setPeople] = useState<Assignees | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement & HTMLSelectElement>(null);
  const can = (action: TicketAction) => ticket.allowedActions.includes(action);
  // Take and Team… belong to tickets still being worked, not to resolved ones waiting to be closed.
  const active = can('assign') && ticket.status !== 'resolved';

  // the box gets the focus when it opens (autofocus does not apply to elements added later)
  useEffect(() => {
    if (mode) field.current?.focus();
  }, [mode]);
  useEffect(() => {
    if (mode !== 'assign') return;
    loadAssignees().then(setPeople, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [mode]);

  const run = async (path: string, body: unknown = {}) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await post<Ticket>(`/api/tickets/${ticket.id}/${path}`, body));
      drafts.delete(draftKey);
      setMode(null);
      setTextState('');
    } catch (e) {
      // what was typed stays in the box
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const open = (m: Mode) => {
    setError(null);
    const next = mode === m ? null : m;
    setMode(next);
    setTextState(drafts.get(`${ticket.id}:${next}`) ?? '');
    if (next === 'assign') setChoice(ticket.assigneeId ? `user:${ticket.assigneeId}` : '');
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (mode === 'comment') void run('comments', { body: text });
    else if (mode === 'resolve') void run('resolve', { resolution: text });
    else if (mode === 'assign') {
      if (choice.startsWith('user:')) void run('assign', { assigneeId: choice.slice(5) });
      else if (choice.startsWith('team:')) void run('assign', { team: choice.slice(5) });
      else if (choice === 'nobody') void run('assign', { assigneeId: null });
    }
  };

  const label = `#${ticket.number}`;
  const assignedToOther = !!ticket.assigneeId && ticket.assigneeId !== me?.id;
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
        {active && me && !ticket.assigneeId && (
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
            aria-label={`Assign ${label} to someone or a team`}
            title={assignedToOther ? `Assigned to ${personName(ticket.assignee)}` : undefined}
          >
            Assign…
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
              Assign to
              <select ref={field} value={choice} onChange={(e) => setChoice(e.currentTarget.value)} required>
                <option value="" disabled>
                  {people ? 'Choose a person or a team' : 'Loading…'}
                </option>
                {people && (
                  <optgroup label="People">
                    {people.people.map((p) => (
                      <option key={p.id} value={`user:${p.id}`}>
                        {personName(p)}
                        {p.id === me?.id ? ' (me)' : ''}
                        {p.team ? ` — ${p.team}` : ''}
                      </option>
                    ))}
                  </optgroup>
                )}
                {people && people.teams.length > 0 && (
                  <optgroup label="Teams">
                    {people.teams.map((team) => (
                      <option key={team} value={`team:${team}`}>
                        Team {team}
                      </option>
                    ))}
                  </optgroup>
                )}
                {ticket.assigneeId && <option value="nobody">Nobody (unassign)</option>}
              </select>
            </label>
          ) : (
            <label>
              {mode === 'comment' ? 'Comment' : 'Resolution (what was done)'}
              <textarea
                ref={field}
                value={text}
                rows={3}
                onInput={(e) => setText(e.currentTarget.value)}
                onKeyDown={(e) => {
                  // Enter sends, Shift+Enter starts a new line
                  if (e.key === 'Enter' && !e.shiftKey) {
                    e.preventDefault();
                    if (text.trim()) submit(e);
                  }
                }}
                required
                maxLength={10000}
              />
            </label>
          )}
          <div class="form-buttons">
            <button type="submit" class="primary" disabled={busy}>
              {mode === 'comment' ? 'Add comment' : mode === 'resolve' ? 'Resolve' : 'Assign'}
            </button>
            <button type="button" onClick={() => setMode(null)}>
              Cancel
            </button>
          </div>
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
