/** What the inventory screens share: the page frame with its tabs, list loading, enums. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import type { Device, Site } from '../types';
import '../inventory.css';

export const DEVICE_KINDS = ['router', 'switch', 'firewall', 'server', 'access-point', 'wan-link', 'other'] as const;
export const CRITICALITIES = ['critical', 'high', 'normal', 'low'] as const;

/** The device as the inventory API returns it (the board's type plus what only forms need). */
export type InventoryDevice = Device & { escalationPolicyId?: string | null };

export interface EscalationPolicy {
  id: string;
  name: string;
}

/** A one-shot note shown by the next inventory page (e.g. "Device x added"), then forgotten. */
let flash: string | null = null;
export function setFlash(message: string): void {
  flash = message;
}
function takeFlash(): string | null {
  const f = flash;
  flash = null;
  return f;
}

/** GETs a list once; `reload` fetches it again. */
export function useList<T>(path: string | null): {
  data: T[] | null;
  error: string | null;
  reload: () => void;
} {
  const [data, setData] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) {
      setData([]);
      return;
    }
    let live = true;
    get<T[]>(path).then(
      (d) => live && (setData(d), setError(null)),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}

export type { Device, Site };

const TABS = [
  { href: '/inventory/devices', label: 'Devices' },
  { href: '/inventory/sites', label: 'Sites' },
  { href: '/inventory/import', label: 'Import' },
  { href: '/inventory/discovery', label: 'Discovery' },
];

export function InventoryShell(props: { path: string; title: string; children: ComponentChildren }) {
  const [note] = useState(takeFlash);
  return (
    <main class="inventory">
      <nav class="inv-tabs" aria-label="Inventory">
        {TABS.map((t) => (
          <a
            key={t.href}
            href={t.href}
            aria-current={props.path === t.href || props.path.startsWith(`${t.href}/`) ? 'page' : undefined}
          >
            {t.label}
          </a>
        ))}
      </nav>
      <h1>{props.title}</h1>
      {note && (
        <p class="inv-flash" role="status">
          {note}
        </p>
      )}
      {props.children}
    </main>
  );
}

export function AdminOnly() {
  return (
    <p class="muted" role="note">
      Only an admin can change the inventory.
    </p>
  );
}

/** A list filter's search box, labelled by `label`. */
export function SearchBox(props: { label: string; value: string; placeholder: string; onInput: (q: string) => void }) {
  return (
    <label>
      {props.label}
      <input
        type="search"
        value={props.value}
        placeholder={props.placeholder}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}
