import { useState } from 'preact/hooks';
import { ApiError, del, get, post, roleAtLeast, session } from '../api';
import { useAsync } from '../hooks';
import { ErrorAlert } from './page-state';
import './requests.css';

interface Contact {
  id: string;
  email: string;
  name: string | null;
  siteId: string;
}
interface SiteDomain {
  domain: string;
  siteId: string;
}
interface Site {
  id: string;
  name: string;
}

/** People and the sites they work at, and each site's mail domains: how a request finds its incident. */
export function ContactsPage() {
  const agent = roleAtLeast(session.user(), 'agent');
  const contacts = useAsync(() => get<Contact[]>('/api/contacts'), []);
  const domains = useAsync(() => get<SiteDomain[]>('/api/contacts/domains'), []);
  const sites = useAsync(() => get<Site[]>('/api/sites'), []).data ?? [];
  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? id;
  return (
    <main aria-labelledby="contacts-title">
      <h1 id="contacts-title">Contacts</h1>
      <p class="muted">
        Mail from a contact, or from a site’s mail domain, about “the network” is linked to that site’s live incident.
      </p>
      <table class="contacts-table" aria-label="Contacts">
        <thead>
          <tr>
            <th>Email</th>
            <th>Name</th>
            <th>Site</th>
            {agent && <th />}
          </tr>
        </thead>
        <tbody>
          {(contacts.data ?? []).map((c) => (
            <tr key={c.id}>
              <td>{c.email}</td>
              <td>{c.name ?? '—'}</td>
              <td>{siteName(c.siteId)}</td>
              {agent && (
                <td>
                  <button
                    type="button"
                    onClick={() => del(`/api/contacts/${c.id}`).then(contacts.reload, contacts.reload)}
                  >
                    Remove {c.email}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {agent && <ContactForm sites={sites} onDone={contacts.reload} />}
      <h2>Site mail domains</h2>
      <ul aria-label="Site mail domains">
        {(domains.data ?? []).map((d) => (
          <li key={d.domain}>
            @{d.domain} → {siteName(d.siteId)}{' '}
            {agent && (
              <button
                type="button"
                onClick={() => del(`/api/contacts/domains/${d.domain}`).then(domains.reload, domains.reload)}
              >
                Remove @{d.domain}
              </button>
            )}
          </li>
        ))}
      </ul>
      {agent && <DomainForm sites={sites} onDone={domains.reload} />}
    </main>
  );
}

function ContactForm({ sites, onDone }: { sites: Site[]; onDone: () => void }) {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [siteId, setSiteId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await post('/api/contacts', { email, ...(name.trim() && { name }), siteId });
      setEmail('');
      setName('');
      onDone();
    } catch (err) {
      setError(messageOf(err));
      document.getElementById('contact-email')?.focus();
    }
  };
  return (
    <form class="kb-form" onSubmit={submit} aria-label="Add contact">
      <h2>Add a contact</h2>
      <label for="contact-email">Email</label>
      <input
        id="contact-email"
        value={email}
        onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
        aria-invalid={error ? 'true' : undefined}
      />
      <label for="contact-name">Name</label>
      <input id="contact-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      <label for="contact-site">Site</label>
      <SiteSelect id="contact-site" sites={sites} value={siteId} onChange={setSiteId} />
      <ErrorAlert error={error} />
      <button type="submit">Add contact</button>
    </form>
  );
}

function DomainForm({ sites, onDone }: { sites: Site[]; onDone: () => void }) {
  const [domain, setDomain] = useState('');
  const [siteId, setSiteId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await post('/api/contacts/domains', { domain: domain.replace(/^@/, ''), siteId });
      setDomain('');
      onDone();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form class="kb-form" onSubmit={submit} aria-label="Add site mail domain">
      <label for="domain-name">Mail domain</label>
      <input
        id="domain-name"
        value={domain}
        placeholder="berlin.example.com"
        onInput={(e) => setDomain((e.target as HTMLInputElement).value)}
      />
      <label for="domain-site">Site of the domain</label>
      <SiteSelect id="domain-site" sites={sites} value={siteId} onChange={setSiteId} />
      <ErrorAlert error={error} />
      <button type="submit">Add domain</button>
    </form>
  );
}

/** What a refused request says, for the alert under the form. */
const messageOf = (err: unknown) => (err instanceof ApiError ? err.messages.join('; ') : String(err));

/** A site picker that starts at "Choose a site…". */
function SiteSelect(props: { id: string; sites: Site[]; value: string; onChange: (siteId: string) => void }) {
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
      <option value="">Choose a site…</option>
      {props.sites.map((s) => (
        <option key={s.id} value={s.id}>
          {s.name}
        </option>
      ))}
    </select>
  );
}
