/** A device's interfaces: watched or not, states, speeds and last rates (marked last known while it does not answer). */
import { useState } from 'preact/hooks';
import { api } from '../api';
import { bps, clock } from '../format';
import type { Interface } from '../types';
import { FlappingMark } from './status';

/** Whether an interface is watched: the admin's override, else the server's default. */
export const watched = (i: Interface) => i.monitoredOverride ?? !!i.monitored;

/**
 * Watching or ignoring an interface: the toggle shows at once, until the table reloaded after the
 * server's answer replaces the rows it was shown on (or the server refuses, which is said).
 */
export function useWatchToggle(deviceId: string, interfaces: { data: Interface[] | undefined; reload: () => void }) {
  const [toggled, setToggled] = useState<{ rows: Interface[] | undefined; ifIndex: number; monitored: boolean }>();
  const [watchError, setWatchError] = useState<string | null>(null);
  const ifs = (interfaces.data ?? []).map((i) =>
    toggled && toggled.rows === interfaces.data && toggled.ifIndex === i.ifIndex
      ? { ...i, monitoredOverride: toggled.monitored }
      : i,
  );
  const watch = async (i: Interface, monitored: boolean) => {
    setWatchError(null);
    setToggled({ rows: interfaces.data, ifIndex: i.ifIndex, monitored });
    try {
      await api('PATCH', `/api/devices/${deviceId}/interfaces/${i.ifIndex}`, { monitored });
      interfaces.reload();
    } catch (e) {
      setToggled(undefined);
      setWatchError(e instanceof Error ? e.message : String(e));
    }
  };
  return { ifs, watch, watchError };
}

export function InterfaceTable(props: {
  ifs: Interface[];
  chosenIf: number | null;
  stale: boolean;
  lastGood?: string;
  admin: boolean;
  onWatch: (i: Interface, monitored: boolean) => void;
  onChoose: (ifIndex: number) => void;
}) {
  const { ifs, chosenIf, stale, lastGood, admin } = props;
  return (
    <table class={`data${stale ? ' stale' : ''}`} aria-label="Interfaces">
      {stale && (
        <caption class="stale-caption">
          Last known{lastGood ? ` (last poll ${clock(lastGood)})` : ''}: the device is not answering.
        </caption>
      )}
      <thead>
        <tr>
          <th scope="col">Watched</th>
          <th scope="col">#</th>
          <th scope="col">Name</th>
          <th scope="col">Alias</th>
          <th scope="col">Admin</th>
          <th scope="col">Oper</th>
          <th scope="col">Speed</th>
          <th scope="col">In</th>
          <th scope="col">Out</th>
          <th scope="col">Errors in/out (/s)</th>
        </tr>
      </thead>
      <tbody>
        {ifs.map((i) => (
          <tr key={i.ifIndex} data-if={i.ifIndex} class={i.ifIndex === chosenIf ? 'chosen' : ''}>
            <td data-testid="watched">
              {admin ? (
                <label class="check">
                  <input
                    type="checkbox"
                    checked={watched(i)}
                    onChange={(e) => props.onWatch(i, e.currentTarget.checked)}
                    aria-label={`Watch ${i.name}`}
                  />{' '}
                  {watched(i) ? 'watched' : 'ignored'}
                </label>
              ) : watched(i) ? (
                'watched'
              ) : (
                <span class="muted">ignored</span>
              )}
            </td>
            <td>{i.ifIndex}</td>
            <td>
              <button
                type="button"
                class="linkish"
                onClick={() => props.onChoose(i.ifIndex)}
                aria-label={`Chart traffic of ${i.name}`}
              >
                {i.name}
              </button>
              {i.flapping && <FlappingMark />}
            </td>
            <td>{i.alias ?? ''}</td>
            <td>{i.adminStatus}</td>
            <td>
              <OperStatus status={i.operStatus} admin={i.adminStatus} stale={stale} />
            </td>
            <td>{bps(i.speedBps)}</td>
            <td class="rate" title={stale ? 'last known' : undefined}>
              {stale ? <span class="stale-val">{i.inBps == null ? '—' : `was ${bps(i.inBps)}`}</span> : bps(i.inBps)}
            </td>
            <td class="rate" title={stale ? 'last known' : undefined}>
              {stale ? <span class="stale-val">{i.outBps == null ? '—' : `was ${bps(i.outBps)}`}</span> : bps(i.outBps)}
            </td>
            <td>
              {i.inErrors ?? '—'} / {i.outErrors ?? '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperStatus({ status, admin, stale }: { status: string; admin: string; stale?: boolean }) {
  if (stale)
    return (
      <span class="badge st-unknown" title="last known: the device is not answering">
        <span aria-hidden="true">?</span> last known {status}
      </span>
    );
  const cls = status === 'up' ? 'st-up' : admin !== 'up' ? 'st-unknown' : 'st-down';
  const icon = status === 'up' ? '▲' : admin !== 'up' ? '–' : '▼';
  return (
    <span class={`badge ${cls}`}>
      <span aria-hidden="true">{icon}</span> {status}
    </span>
  );
}
