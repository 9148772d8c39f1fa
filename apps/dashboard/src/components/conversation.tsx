import { useState } from 'preact/hooks';
import { ApiError, get, post, roleAtLeast, session } from '../api';
import { dateTime } from '../format';
import { useAsync } from '../hooks';
import { navigate } from '../router';
import type { Ticket } from '../types';
import './requests.css';

/** What the ticket representation adds for people's requests. */
export interface RequestFields {
  requesters?: { email: string; name?: string }[];
  parentTicketId?: string | null;
  suggestedArticles?: { id: string; title: string }[];
}

interface MailMessage {
  id: string;
  direction: 'in' | 'out';
  kind: string;
  from: string;
  fromName?: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  at: string;
  status: 'received' | 'pending' | 'sent' | 'failed';
  error?: string;
  attachments: { id: string; filename: string; size: number; kept: boolean }[];
}

const KIND: Record<string, string> = {
  request: 'request',
  reply: 'reply',
  auto_reply: 'automatic reply (not answered)',
  bounce: 'bounce (not answered)',
  agent_reply: 'reply',
  auto_answer: 'automatic answer',
  resolution_notice: 'resolution notice',
};

/** The new text of a mail and the quoted conversation under it (folded away in the view). */
export function splitQuoted(text: string): { fresh: string; quoted: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cut = lines.findIndex(
    (l) =>
      /^\s*>/.test(l) ||
      /^\s*(On|Am|Le)\s.+(wrote|schrieb|a écrit)\s*:\s*$/i.test(l) ||
      /^-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}/i.test(l) ||
      /^From:\s.+/.test(l),
  );
  if (cut < 0) return { fresh: text.trim(), quoted: '' };
  return { fresh: lines.slice(0, cut).join('\n').trim(), quoted: lines.slice(cut).join('\n').trim() };
}

/**
 * The request side of a ticket: its requesters, the incident it is linked to (or the requests linked to
 * this incident), the email conversation with quoted text folded, a reply box, and matching articles.
 */
export function RequestPanel({ ticket, onChange }: { ticket: Ticket & RequestFields; onChange: () => void }) {
  const agent = roleAtLeast(session.user(), 'agent');
  const requesters = ticket.requesters ?? [];
  const messages = useAsync(() => get<MailMessage[]>(`/api/tickets/${ticket.id}/messages`), [ticket.id, ticket.status]);
  const linked = useAsync(
    () => get<(Ticket & RequestFields)[]>(`/api/tickets?parentTicketId=${ticket.id}&limit=200`),
    [ticket.id, ticket.status],
  );
  const parent = useAsync(
    () => (ticket.parentTicketId ? get<Ticket>(`/api/tickets/${ticket.parentTicketId}`) : Promise.resolve(undefined)),
    [ticket.parentTicketId],
  ).data;
  const conversation = messages.data ?? [];

  return (
    <section class="requests" aria-label="Requests">
      {requesters.length > 0 && (
        <p class="requesters">
          <span class="k">Requesters</span>{' '}
          {requesters.map((r, i) => (
            <span key={r.email}>
              {i > 0 && ', '}
              {r.name ? `${r.name} <${r.email}>` : r.email}
            </span>
          ))}
        </p>
      )}
      {parent && (
        <p class="linked-to">
          <span class="k">Linked to incident</span>{' '}
          <a href={`/tickets/${parent.id}`}>
            #{parent.number} {parent.title}
          </a>{' '}
          ({parent.status.replace('_', ' ')}){agent && <UnlinkButton id={ticket.id} onDone={onChange} />}
        </p>
      )}
      {!ticket.parentTicketId && agent && ticket.source === 'email' && ticket.status !== 'closed' && (
        <LinkForm id={ticket.id} onDone={onChange} />
      )}
      {(linked.data?.length ?? 0) > 0 && (
        <div class="linked-requests">
          <h2>Requests linked to this incident ({linked.data!.length})</h2>
          <ul>
            {linked.data!.map((r) => (
              <li key={r.id}>
                <a href={`/tickets/${r.id}`}>
                  #{r.number} {r.title}
                </a>{' '}
                <span class="muted">
                  {r.status.replace('_', ' ')} · {(r.requesters ?? []).map((x) => x.email).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {(ticket.suggestedArticles?.length ?? 0) > 0 && (
        <div class="suggested">
          <h2>Suggested articles</h2>
          <ul>
            {ticket.suggestedArticles!.map((a) => (
              <li key={a.id}>
                <a href={`/articles/${a.id}`}>{a.title}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {agent && ['resolved', 'closed'].includes(ticket.status) && ticket.resolution && (
        <p>
          <button type="button" onClick={() => navigate(`/articles/new?fromTicket=${ticket.id}`)}>
            Save as article
          </button>
        </p>
      )}
      {(conversation.length > 0 || requesters.length > 0) && (
        <div class="conversation">
          <h2>Conversation</h2>
          {messages.error && (
            <p class="error" role="alert">
              {messages.error}
            </p>
          )}
          <ol aria-label="Conversation, oldest first">
            {conversation.map((m) => (
              <MessageItem key={m.id} m={m} />
            ))}
          </ol>
          {agent && requesters.length > 0 && ticket.status !== 'closed' && (
            <ReplyBox
              id={ticket.id}
              to={requesters.map((r) => r.email)}
              onSent={() => (messages.reload(), onChange())}
            />
          )}
        </div>
      )}
    </section>
  );
}

function MessageItem({ m }: { m: MailMessage }) {
  const { fresh, quoted } = splitQuoted(m.text);
  return (
    <li class={`mail mail-${m.direction}`} data-kind={m.kind}>
      <div class="mail-head">
        <strong>{m.direction === 'in' ? (m.fromName ? `${m.fromName} <${m.from}>` : m.from) : 'NetDesk'}</strong>
        {' → '}
        <span class="muted">
          {m.to.slice(0, 3).join(', ')}
          {m.to.length > 3 && ` and ${m.to.length - 3} more`}
        </span>{' '}
        <time dateTime={m.at}>{dateTime(m.at)}</time> <span class="badge">{KIND[m.kind] ?? m.kind}</span>
        {m.direction === 'out' && m.status !== 'sent' && (
          <span class={`badge ${m.status === 'failed' ? 'st-down' : ''}`} title={m.error}>
            {m.status === 'failed' ? `not sent${m.error ? `: ${m.error}` : ''}` : 'sending…'}
          </span>
        )}
      </div>
      <div class="mail-subject">{m.subject}</div>
      <pre class="mail-text">{fresh || '(no text)'}</pre>
      {quoted && (
        <details class="mail-quoted">
          <summary>Quoted text</summary>
          <pre>{quoted}</pre>
        </details>
      )}
      {m.attachments.length > 0 && (
        <p class="small muted">
          Attachments:{' '}
          {m.attachments
            .map((a) => `${a.filename} (${Math.ceil(a.size / 1024)} KB${a.kept ? '' : ', not kept: too large'})`)
            .join(', ')}
        </p>
      )}
    </li>
  );
}

function ReplyBox({ id, to, onSent }: { id: string; to: string[]; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [sent, setSent] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await post(`/api/tickets/${id}/replies`, { body });
      setBody('');
      setSent(true);
      onSent();
    } catch (err) {
      setError(err instanceof ApiError ? err.messages.join('; ') : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="reply-box" onSubmit={submit}>
      <label for={`reply-${id}`}>Reply to {to.join(', ')}</label>
      <textarea
        id={`reply-${id}`}
        rows={5}
        maxLength={20000}
        value={body}
        onInput={(e) => (setBody((e.target as HTMLTextAreaElement).value), setSent(false))}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `reply-${id}-error` : undefined}
      />
      {error && (
        <p class="error" id={`reply-${id}-error`} role="alert">
          {error}
        </p>
      )}
      {sent && (
        <p class="muted" role="status">
          Reply queued for sending.
        </p>
      )}
      <button type="submit" disabled={busy || !body.trim()}>
        Send reply
      </button>
    </form>
  );
}

function LinkForm({ id, onDone }: { id: string; onDone: () => void }) {
  const [number, setNumber] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      const n = number.replace(/^#/, '').trim();
      const [incident] = await get<Ticket[]>(`/api/tickets?q=${encodeURIComponent(`#${n}`)}&limit=1`);
      if (!incident || String(incident.number) !== n) throw new Error(`no ticket #${n}`);
      await post(`/api/tickets/${id}/link`, { parentTicketId: incident.id });
      setNumber('');
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.messages.join('; ') : err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form class="link-form" onSubmit={submit}>
      <label for={`link-${id}`}>Link to incident #</label>
      <input
        id={`link-${id}`}
        value={number}
        onInput={(e) => setNumber((e.target as HTMLInputElement).value)}
        size={8}
      />
      <button type="submit" disabled={!number.trim()}>
        Link
      </button>
      {error && (
        <span class="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

function UnlinkButton({ id, onDone }: { id: string; onDone: () => void }) {
  return (
    <button type="button" onClick={() => post(`/api/tickets/${id}/unlink`).then(onDone, onDone)}>
      Unlink
    </button>
  );
}

/** How many open requests the live feed knows linked to an incident: "✉ 3" next to it on the board. */
export function RequestCount({ tickets, incidentId }: { tickets: Map<string, Ticket>; incidentId: string }) {
  let n = 0;
  for (const t of tickets.values()) if ((t as Ticket & RequestFields).parentTicketId === incidentId) n++;
  return n > 0 ? (
    <span class="req-count" title={`${n} request${n === 1 ? '' : 's'} linked`} aria-label={`${n} requests linked`}>
      {' '}
      ✉ {n}
    </span>
  ) : null;
}
