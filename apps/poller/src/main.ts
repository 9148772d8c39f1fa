import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@netdesk/config';
import { createRootLogger, PinoLoggerService } from '@netdesk/observability';
import { PollerAppModule } from './poller-app.module';

/** `npm run start:poller`: one poller of NETDESK_POLLER_GROUP, publishing to NATS_URL. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`${e instanceof ConfigError ? e.message : String(e)}\n`);
    process.exit(2);
  }
  if (!config.scaleOut) {
    process.stderr.write('NATS_URL must be set for a poller on its own (e.g. NATS_URL=nats://127.0.0.1:4222)\n');
    process.exit(2);
  }
  if (!config.scaleOut.embeddedPoller) {
    process.stderr.write('NETDESK_POLLER=false makes no sense for a poller on its own\n');
    process.exit(2);
  }
  const log = createRootLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(PollerAppModule.forRoot(config), {
    logger: new PinoLoggerService(log),
  });
  app.enableShutdownHooks();
  await app.init();
}

void main();
