import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { NetdeskConfig } from '@netdesk/config';
import { ActivityDigest } from './activity-digest.service';

export const DIGEST_JOB = 'reports-weekly-digest';

/** Runs the weekly digest on NETDESK_DIGEST_CRON (server local time; `off` registers nothing). */
@Injectable()
export class ActivityDigestScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('activity-digest');

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly digest: ActivityDigest,
    private readonly config: NetdeskConfig,
  ) {}

  onApplicationBootstrap(): void {
    const cron = this.config.reports.digestCron;
    if (!cron) return;
    const job = CronJob.from({
      cronTime: cron,
      onTick: () => void this.digest.send().catch((err) => this.logger.error({ err }, 'weekly digest failed')),
      start: false,
    });
    this.registry.addCronJob(DIGEST_JOB, job);
    job.start();
    this.logger.log({ cron }, 'weekly digest scheduled');
  }

  onApplicationShutdown(): void {
    if (this.registry.doesExist('cron', DIGEST_JOB)) this.registry.deleteCronJob(DIGEST_JOB);
  }
}
