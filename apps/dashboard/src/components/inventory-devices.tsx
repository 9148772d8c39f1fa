/**
 * /inventory/devices: the device list with search and filters, and the add/edit form
 * (/inventory/devices/new, /inventory/devices/:id/edit). SNMP secrets are write-only: an edited device
 * with SNMP shows "configured" and a "Replace" button, never a stored value.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, del, get, patch, post } from '../api';
import { navigate } from '../router';
import { STATUS_LABEL } from '../format';
import type { DeviceStatus } from '../types';
import {
  CustomField,
  Fieldset,
  Form,
  type FormState,
  NumberField,
  SelectField,
  TagListField,
  TextField,
  toNumber,
  useForm,
} from './forms';
import {
  AdminOnly,
  CRITICALITIES,
  DEVICE_KINDS,
  type EscalationPolicy,
  InventoryShell,
  type InventoryDevice,
  type Site,
  setFlash,
  useList,
  SearchBox,
} from './inventory-common';
import { SnmpFields, type SnmpValues } from './inventory-snmp';
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

/** The form's values: API property paths as keys, so the API's messages find their fields. */
interface DeviceValues extends SnmpValues {
  name: string;
  host: string;
  siteId: string;
  kind: string;
  criticality: string;
  parentId: string;
  pollIntervalSec: string;
  tags: string[];
  team: string;
  escalationPolicyId: string;
  'snmp.port': string;
}

const EMPTY: DeviceValues = {
  name: '',
  host: '',
  siteId: '',
  kind: 'other',
  criticality: 'normal',
  parentId: '',
  pollIntervalSec: '30',
  tags: [],
  team: '',
  escalationPolicyId: '',
  'snmp.version': '',
  'snmp.community': '',
  'snmp.port': '161',
  'snmp.username': '',
  'snmp.authProtocol': '',
  'snmp.authKey': '',
  'snmp.privProtocol': '',
  'snmp.privKey': '',
};

const fromDevice = (d: InventoryDevice): DeviceValues => ({
  ...EMPTY,
  name: d.name,
  host: d.host,
  siteId: d.siteId ?? '',
  kind: d.kind,
  criticality: d.criticality,
  parentId: d.parentId ?? '',
  pollIntervalSec: String(d.pollIntervalSec),
  tags: [...d.tags],
  team: d.team ?? '',
  escalationPolicyId: d.escalationPolicyId ?? '',
  'snmp.port': String(d.snmp?.port ?? 161),
});

/** What SNMP does on save: keep the stored credentials, send new ones, or remove them. */
type SnmpMode = 'keep' | 'set' | 'remove';

/** A number field's text: the number when it is one, else the text itself (so the API names the field). */
const numberOrText = (s: string): number | string | undefined => {
  const n = toNumber(s);
  return n === undefined ? undefined : Number.isNaN(n) ? s : n;
};

function snmpBody(v: DeviceValues): Record<string, unknown> | null {
  if (!v['snmp.version']) return null;
  const port = numberOrText(v['snmp.port']);
  const opt = (k: keyof DeviceValues) => ((v[k] as string) ? v[k] : undefined);
  return v['snmp.version'] === '3'
    ? {
        version: '3',
        username: v['snmp.username'],
        authProtocol: opt('snmp.authProtocol'),
        authKey: opt('snmp.authKey'),
        privProtocol: opt('snmp.privProtocol'),
        privKey: opt('snmp.privKey'),
        port,
      }
    : { version: v['snmp.version'], community: v['snmp.community'], port };
}

function deviceBody(v: DeviceValues, snmp: SnmpMode, creating: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: v.name,
    host: v.host.trim(),
    siteId: v.siteId || null,
    kind: v.kind,
    criticality: v.criticality,
    parentId: v.parentId || null,
    pollIntervalSec: numberOrText(v.pollIntervalSec),
    tags: v.tags,
    team: v.team.trim() || null,
    escalationPolicyId: v.escalationPolicyId || null,
  };
  if (snmp === 'set') body.snmp = snmpBody(v);
  else if (snmp === 'remove' && !creating) body.snmp = null;
  if (creating) for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
  return body;
}

export function DeviceEditPage(props: { admin: boolean; id?: string }) {
  const creating = !props.id;
  const form = useForm<DeviceValues>(EMPTY);
  const [device, setDevice] = useState<InventoryDevice | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [snmpMode, setSnmpMode] = useState<SnmpMode>(creating ? 'set' : 'keep');
  const devices = useList<InventoryDevice>('/api/devices');
  const sites = useList<Site>('/api/sites');
  const policies = useList<EscalationPolicy>(props.admin ? '/api/escalation-policies' : null);

  useEffect(() => {
    if (!props.id) return;
    get<InventoryDevice>(`/api/devices/${props.id}`).then(
      (d) => {
        setDevice(d);
        form.reset(fromDevice(d));
        setSnmpMode(d.snmp ? 'keep' : 'set');
      },
      (e: unknown) => setLoadError(e instanceof ApiError && e.status === 404 ? 'No such device.' : String(e)),
    );
  }, [props.id]);

  const title = creating ? 'Add a device' : `Edit ${device?.name ?? 'device'}`;
  const path = creating ? '/inventory/devices/new' : `/inventory/devices/${props.id}/edit`;
  if (!props.admin)
    return (
      <InventoryShell path={path} title={title}>
        <AdminOnly />
      </InventoryShell>
    );
  if (loadError)
    return (
      <InventoryShell path={path} title={title}>
        <p class="error" role="alert">
          {loadError}
        </p>
        <a href="/inventory/devices">Back to the devices</a>
      </InventoryShell>
    );
  if (!creating && !device)
    return (
      <InventoryShell path={path} title={title}>
        <p class="muted">Loading…</p>
      </InventoryShell>
    );

  const remove = async () => {
    if (!device || !window.confirm(`Delete device "${device.name}"? Its history and measurements go with it.`)) return;
    try {
      await del(`/api/devices/${device.id}`);
      setFlash(`Device "${device.name}" deleted.`);
      navigate('/inventory/devices');
    } catch (e) {
      form.setErrors({}, [e instanceof Error ? e.message : String(e)]);
      form.focusFirstError();
    }
  };

  return (
    <InventoryShell path={path} title={title}>
      <Form
        form={form}
        class="device-form"
        aria-label={title}
        submitLabel={creating ? 'Add device' : 'Save'}
        busyLabel={creating ? 'Adding…' : 'Saving…'}
        onSubmit={async (values) => {
          const body = deviceBody(values, snmpMode, creating);
          const saved = creating
            ? await post<InventoryDevice>('/api/devices', body)
            : await patch<InventoryDevice>(`/api/devices/${props.id}`, body);
          setFlash(`Device "${saved.name}" ${creating ? 'added' : 'saved'}.`);
          navigate('/inventory/devices');
        }}
        actions={
          <>
            <a class="button" href="/inventory/devices">
              Cancel
            </a>
            {!creating && (
              <button type="button" class="danger" onClick={remove}>
                Delete device
              </button>
            )}
          </>
        }
      >
        <div class="row">
          <TextField form={form} name="name" label="Name" required autofocus={creating} />
          <TextField
            form={form}
            name="host"
            label="Host"
            required
            hint="IPv4/IPv6 address or DNS name"
            placeholder="192.0.2.10"
          />
        </div>
        <div class="row">
          <SelectField
            form={form}
            name="siteId"
            label="Site"
            placeholder="No site"
            options={(sites.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
          <SelectField form={form} name="kind" label="Kind" options={DEVICE_KINDS} />
          <SelectField form={form} name="criticality" label="Criticality" options={CRITICALITIES} />
        </div>
        <ParentPicker form={form} devices={devices.data ?? []} selfId={props.id} />
        <div class="row">
          <NumberField form={form} name="pollIntervalSec" label="Poll interval (seconds)" hint="1 to 86400" />
          <TextField form={form} name="team" label="Team" hint="Team whose queue gets its tickets (optional)" />
          <SelectField
            form={form}
            name="escalationPolicyId"
            label="Escalation policy"
            placeholder="Default policy"
            options={(policies.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </div>
        <TagListField form={form} name="tags" label="Tags" hint="Press Enter or comma after each tag" />
        <Fieldset legend="SNMP">
          {snmpMode === 'keep' && device?.snmp ? (
            <div class="snmp-configured" data-testid="snmp-configured">
              <p>
                SNMP v{device.snmp.version}, port {device.snmp.port}: credentials <strong>configured</strong>. They are
                never shown.
              </p>
              <div class="form-actions">
                <button
                  type="button"
                  onClick={() => {
                    form.set('snmp.version', device.snmp!.version);
                    setSnmpMode('set');
                  }}
                >
                  Replace SNMP credentials
                </button>
                <button type="button" class="danger" onClick={() => setSnmpMode('remove')}>
                  Remove SNMP
                </button>
              </div>
            </div>
          ) : snmpMode === 'remove' ? (
            <div class="form-actions">
              <span>SNMP will be removed when you save (ping only).</span>
              <button type="button" onClick={() => setSnmpMode('keep')}>
                Keep SNMP
              </button>
            </div>
          ) : (
            <>
              <SnmpFields
                form={form}
                port={<NumberField form={form} name="snmp.port" label="SNMP port" />}
                keyHint="At least 8 characters"
              />
              {!creating && device?.snmp && (
                <div class="form-actions">
                  <button type="button" onClick={() => setSnmpMode('keep')}>
                    Keep current SNMP credentials
                  </button>
                </div>
              )}
            </>
          )}
        </Fieldset>
      </Form>
    </InventoryShell>
  );
}

/**
 * The parent device: a searchable combobox (type part of a name or host, pick with the arrow keys and
 * Enter, or click). The API refuses a parent that would make a cycle; its message shows under the field.
 */
function ParentPicker(props: { form: FormState<DeviceValues>; devices: InventoryDevice[]; selfId?: string }) {
  const { form, devices } = props;
  const selected = devices.find((d) => d.id === form.values.parentId);
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const shownText = text ?? (selected ? selected.name : '');
  const needle = (text ?? '').trim().toLowerCase();
  const options = devices
    .filter((d) => d.id !== props.selfId)
    .filter((d) => !needle || d.name.toLowerCase().includes(needle) || d.host.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 8);

  const choose = (d: InventoryDevice | null) => {
    form.set('parentId', d ? d.id : '');
    setText(null);
    setOpen(false);
  };

  return (
    <CustomField
      form={form}
      name="parentId"
      label="Parent device"
      hint="The upstream device this one is reached through (optional): behind a parent that is down, it shows unreachable"
    >
      {(aria) => (
        <div class="combo">
          <input
            {...aria}
            type="text"
            role="combobox"
            aria-expanded={open}
            aria-controls={`${aria.id}-list`}
            aria-autocomplete="list"
            aria-activedescendant={open && options[active] ? `${aria.id}-opt-${options[active].id}` : undefined}
            autocomplete="off"
            placeholder="Search by name or host"
            value={shownText}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setOpen(true);
              setActive(0);
              if (!e.currentTarget.value.trim()) form.set('parentId', '');
            }}
            onFocus={() => setOpen(true)}
            onBlur={() =>
              setTimeout(() => {
                if (!listRef.current?.contains(document.activeElement)) {
                  setOpen(false);
                  setText(null);
                }
              }, 150)
            }
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setOpen(true);
                setActive((i) => Math.min(i + 1, options.length - 1));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((i) => Math.max(i - 1, 0));
              } else if (e.key === 'Enter' && open && options[active]) {
                e.preventDefault();
                choose(options[active]);
              } else if (e.key === 'Escape') {
                setOpen(false);
                setText(null);
              }
            }}
          />
          {selected && (
            <button type="button" class="combo-clear" onClick={() => choose(null)}>
              No parent
            </button>
          )}
          {open && (
            <ul class="combo-list" role="listbox" id={`${aria.id}-list`} ref={listRef} aria-label="Devices">
              {options.length === 0 ? (
                <li class="muted" role="presentation">
                  No device matches
                </li>
              ) : (
                options.map((d, i) => (
                  <li
                    key={d.id}
                    id={`${aria.id}-opt-${d.id}`}
                    role="option"
                    aria-selected={i === active}
                    class={i === active ? 'active' : undefined}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      choose(d);
                    }}
                  >
                    {d.name} <span class="muted">{d.host}</span>
                  </li>
                ))
              )}
            </ul>
          )}
        </div>
      )}
    </CustomField>
  );
}
