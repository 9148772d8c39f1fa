/**
 * The data source for the TypeORM CLI (`npm run migration:generate -- libs/shared/database/src/migrations/<Name>`).
 * Runs from the build output against DATABASE_URL, with every entity of every lib.
 */
import 'reflect-metadata';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@netdesk/database';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must point at the database to compare the entities with');

export default new DataSource({
  ...dataSourceOptions(url, 2),
  entities: [path.join(__dirname, '..', 'libs', '**', '*.entity.js')],
});
