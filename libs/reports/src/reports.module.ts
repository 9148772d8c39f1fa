import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@netdesk/auth';
import { InventoryModule } from '@netdesk/inventory';
import { MeasurementsModule, PollingModule } from '@netdesk/monitoring';
import { NotificationsModule } from '@netdesk/notifications';
import { ActivityDigestScheduler } from './digest/activity-digest.scheduler';
import { ActivityDigest } from './digest/activity-digest.service';
import { ReportDigestEntity } from './digest/report-digest.entity';
import { EpisodeRecorder } from './episodes/episode-recorder.service';
import { EpisodeRepository } from './episodes/episode.repository';
import { FaultEpisodeEntity } from './episodes/fault-episode.entity';
import { ReportsCursorEntity } from './episodes/reports-cursor.entity';
import { ManagerNotifier } from './problems/manager-notifier.service';
import { ProblemAlerts } from './problems/problem-alerts.service';
import { ProblemEpisodeEntity } from './problems/problem-episode.entity';
import { ProblemEntity } from './problems/problem.entity';
import { ProblemRepository } from './problems/problem.repository';
import { ProblemsController } from './problems/problems.controller';
import { ProblemsService } from './problems/problems.service';
import { ReportRepository } from './reports/report.repository';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { WanLinksReport } from './wan-links/wan-links.service';

/**
 * Manager reports: fault episodes materialised from the status history, recurring faults and problems,
 * availability and activity reports (JSON or CSV), and the weekly digest. Depends on ticketing (tickets,
 * its cursor) and monitoring (history); neither knows of it.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      FaultEpisodeEntity,
      ReportsCursorEntity,
      ProblemEntity,
      ProblemEpisodeEntity,
      ReportDigestEntity,
    ]),
    AuthModule,
    InventoryModule,
    NotificationsModule,
    PollingModule,
    MeasurementsModule,
  ],
  controllers: [ReportsController, ProblemsController],
  providers: [
    EpisodeRepository,
    ProblemRepository,
    ReportRepository,
    EpisodeRecorder,
    ProblemsService,
    ProblemAlerts,
    ManagerNotifier,
    ReportsService,
    ActivityDigest,
    ActivityDigestScheduler,
    WanLinksReport,
  ],
  exports: [ReportsService, EpisodeRecorder, ActivityDigest],
})
export class ReportsModule {}
