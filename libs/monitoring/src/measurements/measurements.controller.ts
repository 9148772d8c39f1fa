import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { MetricSeriesQueryDto, MetricSeriesResponseDto } from './dto/metric-series.dto';
import { toMetricSeriesResponse } from './measurement.mapper';
import { MeasurementsService } from './measurements.service';

/** Measurement series for graphs; any signed-in user (viewer) may read them. */
@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('devices')
export class MeasurementsController {
  constructor(private readonly measurements: MeasurementsService) {}

  @Get(':id/metrics')
  @ApiOkResponse({ type: MetricSeriesResponseDto })
  @ApiBadRequestResponse({
    description: 'An unknown metric, a malformed or inverted window, or one too long for the resolution',
  })
  @ApiNotFoundResponse({ description: 'No such device' })
  async series(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: MetricSeriesQueryDto,
  ): Promise<MetricSeriesResponseDto> {
    return toMetricSeriesResponse(await this.measurements.series(id, query));
  }
}
