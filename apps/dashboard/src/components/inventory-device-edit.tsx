/**
 * The device add/edit form (/inventory/devices/new, /inventory/devices/:id/edit). SNMP secrets are
 * write-only: an edited device with SNMP shows "configured" and a "Replace" button, never a stored value.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, del, get, patch, post } from '../api';
import { navigate } from '../router';
import {
  CustomField,
  Fieldset,
  Form,
  type FormState,
  NumberField,
  SelectField,
  TagListField,
  TextField,
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
} from './inventory-common';
import { SnmpFields } from './inventory-snmp';

import { deviceBody, type DeviceValues, EMPTY, fromDevice, type SnmpMode } from './inventory-device-values';

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
