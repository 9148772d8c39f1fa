/**
 * `npm run import -- <file.yaml|file.csv>`: imports an inventory file into the database the service
 * uses (DATABASE_URL, or the embedded one under NETDESK_DATA_DIR, shared with a running server).
 * Exit 0 with a summary; exit 1 listing every bad row (nothing imported); exit 2 on usage errors.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigError, loadConfig } from '@netdesk/config';
import { CoreModule, DomainError } from '@netdesk/core';
import { attachDatabase, DatabaseModule } from '@netdesk/database';
import { InventoryImportService, InventoryModule } from '@netdesk/inventory';
import { createRootLogger } from '@netdesk/observability';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    process.stderr.write('usage: npm run import -- <inventory.yaml|inventory.csv>\n');
    return 2;
  }
  const format = /\.csv$/i.test(file) ? 'csv' : /\.ya?ml$/i.test(file) ? 'yaml' : undefined;
  if (!format) {
    process.stderr.write(`${file}: the file name must end in .yaml, .yml or .csv\n`);
    return 2;
  }
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`${file}: ${(e as Error).message}\n`);
    return 2;
  }
  const config = loadConfig();
  const log = createRootLogger('warn');
  const db = await attachDatabase({ url: config.database.url, dataDir: config.dataDir, log });
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      CoreModule.forRoot(),
      DatabaseModule.forRoot({ url: db.url, poolSize: 2 }),
      InventoryModule,
    ],
  })
  class ImportModule {}
  const app = await NestFactory.createApplicationContext(ImportModule, { logger: false });
  try {
    const result = await app.get(InventoryImportService).import(content, format);
    process.stdout.write(
      `${file}: ${result.devicesCreated} device(s) created, ${result.devicesUpdated} updated` +
        (result.sitesCreated.length ? `, sites created: ${result.sitesCreated.join(', ')}` : '') +
        '\n',
    );
    return 0;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    process.stderr.write(`${file}: nothing imported.\n${e.messages.map((m) => `  ${m}`).join('\n')}\n`);
    return 1;
  } finally {
    await app.close();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${e instanceof ConfigError ? e.message : (e as Error).stack}\n`);
    process.exit(1);
  },
);
