import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';

/** One poller as GET /api/pollers returns it. */
export interface PollerRow {
  name: string;
  group: string;
  status: 'up' | 'down';
  lastSeenAt: string;
  devices: number;
  lagMs?: number;
  backlog?: number;
}

const REFRESH_MS = 5000;

/** The pollers (scale-out over NATS): who polls, in which group, how far behind, what they still have to send. */
export function Pollers() {
  const [rows, setRows] = useState<PollerRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      get<PollerRow[]>('/api/pollers').then(
        (r) => alive && (setRows(r), setError(null)),
        (e: Error) => alive && setError(e.message),
      );
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  return (
    <main id="content" tabIndex={-1}>
      <h1>Pollers</h1>
      {error && <p role="alert">{error}</p>}
      {rows && rows.length === 0 && (
        <p class="muted">No pollers report over NATS: this server polls everything itself (NATS_URL is not set).</p>
      )}
      {rows && rows.length > 0 && (
        <table class="pollers">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Group</th>
              <th scope="col">Status</th>
              <th scope="col">Last seen</th>
              <th scope="col">Devices</th>
              <th scope="col">Lag</th>
              <th scope="col">Backlog</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={`${p.group}/${p.name}`} data-status={p.status}>
                <td>{p.name}</td>
                <td>{p.group}</td>
                <td>
                  <span class={`badge status-${p.status}`}>{p.status}</span>
                </td>
                <td>{new Date(p.lastSeenAt).toLocaleString()}</td>
                <td>{p.devices}</td>
                <td>{p.lagMs != null ? `${Math.round(p.lagMs)} ms` : '—'}</td>
                <td>{p.backlog ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
