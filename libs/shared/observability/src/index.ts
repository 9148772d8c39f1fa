export { ObservabilityModule } from './observability.module';
export { MetricsService } from './metrics.service';
export { HealthService } from './health.service';
export type { HealthCheck, CheckStatus } from './health.service';
export { PinoLoggerService, createRootLogger, REDACTED_KEYS } from './pino-logger';
