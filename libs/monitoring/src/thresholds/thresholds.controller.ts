import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MinRole } from '@netdesk/auth';
import { ThresholdSettingsDto } from '@netdesk/inventory';
import type { ThresholdSettings } from '../domain';
import { ThresholdsService } from './thresholds.service';

@ApiTags('thresholds')
@ApiBearerAuth()
@Controller('thresholds')
export class ThresholdsController {
  constructor(private readonly thresholds: ThresholdsService) {}

  @Get()
  @ApiOkResponse({ type: ThresholdSettingsDto, description: 'the defaults, global and by device kind' })
  get(): Promise<ThresholdSettings> {
    return this.thresholds.settings();
  }

  @Put()
  @MinRole('manager')
  @ApiOkResponse({ type: ThresholdSettingsDto })
  put(@Body() dto: ThresholdSettingsDto): Promise<ThresholdSettings> {
    return this.thresholds.replace(dto);
  }
}
