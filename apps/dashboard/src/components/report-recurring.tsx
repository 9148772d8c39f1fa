import { useState } from 'preact/hooks';
import { get } from '../api';
import { dateTime, seconds } from '../format';
import { useAsync } from '../hooks';
import type { Problem, RecurringFault } from '../report-types';
import {
  useReportWindow,
  range,
  faultLabel,
  useInterfaceNames,
  humanTitle,
  RulesNote,
  ReportHeader,
  Section,
  Loading,
  TicketLink,
  FaultEpisodes,
  ProblemStatusBadge,
  ReportHead,
} from './report-common';

/** `/reports`: recurring faults in the window with their episodes and tickets, and the problems. */
export function RecurringReport() {
  const w = useReportWindow();
  const faults = useAsync(() => get<RecurringFault[]>(`/api/reports/recurring-faults?${range(w)}`), [w]);
  // only the problems with a fault in the chosen window
  const problems = useAsync(() => get<Problem[]>(`/api/problems?${range(w)}`), [w]);
  const [open, setOpen] = useState<string | null>(null);
  const keyOf = (f: RecurringFault) => `${f.deviceId}:${f.faultType}:${f.ifIndex ?? ''}`;
  const names = useInterfaceNames([
    ...(faults.data ?? []).filter((f) => f.ifIndex != null).map((f) => f.deviceId),
    ...(problems.data ?? []).filter((p) => p.ifIndex != null && p.deviceId).map((p) => p.deviceId!),
  ]);
  const ifName = (deviceId: string | null, ifIndex?: number) =>
    ifIndex == null ? undefined : names.get(`${deviceId}:${ifIndex}`);

  return (
    <main class="report" aria-labelledby="report-title">
      <ReportHeader key={w.search} title="Recurring faults and problems" w={w} path="/reports" />
      <RulesNote />
      <Section
        id="recurring-title"
        title="Recurring faults"
        csv={{ path: `/api/reports/recurring-faults?${range(w)}&format=csv`, name: 'recurring-faults' }}
      >
        {!faults.data ? (
          <Loading what="recurring faults" error={faults.error} />
        ) : faults.data.length === 0 ? (
          <p class="muted">No fault recurred in this window.</p>
        ) : (
          <table class="report-table recurring">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Fault</th>
                <th scope="col" class="num">
                  Occurrences
                </th>
                <th scope="col">First</th>
                <th scope="col">Last</th>
                <th scope="col" class="num">
                  Down time
                </th>
                <th scope="col">Tickets</th>
                <th scope="col" class="no-print">
                  <span class="sr-only">Episodes</span>
                </th>
              </tr>
            </thead>
            {faults.data.map((f) => {
              const k = keyOf(f);
              const expanded = open === k;
              const panel = `ep-${k.replace(/[^a-z0-9]/gi, '')}`;
              return (
                <tbody key={k} class={expanded ? 'expanded' : ''}>
                  <tr data-fault={`${f.deviceId}:${f.faultType}`}>
                    <td>
                      <a href={`/devices/${f.deviceId}`}>{f.deviceName}</a>
                    </td>
                    <td>{faultLabel(f.faultType, f.ifIndex, ifName(f.deviceId, f.ifIndex))}</td>
                    <td class="num">{f.occurrences}</td>
                    <td>{dateTime(f.firstAt)}</td>
                    <td>{dateTime(f.lastAt)}</td>
                    <td class="num">{seconds(f.downtimeSec)}</td>
                    <td>
                      <span class="inline-list">
                        {f.ticketIds.map((id) => (
                          <TicketLink key={id} id={id} />
                        ))}
                      </span>
                    </td>
                    <td class="no-print">
                      <button
                        type="button"
                        aria-expanded={expanded}
                        aria-controls={panel}
                        onClick={() => setOpen(expanded ? null : k)}
                      >
                        <span aria-hidden="true">{expanded ? '▾' : '▸'}</span> Episodes
                        <span class="sr-only">
                          {' '}
                          of {f.faultType} on {f.deviceName}
                        </span>
                      </button>
                    </td>
                  </tr>
                  {expanded && (
                    <tr class="drill-row">
                      <td colSpan={8} id={panel}>
                        <FaultEpisodes fault={f} w={w} ifName={ifName(f.deviceId, f.ifIndex)} />
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
        )}
      </Section>
      <Section id="problems-title" title="Problems with a fault in this window">
        {!problems.data ? (
          <Loading what="problems" error={problems.error} />
        ) : problems.data.length === 0 ? (
          <p class="muted">No problem had a fault in this window.</p>
        ) : (
          <table class="report-table problems">
            <ReportHead
              cols={[
                'Problem',
                'Status',
                'Scope',
                { num: 'Occurrences' },
                { num: 'Devices' },
                'Last',
                { num: 'Tickets' },
              ]}
            />
            <tbody>
              {problems.data.map((p) => (
                <tr key={p.id} data-problem={p.id}>
                  <td>
                    <a href={`/problems/${p.id}`}>
                      PRB-{p.number} {humanTitle(p, names)}
                    </a>
                  </td>
                  <td>
                    <ProblemStatusBadge status={p.status} />
                  </td>
                  <td>{p.scope}</td>
                  <td class="num">{p.occurrences}</td>
                  <td class="num">{p.devices}</td>
                  <td>{dateTime(p.lastAt ?? undefined)}</td>
                  <td class="num">{p.ticketIds.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
    </main>
  );
}
