/**
 * /inventory/discovery: sweep a range (default: this server's subnets) with optional SNMP credentials,
 * show what answered, and add the chosen devices in one step. POST /api/discovery answers when the
 * sweep is over, so progress is the number of addresses and the time elapsed. Adding goes through the
 * inventory import (all or nothing), with the discovery's SNMP credentials on hosts that answered SNMP.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, post, send } from '../api';
import { Fieldset, Form, NumberField, TextField, toNumber, useForm } from './forms';
import { AdminOnly, InventoryShell, type InventoryDevice, type Site, useList } from './inventory-common';
import { SnmpFields, type SnmpValues } from './inventory-snmp';

interface Defaults {
  cidrs: string[];
  addresses: number;
  maxAddresses: number;
  skipped: string[];
}

interface Proposal {
  host: string;
  rttMs: number;
  sysName?: string;
  sysDescr?: string;
  sysObjectId?: string;
  vendor?: string;
  kind: string;
  suggestedName: string;
  alreadyInInventory: boolean;
  existingDeviceId?: string;
  snmpError?: string;
}

interface Result {
  cidrs: string[];
  scanned: number;
  answered: number;
  snmpAnswered: number;
  durationMs: number;
  complete: boolean;
  notes: string[];
  devices: Proposal[];
}

interface Values extends SnmpValues {
  cidr: string;
  port: string;
}

const EMPTY: Values = {
  cidr: '',
  'snmp.version': '',
  'snmp.community': '',
  'snmp.username': '',
  'snmp.authProtocol': '',
  'snmp.authKey': '',
  'snmp.privProtocol': '',
  'snmp.privKey': '',
  port: '',
};

/** Addresses a sweep of `cidr` pings (network and broadcast left out below a /31), or null if it is not one. */
export function addressCount(cidr: string): number | null {
  const m = /^\d{1,3}(\.\d{1,3}){3}\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) return null;
  const prefix = Number(m[2]);
  if (prefix > 32) return null;
  const size = 2 ** (32 - prefix);
  return prefix >= 31 ? size : size - 2;
}

function snmpOf(v: Values): Record<string, unknown> | undefined {
  const version = v['snmp.version'];
  if (!version) return undefined;
  const opt = (k: keyof Values) => v[k] || undefined;
  return version === '3'
    ? {
        version,
        username: v['snmp.username'],
        authProtocol: opt('snmp.authProtocol'),
        authKey: opt('snmp.authKey'),
        privProtocol: opt('snmp.privProtocol'),
        privKey: opt('snmp.privKey'),
      }
    : { version, community: v['snmp.community'] };
}

function portOf(v: Values): number | string | undefined {
  const n = toNumber(v.port);
  return n === undefined ? undefined : Number.isNaN(n) ? v.port : n;
}

export function DiscoveryPage(props: { admin: boolean }) {
  const form = useForm<Values>(EMPTY);
  const [defaults, setDefaults] = useState<Defaults | null>(null);
  const [running, setRunning] = useState<{ startedAt: number; addresses: number | null } | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<Result | null>(null);
  /** The credentials the shown result was found with (the form may change since). */
  const [usedSnmp, setUsedSnmp] = useState<{ snmp?: Record<string, unknown>; port?: number | string }>({});
  const sites = useList<Site>(props.admin ? '/api/sites' : null);

  useEffect(() => {
    if (!props.admin) return;
    get<Defaults>('/api/discovery/defaults').then(
      (d) => {
        setDefaults(d);
        // a default, never over what the user has typed meanwhile
        if (d.cidrs.length > 0) form.update((v) => (v.cidr ? v : { ...v, cidr: d.cidrs[0] }));
      },
      () => undefined,
    );
  }, [props.admin]);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setElapsed(Math.round((Date.now() - running.startedAt) / 1000)), 500);
    return () => clearInterval(timer);
  }, [running]);

  if (!props.admin)
    return (
      <InventoryShell path="/inventory/discovery" title="Discover devices">
        <AdminOnly />
      </InventoryShell>
    );

  const v = form.values;
  const cidr = v.cidr.trim();
  const planned = cidr ? addressCount(cidr) : (defaults?.addresses ?? null);

  return (
    <InventoryShell path="/inventory/discovery" title="Discover devices">
      <p>
        Pings every address in a range; with SNMP credentials it also reads each device's name and vendor and guesses
        its kind. Nothing is added until you choose.
      </p>
      <Form
        form={form}
        aria-label="Discover a range"
        submitLabel="Start discovery"
        busyLabel="Discovering…"
        onSubmit={async (values) => {
          const body: Record<string, unknown> = {};
          if (values.cidr.trim()) body.cidr = values.cidr.trim();
          const snmp = snmpOf(values);
          if (snmp) body.snmp = snmp;
          const port = portOf(values);
          if (port !== undefined) body.port = port;
          setResult(null);
          setElapsed(0);
          setRunning({ startedAt: Date.now(), addresses: planned });
          try {
            const r = await post<Result>('/api/discovery', body);
            setUsedSnmp({ snmp, port });
            setResult(r);
          } finally {
            setRunning(null);
          }
        }}
      >
        <TextField
          form={form}
          name="cidr"
          label="Range (CIDR)"
          placeholder="192.0.2.0/24"
          hint={
            defaults && defaults.cidrs.length > 0
              ? `This server's subnets: ${defaults.cidrs.join(', ')}. Empty: all of them. At most ${defaults.maxAddresses.toLocaleString('en')} addresses.`
              : 'An IPv4 range such as 192.0.2.0/24, at most a /16'
          }
        />
        <Fieldset legend="SNMP (optional)">
          <SnmpFields form={form} port={<NumberField form={form} name="port" label="SNMP port" hint="Default 161" />} />
        </Fieldset>
      </Form>
      {running && (
        <p class="inv-progress" role="status" aria-live="polite">
          <span class="spinner" aria-hidden="true" />
          Scanning {running.addresses !== null
            ? `${running.addresses.toLocaleString('en')} addresses`
            : 'the range'}… {elapsed} s
        </p>
      )}
      {result && (
        <Proposals
          result={result}
          sites={sites.data ?? []}
          snmp={usedSnmp.snmp}
          port={usedSnmp.port}
          onAdded={(added) =>
            setResult({
              ...result,
              devices: result.devices.map((d) => {
                const id = added.get(d.host);
                return id ? { ...d, alreadyInInventory: true, existingDeviceId: id } : d;
              }),
            })
          }
        />
      )}
    </InventoryShell>
  );
}

function Proposals(props: {
  result: Result;
  sites: Site[];
  snmp?: Record<string, unknown>;
  port?: number | string;
  onAdded(added: Map<string, string>): void;
}) {
  const { result } = props;
  const addable = useMemo(() => result.devices.filter((d) => !d.alreadyInInventory), [result]);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [siteName, setSiteName] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const errRef = useRef<HTMLDivElement>(null);
  const all = addable.length > 0 && addable.every((d) => selected.has(d.host));

  const toggle = (host: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(host);
      else next.delete(host);
      return next;
    });

  const add = async () => {
    const chosen = addable.filter((d) => selected.has(d.host));
    if (!chosen.length) return;
    setBusy(true);
    setErrors([]);
    setNote(null);
    const devices = chosen.map((d) => {
      const snmpWorked = props.snmp && (d.sysName !== undefined || d.sysObjectId !== undefined);
      return {
        name: d.suggestedName,
        host: d.host,
        kind: d.kind,
        ...(siteName ? { site: siteName } : {}),
        ...(snmpWorked ? { snmp: { ...props.snmp, ...(props.port !== undefined ? { port: props.port } : {}) } } : {}),
      };
    });
    try {
      // JSON is YAML: one row per line keeps the importer's line numbers meaningful
      const file = `{"devices": [\n${devices.map((d) => JSON.stringify(d)).join(',\n')}\n]}\n`;
      await send('POST', '/api/devices/import', file, 'application/yaml');
      const inventory = await get<InventoryDevice[]>('/api/devices');
      const ids = new Map(inventory.map((d) => [d.host, d.id]));
      const added = new Map(chosen.map((d) => [d.host, ids.get(d.host) ?? '']));
      setSelected(new Set());
      setNote(`Added ${chosen.length} device${chosen.length === 1 ? '' : 's'}${siteName ? ` to ${siteName}` : ''}.`);
      props.onAdded(added);
    } catch (e) {
      setErrors(e instanceof ApiError ? e.messages : [String(e)]);
      setTimeout(() => errRef.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="proposals" aria-labelledby="proposals-title">
      <h2 id="proposals-title">
        Found {result.answered} of {result.scanned.toLocaleString('en')} addresses
      </h2>
      <p class="muted small">
        {result.cidrs.join(', ')} in {(result.durationMs / 1000).toFixed(1)} s
        {result.snmpAnswered > 0 && `; ${result.snmpAnswered} answered SNMP`}
        {!result.complete && '; stopped at the time limit, some SNMP answers are missing'}
      </p>
      {result.notes.length > 0 && (
        <details class="small">
          <summary>Notes ({result.notes.length})</summary>
          <ul>
            {result.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
      {note && (
        <p class="inv-flash" role="status">
          {note} <a href="/">Watch them on the board</a>.
        </p>
      )}
      {errors.length > 0 && (
        <div class="error" role="alert" tabIndex={-1} ref={errRef}>
          Nothing was added:
          <ul>
            {errors.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </div>
      )}
      {result.devices.length === 0 ? (
        <p class="muted">Nothing answered in this range.</p>
      ) : (
        <>
          <table class="inv-table proposals-table" aria-label="Discovered devices">
            <thead>
              <tr>
                <th scope="col">
                  <label class="inline">
                    <input
                      type="checkbox"
                      checked={all}
                      disabled={addable.length === 0}
                      onChange={(e) =>
                        setSelected(e.currentTarget.checked ? new Set(addable.map((d) => d.host)) : new Set())
                      }
                    />{' '}
                    Select all
                  </label>
                </th>
                <th scope="col">Address</th>
                <th scope="col">sysName</th>
                <th scope="col">Vendor</th>
                <th scope="col">Guessed kind</th>
                <th scope="col">In inventory</th>
              </tr>
            </thead>
            <tbody>
              {result.devices.map((d) => (
                <tr key={d.host} data-host={d.host}>
                  <td>
                    <label class="inline">
                      <input
                        type="checkbox"
                        disabled={d.alreadyInInventory}
                        checked={selected.has(d.host)}
                        onChange={(e) => toggle(d.host, e.currentTarget.checked)}
                      />{' '}
                      <span class="sr-only">Select {d.host}</span>
                      <span aria-hidden="true">{d.suggestedName}</span>
                    </label>
                  </td>
                  <td data-label="Address">{d.host}</td>
                  <td data-label="sysName">
                    {d.sysName ?? <span class="muted">{d.snmpError ? 'no SNMP' : '—'}</span>}
                  </td>
                  <td data-label="Vendor">{d.vendor ?? <span class="muted">—</span>}</td>
                  <td data-label="Guessed kind">{d.kind}</td>
                  <td data-label="In inventory">
                    {d.alreadyInInventory ? (
                      d.existingDeviceId ? (
                        <a href={`/devices/${d.existingDeviceId}`}>yes</a>
                      ) : (
                        'yes'
                      )
                    ) : (
                      'no'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {addable.length > 0 && (
            <div class="inv-add-selected">
              <label>
                Add to site
                <select value={siteName} onChange={(e) => setSiteName(e.currentTarget.value)}>
                  <option value="">No site</option>
                  {props.sites.map((s) => (
                    <option key={s.id} value={s.name}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" class="primary" disabled={busy || selected.size === 0} onClick={add}>
                {busy ? 'Adding…' : `Add ${selected.size} selected device${selected.size === 1 ? '' : 's'}`}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
