import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@netdesk/core';
import { HealthService } from './health.service';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Public()
@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('health')
  @ApiOkResponse({
    description: '`{"status":"ok"|"degraded",...}`; 503 with `"error"` when the database does not answer',
  })
  async getHealth(@Res() res: Response): Promise<void> {
    const report = await this.health.report();
    res.status(report.status === 'error' ? 503 : 200).json(report);
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async getMetrics(@Res() res: Response): Promise<void> {
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
