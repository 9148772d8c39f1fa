import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, patch } from '../api';
import { useAsync } from '../hooks';
import { THRESHOLD_FIELDS, Thresholds } from './wan';

type Values = Partial<Record<(typeof THRESHOLD_FIELDS)[number][0], number>>;

/** A device's thresholds as the poller applies them: its own over its kind's over the defaults. */
export function useResolvedThresholds(device: { kind: string; thresholds?: Values } | undefined): Values | null {
  const settings = useAsync(() => get<Thresholds>('/api/thresholds'), []);
  if (!settings.data || !device) return null;
  return { ...settings.data.defaults, ...(settings.data.byKind[device.kind] ?? {}), ...(device.thresholds ?? {}) };
}

const message = (err: unknown) =>
  err instanceof ApiError ? err.messages.join('; ') : err instanceof Error ? err.message : String(err);

/** This device's own thresholds (blank: inherited). Saving merges key by key; a cleared field removes it. */
export function DeviceThresholdsEditor(props: {
  deviceId: string;
  own: Values;
  inherited: Values | null;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  useEffect(
    () => setDraft(Object.fromEntries(THRESHOLD_FIELDS.map(([k]) => [k, props.own[k]?.toString() ?? '']))),
    [props.deviceId, JSON.stringify(props.own)],
  );
  const save = async (e: Event) => {
    e.preventDefault();
    const body = Object.fromEntries(
      THRESHOLD_FIELDS.map(([k]) => [
        k,
        draft[k]?.trim() ? Number(draft[k]) : props.own[k] !== undefined ? null : undefined,
      ]),
    );
    try {
      await patch(`/api/devices/${props.deviceId}`, { thresholds: body });
      setNote({ ok: true, text: 'Thresholds saved.' });
      props.onSaved();
    } catch (err) {
      setNote({ ok: false, text: message(err) });
    }
  };
  return (
    <form class="device-thresholds" onSubmit={save} aria-label="Device thresholds">
      <h2>Thresholds</h2>
      <div class="threshold-grid">
        {THRESHOLD_FIELDS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input
              type="number"
              step="any"
              value={draft[k] ?? ''}
              placeholder={props.inherited?.[k]?.toString() ?? ''}
              onInput={(e) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value })}
            />
          </label>
        ))}
      </div>
      <button type="submit">Save thresholds</button>
      {note && (
        <p class={note.ok ? 'ok' : 'error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
    </form>
  );
}

export interface CircuitFields {
  ifIndex: number;
  name: string;
  capacityBps?: number | null;
  provider?: string | null;
  circuitId?: string | null;
  utilisationPct?: number | null;
}

/** An interface's circuit: contracted capacity (Mb/s), provider, circuit id, its own utilisation threshold. */
export function CircuitEditor(props: { deviceId: string; iface: CircuitFields; onSaved: () => void }) {
  const i = props.iface;
  const [capacity, setCapacity] = useState('');
  const [provider, setProvider] = useState('');
  const [circuitId, setCircuitId] = useState('');
  const [limit, setLimit] = useState('');
  const [note, setNote] = useState<{ ok: boolean; text: string }>();
  useEffect(() => {
    setCapacity(i.capacityBps ? String(i.capacityBps / 1e6) : '');
    setProvider(i.provider ?? '');
    setCircuitId(i.circuitId ?? '');
    setLimit(i.utilisationPct?.toString() ?? '');
    setNote(undefined);
  }, [i.ifIndex, i.capacityBps, i.provider, i.circuitId, i.utilisationPct]);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await patch(`/api/devices/${props.deviceId}/interfaces/${i.ifIndex}`, {
        capacityBps: capacity.trim() ? Math.round(Number(capacity) * 1e6) : null,
        provider: provider.trim() || null,
        circuitId: circuitId.trim() || null,
        utilisationPct: limit.trim() ? Number(limit) : null,
      });
      setNote({ ok: true, text: 'Circuit saved.' });
      props.onSaved();
    } catch (err) {
      setNote({ ok: false, text: message(err) });
    }
  };
  return (
    <form class="circuit" onSubmit={save} aria-label={`Circuit of ${i.name}`}>
      <h3>Circuit of {i.name}</h3>
      <div class="threshold-grid">
        <label>
          Capacity (Mb/s)
          <input type="number" step="any" value={capacity} onInput={(e) => setCapacity(e.currentTarget.value)} />
        </label>
        <label>
          Provider
          <input value={provider} maxLength={100} onInput={(e) => setProvider(e.currentTarget.value)} />
        </label>
        <label>
          Circuit id
          <input value={circuitId} maxLength={100} onInput={(e) => setCircuitId(e.currentTarget.value)} />
        </label>
        <label>
          Utilisation threshold (%)
          <input type="number" step="any" value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />
        </label>
      </div>
      <button type="submit">Save circuit</button>
      {note && (
        <p class={note.ok ? 'ok' : 'error'} role={note.ok ? 'status' : 'alert'}>
          {note.text}
        </p>
      )}
    </form>
  );
}
