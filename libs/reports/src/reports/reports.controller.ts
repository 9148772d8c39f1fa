import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { MinRole } from '@netdesk/auth';
import {
  activityCsv,
  activitySeriesCsv,
  availabilityCsv,
  episodesCsv,
  recurringFaultsCsv,
  siteAvailabilityCsv,
  wanLinksCsv,
} from './report-csv';
import {
  ActivityDayDto,
  ActivityReportDto,
  ActivitySeriesQueryDto,
  AvailabilityDto,
  EpisodeQueryDto,
  EpisodeResponseDto,
  RecurringFaultDto,
  ReportQueryDto,
  ReportRulesDto,
  SiteAvailabilityDto,
} from './report.dto';
import { ReportsService } from './reports.service';
import { WanLinkReportDto } from '../wan-links/wan-links.dto';
import { WanLinksReport } from '../wan-links/wan-links.service';

/** JSON by default; `?format=csv` answers the same rows as `text/csv`. */
function respond<T>(
  res: Response,
  format: string | undefined,
  name: string,
  body: T,
  csv: (b: T) => string,
): T | string {
  if (format !== 'csv') return body;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  return csv(body);
}

@ApiTags('reports')
@ApiBearerAuth()
@MinRole('manager')
@ApiProduces('application/json', 'text/csv')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly wanLinks: WanLinksReport,
  ) {}

  @Get('wan-links')
  @ApiOkResponse({
    type: [WanLinkReportDto],
    description: 'WAN links for capacity planning: 95th percentile and peak in/out, hours over threshold',
  })
  async wanLinksReport(@Query() q: ReportQueryDto, @Res({ passthrough: true }) res: Response) {
    return respond(res, q.format, 'wan-links', await this.wanLinks.build(this.reports.range(q)), wanLinksCsv);
  }

  @Get('rules')
  @ApiOkResponse({ type: ReportRulesDto, description: 'The recurrence rules the reports and problems apply' })
  rules(): ReportRulesDto {
    return this.reports.rules();
  }

  @Get('episodes')
  @ApiOkResponse({ type: [EpisodeResponseDto], description: 'Fault episodes overlapping the window, newest first' })
  async episodes(@Query() q: EpisodeQueryDto, @Res({ passthrough: true }) res: Response) {
    return respond(res, q.format, 'episodes', await this.reports.episodeList(q), episodesCsv);
  }

  @Get('recurring-faults')
  @ApiOkResponse({ type: [RecurringFaultDto] })
  async recurringFaults(@Query() q: ReportQueryDto, @Res({ passthrough: true }) res: Response) {
    return respond(res, q.format, 'recurring-faults', await this.reports.recurringFaults(q), recurringFaultsCsv);
  }

  @Get('availability')
  @ApiOkResponse({ type: [AvailabilityDto] })
  async availability(@Query() q: ReportQueryDto, @Res({ passthrough: true }) res: Response) {
    return respond(res, q.format, 'availability', await this.reports.availability(q), availabilityCsv);
  }

  @Get('site-availability')
  @ApiOkResponse({ type: [SiteAvailabilityDto], description: 'Availability per site, least available first' })
  async siteAvailability(@Query() q: ReportQueryDto, @Res({ passthrough: true }) res: Response) {
    return respond(res, q.format, 'site-availability', await this.reports.siteAvailability(q), siteAvailabilityCsv);
  }

  @Get('activity')
  @ApiOkResponse({ type: ActivityReportDto })
  async activity(@Query() q: ReportQueryDto, @Res({ passthrough: true }) res: Response) {
    return respond(res, q.format, 'activity', await this.reports.activity(q), activityCsv);
  }

  @Get('activity/series')
  @ApiOkResponse({
    type: [ActivityDayDto],
    description: 'Tickets opened and resolved and outages started, one row per calendar day of `tz`, oldest first',
  })
  async activitySeries(@Query() q: ActivitySeriesQueryDto, @Res({ passthrough: true }) res: Response) {
    return respond(res, q.format, 'activity-series', await this.reports.activitySeries(q), activitySeriesCsv);
  }
}
