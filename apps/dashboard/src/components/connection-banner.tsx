import { useLive } from '../hooks';

/** Visible whenever the live feed is down; the state shown underneath is the last one known. */
export function ConnectionBanner() {
  const store = useLive();
  if (store.connection !== 'lost') return null;
  return (
    <div class="banner" role="alert" data-testid="connection-banner">
      <span aria-hidden="true">⚠</span> Connection lost — reconnecting…
      <span class="muted"> What you see may be out of date.</span>
    </div>
  );
}
