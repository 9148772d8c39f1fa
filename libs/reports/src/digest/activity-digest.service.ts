import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@netdesk/core';
import { ManagerNotifier } from '../problems/manager-notifier.service';
import type { ActivityFiguresDto, ActivityReportDto } from '../reports/report.dto';
import { ReportsService } from '../reports/reports.service';

const WEEK_MS = 7 * 86_400_000;

/**
 * The weekly activity digest: the activity report for the 7 days up to now (to the minute), emailed to
 * managers. The period is recorded first (`report_digests`), so each week's digest goes out once even
 * when several instances fire together.
 */
@Injectable()
export class ActivityDigest {
  private readonly logger = new Logger('activity-digest');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: ReportsService,
    private readonly notifier: ManagerNotifier,
    private readonly clock: Clock,
  ) {}

  /** Sends the digest for the week ending now; false when another run already sent it. */
  async send(): Promise<boolean> {
    const end = new Date(Math.floor(this.clock.now().getTime() / 60_000) * 60_000);
    const claimed = await this.dataSource.query(
      `INSERT INTO report_digests (period_end, sent_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING period_end`,
      [end, this.clock.now()],
    );
    if (!claimed.length) return false;
    const report = await this.reports.activity({
      from: new Date(end.getTime() - WEEK_MS).toISOString(),
      to: end.toISOString(),
    });
    await this.notifier.send({
      ticketId: `digest:${end.toISOString()}`,
      ticketNumber: 'digest',
      event: 'weekly_digest',
      priority: 'weekly',
      title: `Activity ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}`,
      text: digestText(report),
      fields: {
        opened: String(report.totals.opened),
        resolved: String(report.totals.resolved),
        escalated: String(report.totals.escalated),
        'SLA breaches': String(report.totals.slaBreaches),
      },
    });
    this.logger.log({ periodEnd: end.toISOString() }, 'weekly digest sent');
    return true;
  }
}

const line = (label: string, f: ActivityFiguresDto) =>
  `${label}: opened ${f.opened}, resolved ${f.resolved}, escalated ${f.escalated}, ` +
  `MTTA ${duration(f.meanTimeToAcknowledgeSec)}, MTTR ${duration(f.meanTimeToResolveSec)}, SLA breaches ${f.slaBreaches}`;

function duration(sec: number | null): string {
  if (sec === null) return 'n/a';
  if (sec < 120) return `${sec} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

/** Plain-text body: totals, by priority, by team, by site, top offenders. */
export function digestText(r: ActivityReportDto): string {
  return [
    `Help-desk activity from ${r.from} to ${r.to}`,
    '',
    line('All tickets', r.totals),
    '',
    'By priority:',
    ...r.byPriority.map((p) => `  ${line(p.priority, p)}`),
    '',
    'By team:',
    ...r.byTeam.map((t) => `  ${line(t.team ?? '(none)', t)}`),
    '',
    'By site:',
    ...r.bySite.map((s) => `  ${line(s.siteName ?? '(no site)', s)}`),
    '',
    'Top offenders:',
    ...r.topOffenders.map(
      (o, i) => `  ${i + 1}. ${o.deviceName}: ${o.episodes} faults, ${o.tickets} tickets, ${o.downtimeSec} s down`,
    ),
    ...(r.requests
      ? [
          '',
          `People's requests: ${r.requests.byChannel.map((c) => `${c.opened} by ${c.channel}`).join(', ')}; ` +
            `${r.requests.linked} linked to an incident, ${r.requests.unlinked} not; ` +
            `first response ${duration(r.requests.meanFirstResponseSec)}; ` +
            `follow-ups: ${r.requests.followUpConfirmed} confirmed, ${r.requests.followUpStillBroken} still broken`,
        ]
      : []),
  ].join('\n');
}
