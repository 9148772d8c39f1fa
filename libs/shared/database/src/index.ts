export { DatabaseModule, dataSourceOptions, runMigrations } from './database.module';
export { DatabaseHealth } from './database-health';
export type { PoolStats } from './database-health';
export { startDatabase, attachDatabase } from './database-runtime';
export type { DatabaseRuntime } from './database-runtime';
export { DataDirLock } from './data-dir-lock';
export { EmbeddedPostgres } from './embedded-postgres';
export { uniqueViolation, foreignKeyViolation } from './pg-errors';
export { MIGRATIONS } from './migrations';
