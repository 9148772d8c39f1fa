import { get, patch, post } from '../api';
import { useAsync } from '../hooks';
import type { Device, Site } from '../types';
import { Form, PathField, SelectField, TextField, useForm } from './forms';
import { ActionsHeader, CancelButton, EditDeleteButtons, SettingsHead, confirmDelete, useEditor } from './crud';
import { ErrorAlert } from './page-state';
import { EditorPanel, StatusNote } from './settings';

export interface MaintenanceWindow {
  id: string;
  name: string;
  deviceId: string | null;
  siteId: string | null;
  startsAt: string | null;
  endsAt: string | null;
  weekly: { days: string[]; start: string; durationMinutes: number; timezone: string } | null;
}

const DAYS: [string, string][] = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];

/** Field names are the API's paths, so `weekly.timezone must be …` lands under the time zone. */
interface WindowForm {
  name: string;
  scope: 'device' | 'site';
  deviceId: string;
  siteId: string;
  kind: 'one-off' | 'weekly';
  startsAt: string;
  endsAt: string;
  'weekly.days': string[];
  'weekly.start': string;
  'weekly.durationMinutes': string;
  'weekly.timezone': string;
}

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function timeZones(): string[] {
  const all =
    (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return all.includes('UTC') ? all : ['UTC', ...all];
}

/** ISO → the `YYYY-MM-DDTHH:MM` a datetime-local input shows, in the browser's zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(text: string): string | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString();
}

const empty = (): WindowForm => ({
  name: '',
  scope: 'device',
  deviceId: '',
  siteId: '',
  kind: 'one-off',
  startsAt: '',
  endsAt: '',
  'weekly.days': [],
  'weekly.start': '02:00',
  'weekly.durationMinutes': '60',
  'weekly.timezone': browserZone(),
});

function formOf(w: MaintenanceWindow): WindowForm {
  return {
    ...empty(),
    name: w.name,
    scope: w.siteId ? 'site' : 'device',
    deviceId: w.deviceId ?? '',
    siteId: w.siteId ?? '',
    kind: w.weekly ? 'weekly' : 'one-off',
    startsAt: toLocalInput(w.startsAt),
    endsAt: toLocalInput(w.endsAt),
    ...(w.weekly && {
      'weekly.days': w.weekly.days,
      'weekly.start': w.weekly.start,
      'weekly.durationMinutes': String(w.weekly.durationMinutes),
      'weekly.timezone': w.weekly.timezone,
    }),
  };
}

/**
 * The body the API takes. For an edit too only the chosen kind and target are sent: giving `weekly` replaces
 * a one-off's times (and the reverse), giving `siteId` replaces `deviceId` (and the reverse).
 */
function bodyOf(v: WindowForm): Record<string, unknown> {
  const duration = v['weekly.durationMinutes'].trim();
  return {
    name: v.name,
    ...(v.scope === 'device' ? { deviceId: v.deviceId || undefined } : { siteId: v.siteId || undefined }),
    ...(v.kind === 'one-off'
      ? { startsAt: fromLocalInput(v.startsAt), endsAt: fromLocalInput(v.endsAt) }
      : {
          weekly: {
            days: v['weekly.days'],
            start: v['weekly.start'],
            durationMinutes: /^\d+$/.test(duration) ? Number(duration) : duration,
            timezone: v['weekly.timezone'],
          },
        }),
  };
}

const dayName = (d: string) => DAYS.find(([k]) => k === d)?.[1].slice(0, 3) ?? d;

export function describeWhen(w: MaintenanceWindow): string {
  if (w.weekly)
    return `Weekly ${w.weekly.days.map(dayName).join(', ')} at ${w.weekly.start} for ${w.weekly.durationMinutes} min (${w.weekly.timezone})`;
  const f = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '?');
  return `${f(w.startsAt)} – ${f(w.endsAt)}`;
}

export function MaintenanceSettings() {
  const windows = useAsync(() => get<MaintenanceWindow[]>('/api/maintenance-windows'), []);
  const devices = useAsync(() => get<Device[]>('/api/devices'), []);
  const sites = useAsync(() => get<Site[]>('/api/sites'), []);
  const { editing, setEditing, note, setNote } = useEditor<MaintenanceWindow>();

  const deviceName = (id: string | null) => devices.data?.find((d) => d.id === id)?.name ?? id;
  const siteName = (id: string | null) => sites.data?.find((s) => s.id === id)?.name ?? id;

  const remove = (w: MaintenanceWindow) =>
    confirmDelete({
      question: `Delete the maintenance window "${w.name}"?`,
      url: `/api/maintenance-windows/${w.id}`,
      done: `Deleted window "${w.name}".`,
      failed: `Could not delete "${w.name}"`,
      setNote,
      reload: windows.reload,
    });

  return (
    <>
      <SettingsHead
        title="Maintenance windows"
        intro="While a window covers a device (directly or through its site), its faults open no ticket."
        addLabel="Add window"
        showAdd={editing === null}
        onAdd={() => setEditing('new')}
      />
      <StatusNote text={note} />
      {editing !== null && (
        <WindowEditor
          key={editing === 'new' ? 'new' : editing.id}
          window={editing === 'new' ? null : editing}
          devices={devices.data ?? []}
          sites={sites.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(w, created) => {
            setEditing(null);
            setNote(created ? `Added window "${w.name}".` : `Saved window "${w.name}".`);
            windows.reload();
          }}
        />
      )}
      <ErrorAlert error={windows.error} />
      {windows.data && windows.data.length === 0 && <p class="muted">No maintenance windows yet.</p>}
      {windows.data && windows.data.length > 0 && (
        <table class="settings-table" aria-label="Maintenance windows">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Applies to</th>
              <th scope="col">When</th>
              <ActionsHeader />
            </tr>
          </thead>
          <tbody>
            {windows.data.map((w) => (
              <tr key={w.id} data-window={w.id}>
                <td data-label="Name">{w.name}</td>
                <td data-label="Applies to">
                  {w.deviceId ? `Device ${deviceName(w.deviceId)}` : `Site ${siteName(w.siteId)}`}
                </td>
                <td data-label="When">{describeWhen(w)}</td>
                <td class="row-actions">
                  <EditDeleteButtons
                    what={`window ${w.name}`}
                    onEdit={() => setEditing(w)}
                    onDelete={() => void remove(w)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function WindowEditor(props: {
  window: MaintenanceWindow | null;
  devices: Device[];
  sites: Site[];
  onClose: () => void;
  onSaved: (w: MaintenanceWindow, created: boolean) => void;
}) {
  const form = useForm<WindowForm>(() => (props.window ? formOf(props.window) : empty()));
  const v = form.values;
  form.fieldNames.add('weekly.days');
  form.fieldNames.add('weekly');
  const daysInvalid = !!form.errors['weekly.days']?.length;
  const save = async (values: WindowForm) => {
    const saved = props.window
      ? await patch<MaintenanceWindow>(`/api/maintenance-windows/${props.window.id}`, bodyOf(values))
      : await post<MaintenanceWindow>('/api/maintenance-windows', bodyOf(values));
    props.onSaved(saved, !props.window);
  };
  return (
    <EditorPanel
      title={props.window ? `Edit window ${props.window.name}` : 'New maintenance window'}
      onClose={props.onClose}
    >
      <Form
        form={form}
        onSubmit={save}
        submitLabel={props.window ? 'Save window' : 'Add window'}
        aria-label="Maintenance window"
        actions={<CancelButton onClick={props.onClose} />}
      >
        <TextField form={form} name="name" label="Name" required placeholder="e.g. Core switch firmware" />
        <div class="row">
          <SelectField
            form={form}
            name="scope"
            label="Applies to"
            options={[
              { value: 'device', label: 'One device' },
              { value: 'site', label: 'A whole site' },
            ]}
          />
          {v.scope === 'device' ? (
            <SelectField
              form={form}
              name="deviceId"
              label="Device"
              required
              placeholder="Choose a device"
              options={props.devices.map((d) => ({ value: d.id, label: `${d.name} (${d.host})` }))}
            />
          ) : (
            <SelectField
              form={form}
              name="siteId"
              label="Site"
              required
              placeholder="Choose a site"
              options={props.sites.map((s) => ({ value: s.id, label: s.name }))}
            />
          )}
        </div>
        <SelectField
          form={form}
          name="kind"
          label="Repeats"
          options={[
            { value: 'one-off', label: 'Once (a start and an end)' },
            { value: 'weekly', label: 'Every week' },
          ]}
        />
        {v.kind === 'one-off' ? (
          <div class="row">
            <TextField
              form={form}
              name="startsAt"
              label="Starts"
              type="datetime-local"
              required
              hint="your local time"
            />
            <TextField form={form} name="endsAt" label="Ends" type="datetime-local" required hint="your local time" />
          </div>
        ) : (
          <>
            <fieldset class={`day-picks field ${daysInvalid ? 'invalid' : ''}`}>
              <legend>Days</legend>
              {DAYS.map(([key, label], i) => (
                <label key={key}>
                  <input
                    type="checkbox"
                    checked={v['weekly.days'].includes(key)}
                    aria-invalid={daysInvalid && i === 0 ? 'true' : undefined}
                    aria-describedby={daysInvalid ? 'weekly-days-err' : undefined}
                    onChange={(e) =>
                      form.set(
                        'weekly.days',
                        e.currentTarget.checked
                          ? DAYS.map(([k]) => k).filter((k) => k === key || v['weekly.days'].includes(k))
                          : v['weekly.days'].filter((d) => d !== key),
                      )
                    }
                  />
                  {label}
                </label>
              ))}
              {daysInvalid && (
                <span class="field-error" id="weekly-days-err">
                  {form.errors['weekly.days'].join('; ')}
                </span>
              )}
            </fieldset>
            <div class="row">
              <TextField form={form} name="weekly.start" label="Start time" type="time" required />
              <TextField form={form} name="weekly.durationMinutes" label="Duration (minutes)" required />
              <PathField
                form={form}
                name="weekly.timezone"
                label="Time zone"
                value={v['weekly.timezone']}
                onInput={(tz) => form.set('weekly.timezone', tz)}
                options={timeZones()}
              />
            </div>
          </>
        )}
      </Form>
    </EditorPanel>
  );
}
