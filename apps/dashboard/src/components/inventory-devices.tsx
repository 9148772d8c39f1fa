/** /inventory/devices: the device list with search and filters (the add/edit form is inventory-device-edit.tsx). */
import { useMemo, useState } from 'preact/hooks';
import { STATUS_LABEL } from '../format';
import type { DeviceStatus } from '../types';
import {
  AdminOnly,
  DEVICE_KINDS,
  InventoryShell,
  type InventoryDevice,
  type Site,
  useList,
  SearchBox,
} from './inventory-common';
import { StatusBadge } from './status';

const STATUSES: DeviceStatus[] = ['up', 'degraded', 'down', 'unreachable', 'unknown'];

export function DeviceListPage(props: { admin: boolean }) {
  const devices = useList<InventoryDevice>('/api/devices');
  const sites = useList<Site>('/api/sites');
  const [q, setQ] = useState('');
  // /inventory/devices?site=ID (the sites page links its device counts here)
  const [siteId, setSiteId] = useState(() => new URLSearchParams(location.search).get('site') ?? '');
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const siteName = useMemo(() => new Map((sites.data ?? []).map((s) => [s.id, s.name])), [sites.data]);

  const needle = q.trim().toLowerCase();
  const shown = (devices.data ?? [])
    .filter(
      (d) =>
        (!siteId || (siteId === 'none' ? !d.siteId : d.siteId === siteId)) &&
        (!kind || d.kind === kind) &&
        (!status || d.status === status) &&
        (!needle ||
          [d.name, d.host, d.kind, d.team ?? '', siteName.get(d.siteId ?? '') ?? '', ...d.tags].some((s) =>
            s.toLowerCase().includes(needle),
          )),
    )
    .sort((a, b) => a.name.localeCompare(b.name));

  return (
    <InventoryShell path="/inventory/devices" title="Devices">
      <div class="inv-toolbar">
        {props.admin ? (
          <>
            <a class="button primary" href="/inventory/devices/new">
              Add device
            </a>
            <a class="button" href="/inventory/discovery">
              Discover a range
            </a>
            <a class="button" href="/inventory/import">
              Import a file
            </a>
          </>
        ) : (
          <AdminOnly />
        )}
      </div>
      <div class="inv-filters" role="search">
        <SearchBox label="Search" value={q} placeholder="name, host, kind, tag, site" onInput={setQ} />
        <label>
          Site
          <select value={siteId} onChange={(e) => setSiteId(e.currentTarget.value)}>
            <option value="">All sites</option>
            <option value="none">No site</option>
            {(sites.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="">All kinds</option>
            {DEVICE_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {devices.error && (
        <p class="error" role="alert">
          {devices.error}
        </p>
      )}
      {!devices.data ? (
        <p class="muted">Loading…</p>
      ) : devices.data.length === 0 ? (
        <p class="muted">No devices yet. Add one, discover a range or import a file to start monitoring.</p>
      ) : (
        <>
          <p class="muted small" role="status">
            {shown.length} of {devices.data.length} devices
          </p>
          <table class="inv-table" aria-label="Devices">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Host</th>
                <th scope="col">Site</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Tags</th>
                {props.admin && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <tr key={d.id} data-device={d.id}>
                  <td data-label="Name">
                    <a href={`/devices/${d.id}`}>{d.name}</a>
                  </td>
                  <td data-label="Host">{d.host}</td>
                  <td data-label="Site">{siteName.get(d.siteId ?? '') ?? <span class="muted">—</span>}</td>
                  <td data-label="Kind">{d.kind}</td>
                  <td data-label="Status">
                    <StatusBadge status={d.status} />
                  </td>
                  <td data-label="Tags">{d.tags.join(', ')}</td>
                  {props.admin && (
                    <td class="inv-actions">
                      <a class="button" href={`/inventory/devices/${d.id}/edit`} aria-label={`Edit device ${d.name}`}>
                        Edit
                      </a>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </InventoryShell>
  );
}
