/** How a device is polled: its last poll, the poller that polls it, and whether its status is only the last known. */
import { get } from '../api';
import { ago, dateTime, ms } from '../format';
import { useAsync } from '../hooks';
import { live } from '../live';
import type { Device, DeviceSummary } from '../types';
import type { PollerRow } from './pollers';

interface Props {
  d: Device;
  /** The live feed's device: its poller view changes without a status change (no refetch then). */
  current?: DeviceSummary;
}

function pollerView({ d, current }: Props): { pollerName: string | null; stale: boolean; group: string } {
  const site = d.siteId ? live.sites.get(d.siteId) : undefined;
  return {
    pollerName: current?.pollerName !== undefined ? current.pollerName : (d.pollerName ?? null),
    stale: current?.stale ?? d.stale ?? false,
    group: site?.pollerGroup ?? 'default',
  };
}

/** The "Last poll" and "Polled by" facts of the device view. */
export function PollFacts(props: Props & { now: number }) {
  const { d, now } = props;
  const { pollerName, stale, group } = pollerView(props);
  return (
    <>
      <div>
        <span class="k">Last poll</span>{' '}
        {d.lastPoll
          ? `${ago(d.lastPoll.at, now)} · RTT ${ms(d.lastPoll.rttMs)} · loss ${d.lastPoll.lossPct ?? '—'} %`
          : 'not yet'}
      </div>
      <div data-testid="polled-by">
        <span class="k">Polled by</span> {stale ? `no live poller of group “${group}”` : (pollerName ?? 'the core')}
      </div>
    </>
  );
}

/** While no poller of the device's group reports: what is shown is the last known, and since when. */
export function PollerStaleNote(props: Props) {
  const { stale, group } = pollerView(props);
  const pollers = useAsync(() => (stale ? get<PollerRow[]>('/api/pollers') : Promise.resolve([])), [stale]);
  if (!stale) return null;
  // known as of the last report of the group's pollers (or of the device's last poll or change, if later)
  const seen = (pollers.data ?? []).filter((p) => p.group === group).map((p) => Date.parse(p.lastSeenAt));
  const at = Math.max(
    ...seen,
    Date.parse(props.d.lastPoll?.at ?? props.d.statusSince),
    Date.parse(props.d.statusSince),
  );
  return (
    <p class="poller-note" data-testid="poller-stale-note">
      <span aria-hidden="true">◌</span> Poller group “{group}” unreachable: status last known at{' '}
      {dateTime(new Date(at).toISOString())}. See <a href="/pollers">Pollers</a>.
    </p>
  );
}
