export { ReportsModule } from './reports.module';
export { ReportsService } from './reports/reports.service';
export type { ReportRange } from './reports/report.repository';
export { EpisodeRecorder } from './episodes/episode-recorder.service';
export { ActivityDigest } from './digest/activity-digest.service';
export { buildEpisodes, episodeEffects, episodeKey, EPISODE_FAULT_TYPES } from './domain';
export type { Episode, EpisodeFault, EpisodeFaultType, HistoryChange } from './domain';
