import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { NetdeskConfig } from '@netdesk/config';
import { BodyContractInterceptor, createValidationPipe, type Clock } from '@netdesk/core';
import { IMPORT_CONTENT_TYPES } from '@netdesk/inventory';
import { AppModule } from './app.module';
import { serveDashboard } from './dashboard-static';
import { bodyErrors, checkUrl, readJson, readText, requestId, unreadBody } from './http-edge';

/** Builds the configured Nest application (not yet listening). Shared by `main.ts` and the e2e suites. */
export async function createServerApp(
  config: NetdeskConfig,
  databaseUrl: string,
  logger: LoggerService | false,
  options: { clock?: Clock } = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, options), {
    logger: logger === false ? false : logger,
    bufferLogs: logger !== false,
    // Bodies are read by the edge below (limits and checks before parsing), not by Nest's parsers.
    bodyParser: false,
    // a failure while building the app rejects (main logs it as one line) instead of process.abort()
    abortOnError: false,
  });
  app.disable('x-powered-by');
  app.use(requestId, checkUrl, ...readJson, ...readText(IMPORT_CONTENT_TYPES), unreadBody, bodyErrors);
  app.useGlobalInterceptors(new BodyContractInterceptor());
  app.setGlobalPrefix('api', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('NetDesk API')
      .setDescription(
        'Network monitoring with its own help desk. The stable public surface is described in docs/api-contract notes; this is the full reference.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  serveDashboard(app);
  return app;
}
