import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NetdeskConfig } from '@netdesk/config';
import { EventBus } from '@netdesk/core';
import { HistoryCursor } from '@netdesk/database';
import { MONITORING_EVENTS } from '@netdesk/monitoring';
import { TICKETING_EVENTS, TicketReader } from '@netdesk/ticketing';
import {
  EpisodeFault,
  episodeEffects,
  episodeKey,
  inAnyWindow,
  isPattern,
  isRecurring,
  RecurrenceRule,
  recurrenceWindow,
  windowsFor,
} from '../domain';
import { ProblemEntity } from '../problems/problem.entity';
import { ProblemRepository } from '../problems/problem.repository';
import { ProblemAlerts } from '../problems/problem-alerts.service';
import { EpisodeRepository, HistoryRow } from './episode.repository';
import { FaultEpisodeEntity } from './fault-episode.entity';

const LOCK = 0x6e64_7270; // 'ndrp': one instance turns history into episodes at a time
const BATCH = 500;

interface AfterCommit {
  newProblems: ProblemEntity[];
  flaggedTickets: string[];
}

/**
 * Materialises fault episodes from monitoring's status history, and detects recurring faults and
 * cross-device patterns as episodes start. Like automatic ticketing it reads the history through a
 * cursor moved in the same transaction as the episodes, under an advisory lock; it never reads past
 * ticketing's own cursor, so the ticket of each fault already exists when its episode is recorded.
 */
@Injectable()
export class EpisodeRecorder implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('episode-recorder');
  private readonly cursor: HistoryCursor<HistoryRow>;
  private readonly rule: RecurrenceRule;

  constructor(
    private readonly episodes: EpisodeRepository,
    private readonly problems: ProblemRepository,
    private readonly tickets: TicketReader,
    private readonly alerts: ProblemAlerts,
    private readonly bus: EventBus,
    private readonly config: NetdeskConfig,
  ) {
    this.rule = { min: config.reports.recurringMin, windowDays: config.reports.recurringWindowDays };
    this.cursor = new HistoryCursor<HistoryRow>(
      {
        lock: LOCK,
        batch: BATCH,
        transaction: (work) => this.episodes.transaction(work),
        source: {
          // Never past ticketing's cursor: the ticket of each fault exists when its episode is recorded.
          position: async (m) => {
            const { last, ticketing } = await this.episodes.cursors(m);
            return { last, upTo: ticketing };
          },
          rowsAfter: (m, after, upTo, limit) => this.episodes.historyAfter(after, upTo!, limit, m),
          move: (m, last) => this.episodes.moveCursor(last, m),
        },
        onError: (err, suppressed) => this.logger.error({ err, suppressed }, 'episode recording failed; will retry'),
      },
      () => {
        const after: AfterCommit = { newProblems: [], flaggedTickets: [] };
        return { handle: (row, m) => this.handle(row, m, after), afterCommit: () => this.afterCommit(after) };
      },
    );
  }

  onApplicationBootstrap(): void {
    this.cursor.start(
      this.bus,
      [...Object.values(TICKETING_EVENTS), ...Object.values(MONITORING_EVENTS)],
      this.config.ticketing.automationIntervalMs,
    );
  }

  onApplicationShutdown(): Promise<void> {
    return this.cursor.stop();
  }

  /** Records everything ticketing has processed; calls during a run fold into one more run. */
  kick(): Promise<void> {
    return this.cursor.kick();
  }

  /** One transaction: up to BATCH history rows after the cursor (and not past ticketing's), the cursor moved. */
  processBatch(): Promise<number> {
    return this.cursor.processBatch();
  }

  private async afterCommit(after: AfterCommit): Promise<void> {
    for (const id of after.flaggedTickets) {
      const ticket = await this.tickets.findById(id);
      if (ticket) this.bus.publish(TICKETING_EVENTS.updated, { ticket });
    }
    for (const problem of after.newProblems) await this.alerts.problemOpened(problem);
  }

  private async handle(row: HistoryRow, m: EntityManager, after: AfterCommit): Promise<void> {
    const { starts, ends, instants } = episodeEffects(row);
    for (const fault of ends) await this.episodes.close(episodeKey(row.deviceId, fault), row.at, row.id, m);
    for (const fault of starts) {
      if (await this.episodes.hasOpen(episodeKey(row.deviceId, fault), m)) continue;
      await this.open(row, fault, false, m, after);
    }
    for (const fault of instants) await this.open(row, fault, true, m, after);
  }

  private async open(
    row: HistoryRow,
    fault: EpisodeFault,
    instant: boolean,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const key = episodeKey(row.deviceId, fault);
    const windows = windowsFor(await this.episodes.maintenanceWindows(m, { id: row.deviceId, siteId: row.siteId }), {
      id: row.deviceId,
      siteId: row.siteId,
    });
    const inMaintenance = inAnyWindow(windows, row.at);
    const episode = await this.episodes.insert(
      {
        deviceId: row.deviceId,
        faultType: fault.faultType,
        ifIndex: fault.ifIndex,
        faultKey: key,
        startedAt: row.at,
        endedAt: instant ? row.at : null,
        // Inside maintenance ticketing opened nothing; a resolved ticket of an earlier occurrence is not this one's.
        ticketId: inMaintenance ? null : await this.episodes.activeTicketId(key, m),
        inMaintenance,
        startHistoryId: row.id,
        endHistoryId: instant ? row.id : null,
      },
      m,
    );
    if (!inMaintenance) await this.detect(row, fault, episode, m, after);
  }

  /** Recurrence of this fault on this device, then patterns of its fault type across its site and kind. */
  private async detect(
    row: HistoryRow,
    fault: EpisodeFault,
    episode: FaultEpisodeEntity,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const { after: since } = recurrenceWindow(row.at, this.rule);
    const same = await this.episodes.sameFaultSince(episode.faultKey, since, row.at, m);
    const recurring = isRecurring(
      same.map((s) => s.startedAt),
      row.at,
      this.rule,
    );
    if (recurring) {
      const ticketIds = [...new Set(same.flatMap((s) => (s.ticketId ? [s.ticketId] : [])))];
      after.flaggedTickets.push(...(await this.episodes.flagRecurring(ticketIds, m)));
    }
    const ifPart = fault.ifIndex != null ? ` (ifIndex ${fault.ifIndex})` : '';
    await this.group(
      {
        problemKey: `device:${episode.faultKey}`,
        scope: 'device',
        faultType: fault.faultType,
        deviceId: row.deviceId,
        ifIndex: fault.ifIndex,
        siteId: row.siteId,
        deviceKind: row.deviceKind,
        title: `Recurring ${fault.faultType}${ifPart} on ${row.deviceName}`,
      },
      recurring,
      same.map((s) => s.id),
      episode.id,
      row.at,
      m,
      after,
    );
    const groups: ({ siteId: string } | { kind: string })[] = [
      ...(row.siteId ? [{ siteId: row.siteId }] : []),
      { kind: row.deviceKind },
    ];
    for (const g of groups) {
      const occurrences = await this.episodes.sameFaultTypeInGroup(g, fault, since, row.at, m);
      const bySite = 'siteId' in g;
      await this.group(
        {
          problemKey: bySite ? `site:${g.siteId}:${fault.faultType}` : `kind:${g.kind}:${fault.faultType}`,
          scope: bySite ? 'site' : 'kind',
          faultType: fault.faultType,
          deviceId: null,
          ifIndex: null,
          siteId: bySite ? g.siteId : null,
          deviceKind: bySite ? null : g.kind,
          title: bySite
            ? `${fault.faultType} on several devices of site ${await this.problems.siteName(g.siteId, m)}`
            : `${fault.faultType} on several ${g.kind} devices`,
        },
        isPattern(occurrences, row.at, this.rule),
        occurrences.map((o) => o.id),
        episode.id,
        row.at,
        m,
        after,
      );
    }
  }

  /**
   * An active problem for the key takes the new episode whatever the count; otherwise a problem opens
   * when the rule is met, with every episode in the window, and managers are told once after commit.
   */
  private async group(
    fields: Partial<ProblemEntity> & { problemKey: string; title: string },
    met: boolean,
    windowEpisodeIds: string[],
    episodeId: string,
    at: Date,
    m: EntityManager,
    after: AfterCommit,
  ): Promise<void> {
    const active = await this.problems.activeByKey(fields.problemKey, m);
    if (active) {
      await this.problems.link(active.id, met ? windowEpisodeIds : [episodeId], m);
      return;
    }
    if (!met) return;
    const problem = await this.problems.insert(
      { ...fields, title: fields.title.slice(0, 200), status: 'open', openedAt: at, updatedAt: at },
      m,
    );
    await this.problems.link(problem.id, windowEpisodeIds, m);
    this.logger.log({ problemId: problem.id, key: problem.problemKey }, 'problem opened');
    after.newProblems.push(problem);
  }
}
