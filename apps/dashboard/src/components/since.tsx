import { useEffect, useReducer } from 'preact/hooks';
import { duration } from '../format';
import { liveNow } from '../live';

/** One timer for every duration on screen (a board can show thousands). */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function useTicker(): void {
  const [, bump] = useReducer((n: number, _: void) => n + 1, 0);
  useEffect(() => {
    const l = () => bump(undefined);
    listeners.add(l);
    timer ??= setInterval(() => listeners.forEach((f) => f()), 5000);
    return () => {
      listeners.delete(l);
      if (listeners.size === 0) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }, []);
}

/** "12m 5s" since `iso`, ticking; frozen while the live connection is lost. */
export function Since({ iso, prefix = '' }: { iso: string; prefix?: string }) {
  useTicker();
  const ms = liveNow() - new Date(iso).getTime();
  return (
    <span class="since" title={new Date(iso).toLocaleString()}>
      {prefix}
      {duration(ms)}
    </span>
  );
}
