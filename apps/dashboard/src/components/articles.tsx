import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, patch, post, roleAtLeast, session } from '../api';
import { dateTime } from '../format';
import { useAsync } from '../hooks';
import { navigate, useLocation } from '../router';
import type { Ticket } from '../types';
import { ErrorAlert, PageLoadState } from './page-state';
import './requests.css';

interface ArticleSummary {
  id: string;
  title: string;
  faultTypes: string[];
  deviceKinds: string[];
  tags: string[];
  revision: number;
  updatedAt: string;
  updatedBy: string;
  snippet?: string;
}

interface Article extends ArticleSummary {
  body: string;
  html: string;
  sourceTicketId: string | null;
  revisions: { revision: number; title: string; author: string; at: string }[];
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** The page for a path under /articles, or null. */
export function articlesPage(path: string): preact.JSX.Element | null {
  let m: RegExpMatchArray | null;
  if (path === '/articles') return <ArticleList />;
  if (path === '/articles/new') return <ArticleForm />;
  if ((m = path.match(/^\/articles\/([0-9a-f-]{36})\/edit$/i))) return <ArticleForm id={m[1]} />;
  if ((m = path.match(/^\/articles\/([0-9a-f-]{36})$/i))) return <ArticleView id={m[1]} />;
  return null;
}

/** `«match»` in a search snippet, shown as <mark> without ever parsing the snippet as HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/([«»])/);
  let inside = false;
  return (
    <p class="kb-snippet">
      {parts.map((p, i) => {
        if (p === '«') return ((inside = true), null);
        if (p === '»') return ((inside = false), null);
        return inside ? <mark key={i}>{p}</mark> : <span key={i}>{p}</span>;
      })}
    </p>
  );
}

function ArticleList() {
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const { data, error, loading } = useAsync(
    () => get<ArticleSummary[]>(`/api/articles?limit=50${q ? `&q=${encodeURIComponent(q)}` : ''}`),
    [q],
  );
  return (
    <main aria-labelledby="kb-title">
      <h1 id="kb-title">Knowledge base</h1>
      <form
        role="search"
        class="toolbar"
        onSubmit={(e) => (
          e.preventDefault(),
          navigate(`/articles${text.trim() ? `?q=${encodeURIComponent(text.trim())}` : ''}`)
        )}
      >
        <label for="kb-q">Search articles</label>
        <input
          id="kb-q"
          type="search"
          value={text}
          maxLength={200}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Search</button>
        {roleAtLeast(session.user(), 'agent') && <a href="/articles/new">New article</a>}
      </form>
      <ErrorAlert error={error} />
      {!loading && data && data.length === 0 && (
        <p class="muted">{q ? `No article matches “${q}”.` : 'No articles yet.'}</p>
      )}
      <ul class="kb-list" aria-label="Articles">
        {(data ?? []).map((a) => (
          <li key={a.id}>
            <a href={`/articles/${a.id}`}>{a.title}</a>{' '}
            <span class="muted small">
              {[...a.faultTypes, ...a.deviceKinds, ...a.tags].join(' · ')} · rev {a.revision}, {dateTime(a.updatedAt)}
            </span>
            {a.snippet && <Snippet text={a.snippet} />}
          </li>
        ))}
      </ul>
    </main>
  );
}

function ArticleView({ id }: { id: string }) {
  const { data: a, error } = useAsync(() => get<Article>(`/api/articles/${id}`), [id]);
  if (error || !a)
    return (
      <PageLoadState
        error={error}
        loading="Loading article…"
        back={<a href="/articles">Back to the knowledge base</a>}
      />
    );
  return (
    <main aria-labelledby="article-title">
      <p class="crumbs">
        <a href="/articles">← Knowledge base</a>
      </p>
      <h1 id="article-title">{a.title}</h1>
      <p class="muted small">
        {[...a.faultTypes, ...a.deviceKinds, ...a.tags].join(' · ')} · revision {a.revision} by {a.updatedBy},{' '}
        {dateTime(a.updatedAt)}
        {a.sourceTicketId && (
          <>
            {' '}
            · from <a href={`/tickets/${a.sourceTicketId}`}>its ticket</a>
          </>
        )}
      </p>
      {roleAtLeast(session.user(), 'agent') && (
        <p>
          <a href={`/articles/${a.id}/edit`}>Edit</a>
        </p>
      )}
      {/* the server renders the markdown and sanitises the HTML (sanitize-html allow-list) */}
      <article class="kb-article" dangerouslySetInnerHTML={{ __html: a.html }} />
      <details>
        <summary>Revisions ({a.revisions.length})</summary>
        <ol aria-label="Revisions, newest first">
          {a.revisions.map((r) => (
            <li key={r.revision}>
              revision {r.revision} by {r.author}, {dateTime(r.at)} — {r.title}
            </li>
          ))}
        </ol>
      </details>
    </main>
  );
}

function ArticleForm({ id }: { id?: string }) {
  const { query } = useLocation();
  const fromTicket = query.get('fromTicket');
  const [form, setForm] = useState({ title: '', body: '', faultTypes: '', deviceKinds: '', tags: '' });
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // the form appears once what it edits is loaded, so a late answer cannot overwrite what was typed
  const [loaded, setLoaded] = useState(!id && !fromTicket);
  useEffect(() => {
    const ready = () => setLoaded(true);
    if (id)
      get<Article>(`/api/articles/${id}`)
        .then(
          (a) =>
            setForm({
              title: a.title,
              body: a.body,
              faultTypes: a.faultTypes.join(', '),
              deviceKinds: a.deviceKinds.join(', '),
              tags: a.tags.join(', '),
            }),
          (e: Error) => setError(e.message),
        )
        .finally(ready);
    else if (fromTicket)
      get<Ticket>(`/api/tickets/${fromTicket}`)
        .then(
          (t) =>
            setForm({
              title: t.title,
              body: `## Problem\n\n${t.description ?? t.title}\n\n## What fixed it\n\n${t.resolution ?? ''}\n`,
              faultTypes: t.faultType === 'other' ? '' : t.faultType,
              deviceKinds: '',
              tags: '',
            }),
          (e: Error) => setError(e.message),
        )
        .finally(ready);
  }, [id, fromTicket]);
  const field = (name: keyof typeof form) => ({
    id: `kb-${name}`,
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value }),
  });
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const body = {
      title: form.title,
      body: form.body,
      faultTypes: list(form.faultTypes),
      deviceKinds: list(form.deviceKinds),
      tags: list(form.tags),
    };
    try {
      const saved = id
        ? await patch<Article>(`/api/articles/${id}`, body)
        : await post<Article>('/api/articles', fromTicket ? { ...body, sourceTicketId: fromTicket } : body);
      navigate(`/articles/${saved.id}`);
    } catch (err) {
      setError(err instanceof ApiError ? err.messages.join('; ') : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main aria-labelledby="kb-form-title">
      <p class="crumbs">
        <a href={id ? `/articles/${id}` : '/articles'}>← Back</a>
      </p>
      <h1 id="kb-form-title">{id ? 'Edit article' : 'New article'}</h1>
      {!loaded && <p class="muted">Loading…</p>}
      <form class="kb-form" onSubmit={submit} hidden={!loaded}>
        <label for="kb-title">Title</label>
        <input {...field('title')} maxLength={200} required />
        <label for="kb-body">Body (markdown)</label>
        <textarea {...field('body')} rows={14} required />
        <label for="kb-faultTypes">Fault types (comma-separated)</label>
        <input {...field('faultTypes')} />
        <label for="kb-deviceKinds">Device kinds (comma-separated)</label>
        <input {...field('deviceKinds')} />
        <label for="kb-tags">Tags (comma-separated)</label>
        <input {...field('tags')} />
        <ErrorAlert error={error} />
        <button type="submit" disabled={busy}>
          {id ? 'Save revision' : 'Create article'}
        </button>
      </form>
    </main>
  );
}
