import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { useLive } from '../hooks';
import { navigate } from '../router';
import type { Priority, Ticket } from '../types';

/** A manual ticket (POST /api/tickets), from the queue or for one device from its page. */
export function NewTicket({ deviceId, onCancel }: { deviceId?: string; onCancel: () => void }) {
  const store = useLive();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<Priority>('P3');
  const [device, setDevice] = useState(deviceId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const devices = [...store.devices.values()].sort((a, b) => a.name.localeCompare(b.name));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await post<Ticket>('/api/tickets', {
        title,
        priority,
        ...(description.trim() && { description }),
        ...(device && { deviceId: device }),
      });
      navigate(`/tickets/${t.id}`);
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err));
      first.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="new-ticket panel" onSubmit={submit} aria-labelledby="new-ticket-title">
      <h2 id="new-ticket-title">New ticket</h2>
      <label>
        Title
        <input ref={first} value={title} onInput={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
      </label>
      <label>
        Description
        <textarea
          value={description}
          rows={3}
          onInput={(e) => setDescription(e.currentTarget.value)}
          maxLength={10000}
        />
      </label>
      <div class="row">
        <label>
          Priority
          <select value={priority} onChange={(e) => setPriority(e.currentTarget.value as Priority)}>
            <option value="P1">P1 — critical</option>
            <option value="P2">P2 — high</option>
            <option value="P3">P3 — normal</option>
            <option value="P4">P4 — low</option>
          </select>
        </label>
        <label>
          Device
          <select value={device} onChange={(e) => setDevice(e.currentTarget.value)}>
            <option value="">None</option>
            {devices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          Create ticket
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
