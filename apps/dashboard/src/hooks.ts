import { useEffect, useReducer, useState } from 'preact/hooks';
import { live } from './live';

/** Re-renders the caller whenever the live store changes (coalesced to one render per frame). */
export function useLive(): typeof live {
  const [, bump] = useReducer((n: number, _: void) => n + 1, 0);
  useEffect(() => live.subscribe(() => bump(undefined)), []);
  return live;
}

/** The current time, ticking every `ms` (for SLA countdowns and "since" labels). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/** Runs an async load and re-runs it when `deps` change; `reload` runs it again on demand. */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: unknown[],
): { data: T | undefined; error: string | undefined; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => !cancelled && setState({ data, loading: false }),
      (e: unknown) => !cancelled && setState({ error: e instanceof Error ? e.message : String(e), loading: false }),
    );
    return () => {
      cancelled = true;
    };
  }, [...deps, nonce]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setNonce((n) => n + 1) };
}
