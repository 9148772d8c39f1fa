import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { HealthService } from './health.service';
import { HttpObserverMiddleware } from './http-observer.middleware';
import { MetricsService } from './metrics.service';
import { ObservabilityController } from './observability.controller';

@Global()
@Module({
  controllers: [ObservabilityController],
  providers: [MetricsService, HealthService],
  exports: [MetricsService, HealthService],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpObserverMiddleware).forRoutes('*path');
  }
}
