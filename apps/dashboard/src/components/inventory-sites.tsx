/** /inventory/sites: list, add, edit (in place) and delete sites. */
import { useState } from 'preact/hooks';
import { del, patch, post } from '../api';
import { CancelButton, EditDeleteButtons } from './crud';
import { Form, TextField, useForm } from './forms';
import { AdminOnly, InventoryShell, SearchBox, type InventoryDevice, type Site, useList } from './inventory-common';

interface SiteValues {
  name: string;
  location: string;
}

const body = (v: SiteValues) => ({ name: v.name, location: v.location.trim() || undefined });

export function SitesPage(props: { admin: boolean }) {
  const sites = useList<Site>('/api/sites');
  const devices = useList<InventoryDevice>('/api/devices');
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const count = new Map<string, number>();
  for (const d of devices.data ?? []) if (d.siteId) count.set(d.siteId, (count.get(d.siteId) ?? 0) + 1);
  const shown = (sites.data ?? [])
    .filter(
      (s) => !needle || s.name.toLowerCase().includes(needle) || (s.location ?? '').toLowerCase().includes(needle),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  const [editing, setEditing] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const remove = async (s: Site) => {
    if (!window.confirm(`Delete site "${s.name}"? Its devices stay, without a site.`)) return;
    setError(null);
    try {
      await del(`/api/sites/${s.id}`);
      setNote(`Site "${s.name}" deleted.`);
      sites.reload();
      devices.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <InventoryShell path="/inventory/sites" title="Sites">
      {props.admin ? (
        <AddSite
          onAdded={(s) => {
            setNote(`Site "${s.name}" added.`);
            sites.reload();
          }}
        />
      ) : (
        <AdminOnly />
      )}
      {note && (
        <p class="inv-flash" role="status">
          {note}
        </p>
      )}
      {(error || sites.error) && (
        <p class="error" role="alert">
          {error ?? sites.error}
        </p>
      )}
      <h2>All sites {sites.data && <span class="muted">({sites.data.length})</span>}</h2>
      {sites.data && sites.data.length > 0 && (
        <div class="inv-filters inv-filters-one" role="search">
          <SearchBox label="Search sites" value={q} placeholder="name or location" onInput={setQ} />
        </div>
      )}
      {!sites.data ? (
        <p class="muted">Loading…</p>
      ) : sites.data.length === 0 ? (
        <p class="muted">No sites yet. A site groups devices on the board (a building, a branch, a data centre).</p>
      ) : (
        <table class="inv-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Location</th>
              <th scope="col">Devices</th>
              {props.admin && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((s) =>
              editing === s.id ? (
                <tr key={s.id} data-site={s.id}>
                  <td colSpan={4}>
                    <EditSite
                      site={s}
                      onDone={(saved) => {
                        setEditing(null);
                        if (saved) {
                          setNote(`Site "${saved.name}" saved.`);
                          sites.reload();
                        }
                      }}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={s.id} data-site={s.id}>
                  <td data-label="Name">{s.name}</td>
                  <td data-label="Location">{s.location || <span class="muted">—</span>}</td>
                  <td data-label="Devices">
                    <a href={`/inventory/devices?site=${s.id}`}>{count.get(s.id) ?? 0}</a>
                  </td>
                  {props.admin && (
                    <td class="inv-actions">
                      <EditDeleteButtons
                        what={`site ${s.name}`}
                        onEdit={() => setEditing(s.id)}
                        onDelete={() => void remove(s)}
                      />
                    </td>
                  )}
                </tr>
              ),
            )}
          </tbody>
        </table>
      )}
    </InventoryShell>
  );
}

function AddSite(props: { onAdded(site: Site): void }) {
  const form = useForm<SiteValues>({ name: '', location: '' });
  return (
    <details class="inv-add" open>
      <summary>Add a site</summary>
      <Form
        form={form}
        submitLabel="Add site"
        busyLabel="Adding…"
        unmatched="name"
        aria-label="Add a site"
        onSubmit={async (v) => {
          const site = await post<Site>('/api/sites', body(v));
          form.reset({ name: '', location: '' });
          props.onAdded(site);
        }}
      >
        <div class="row">
          <TextField form={form} name="name" label="Site name" required />
          <TextField form={form} name="location" label="Location" hint="Address or room (optional)" />
        </div>
      </Form>
    </details>
  );
}

function EditSite(props: { site: Site; onDone(saved: Site | null): void }) {
  const form = useForm<SiteValues>({ name: props.site.name, location: props.site.location ?? '' });
  return (
    <Form
      form={form}
      submitLabel="Save site"
      unmatched="name"
      aria-label={`Edit site ${props.site.name}`}
      onSubmit={async (v) =>
        props.onDone(await patch<Site>(`/api/sites/${props.site.id}`, { ...body(v), location: v.location.trim() }))
      }
      actions={<CancelButton onClick={() => props.onDone(null)} />}
    >
      <div class="row">
        <TextField form={form} name="name" label="Site name" required autofocus />
        <TextField form={form} name="location" label="Location" />
      </div>
    </Form>
  );
}
