import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { ThresholdSettingsDto } from '@netdesk/inventory';
import type { ThresholdSettings } from '../domain';
import { ThresholdsService } from './thresholds.service';
import { WanLinkLiveDto } from '../polling/monitoring.dto';
import { MonitoringService } from '../polling/monitoring.service';

@ApiTags('thresholds')
@ApiBearerAuth()
@Controller()
export class ThresholdsController {
  constructor(
    private readonly thresholds: ThresholdsService,
    private readonly monitoring: MonitoringService,
  ) {}

  @Get('wan-links')
  @ApiOkResponse({
    type: [WanLinkLiveDto],
    description: "every circuit's live utilisation, RTT and jitter, worst first",
  })
  wanLinks(): Promise<WanLinkLiveDto[]> {
    return this.monitoring.wanLinks();
  }

  @Get('thresholds')
  @ApiOkResponse({ type: ThresholdSettingsDto, description: 'the defaults, global and by device kind' })
  get(): Promise<ThresholdSettings> {
    return this.thresholds.settings();
  }

  @Put('thresholds')
  @MinRole('manager')
  @ApiOkResponse({ type: ThresholdSettingsDto })
  put(@Body() dto: ThresholdSettingsDto): Promise<ThresholdSettings> {
    return this.thresholds.replace(dto);
  }
}
