import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, Logger as TypeOrmLogger } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { DatabaseHealth } from './database-health';
import { databaseUnavailable, quietWhileDatabaseDown } from './pg-errors';

const MIGRATION_LOCK = 0x6e64_6d67; // 'ndmg': serialises migrations across instances sharing one database

class TypeOrmPinoLogger implements TypeOrmLogger {
  private readonly logger = new Logger('database');
  logQuery(): void {}
  // while the database is down every query fails: one line per minute for those, each other failure logged
  private readonly unavailable = quietWhileDatabaseDown((err, suppressed) =>
    this.logger.warn({ err, suppressed }, 'query failed: database unavailable'),
  );
  logQueryError(error: string | Error, query: string): void {
    if (databaseUnavailable(error)) return this.unavailable(error);
    this.logger.warn({ err: error, query: query.slice(0, 500) }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query: query.slice(0, 500) }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.log({ migration: message }, 'migration');
  }
  // idle connections dropped by a database that went away: one line per minute, not one per connection
  private readonly poolError = quietWhileDatabaseDown((message, suppressed) =>
    this.logger.warn({ message: String(message), suppressed }, 'typeorm'),
  );
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level !== 'warn') return;
    if (typeof message === 'string' && message.includes('pool raised an error')) this.poolError(new Error(message));
    else this.logger.warn({ message }, 'typeorm');
  }
}

/** Runs the committed migrations under an advisory lock, so instances starting together migrate once. */
export async function runMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrations: MIGRATIONS,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    logging: ['error', 'warn', 'migration'],
    logger: new TypeOrmPinoLogger(),
    maxQueryExecutionTime: 2000,
    extra: { max: poolSize, application_name: 'netdesk' },
  };
}

@Module({})
export class DatabaseModule {
  static forRoot(opts: { url: string; poolSize?: number }): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(opts.url, opts.poolSize ?? 10),
            autoLoadEntities: true,
            retryAttempts: 2,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options as DataSourceOptions).initialize();
            await runMigrations(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [DatabaseHealth],
      exports: [DatabaseHealth],
    };
  }
}
