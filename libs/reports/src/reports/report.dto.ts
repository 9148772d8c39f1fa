import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsTimeZone, IsUUID } from 'class-validator';
import { EPISODE_FAULT_TYPES } from '../domain';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportQueryDto {
  @ApiPropertyOptional({ description: 'ISO-8601; default `to` − 7 days' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO-8601; default now' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

export class EpisodeQueryDto extends ReportQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ enum: EPISODE_FAULT_TYPES })
  @IsOptional()
  @IsIn(EPISODE_FAULT_TYPES)
  faultType?: string;
}

export class ActivitySeriesQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ description: 'IANA time zone whose calendar days the rows are; default UTC' })
  @IsOptional()
  @IsTimeZone()
  tz?: string;

  @ApiPropertyOptional({ description: "only tickets and outages of this site's devices" })
  @IsOptional()
  @IsUUID()
  siteId?: string;
}

export class EpisodeResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() deviceId: string;
  @ApiProperty() deviceName: string;
  @ApiProperty({ enum: EPISODE_FAULT_TYPES }) faultType: string;
  @ApiPropertyOptional() ifIndex?: number;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true, type: String }) endedAt: string | null;
  @ApiProperty({ description: 'Up to now while ongoing' }) durationSec: number;
  @ApiProperty() ongoing: boolean;
  @ApiProperty({ nullable: true, type: String }) ticketId: string | null;
  @ApiProperty({ description: 'Started inside a maintenance window (planned: no ticket, not recurring)' })
  inMaintenance: boolean;
  @ApiProperty({ description: 'Seconds of the episode inside maintenance windows' }) maintenanceSec: number;
}

export class RecurringFaultDto {
  @ApiProperty() deviceId: string;
  @ApiProperty() deviceName: string;
  @ApiProperty() faultType: string;
  @ApiPropertyOptional() ifIndex?: number;
  @ApiProperty() occurrences: number;
  @ApiProperty() firstAt: string;
  @ApiProperty() lastAt: string;
  @ApiProperty() downtimeSec: number;
  @ApiProperty({ type: [String] }) ticketIds: string[];
}

export class AvailabilityDto {
  @ApiProperty() deviceId: string;
  @ApiProperty() deviceName: string;
  @ApiProperty({ description: '100 × (1 − down time / window), 3 decimals' }) availabilityPct: number;
  @ApiProperty({ description: 'device_down time in the window, maintenance excluded' }) downtimeSec: number;
  @ApiProperty({
    description: 'device_down episodes overlapping the window with down time outside maintenance (as in top offenders)',
  })
  outages: number;
}

export class SiteAvailabilityDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: devices without a site' }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) siteName: string | null;
  @ApiProperty() devices: number;
  @ApiProperty({ description: '100 × (1 − down time / (devices × window)), 3 decimals' }) availabilityPct: number;
  @ApiProperty() downtimeSec: number;
  @ApiProperty() outages: number;
}

export class ActivityFiguresDto {
  @ApiProperty() opened: number;
  @ApiProperty() resolved: number;
  @ApiProperty() escalated: number;
  @ApiProperty({ nullable: true, type: Number }) meanTimeToAcknowledgeSec: number | null;
  @ApiProperty({ nullable: true, type: Number }) meanTimeToResolveSec: number | null;
  @ApiProperty() slaBreaches: number;
}

export class ActivityByTeamDto extends ActivityFiguresDto {
  @ApiProperty({ nullable: true, type: String }) team: string | null;
}
export class ActivityByPriorityDto extends ActivityFiguresDto {
  @ApiProperty() priority: string;
}
export class ActivityBySiteDto extends ActivityFiguresDto {
  @ApiProperty({ nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) siteName: string | null;
}
export class OffenderDto {
  @ApiProperty() deviceId: string;
  @ApiProperty() deviceName: string;
  @ApiProperty({ description: 'as `outages` in the availability report' }) outages: number;
  @ApiProperty({
    description: 'its outages plus episodes of other fault types overlapping the window (not in maintenance)',
  })
  episodes: number;
  @ApiProperty() tickets: number;
  @ApiProperty({ description: 'as `downtimeSec` in the availability report' }) downtimeSec: number;
}

export class RequestChannelDto {
  @ApiProperty({ enum: ['email', 'manual'] }) channel: string;
  @ApiProperty() opened: number;
}

export class RequestActivityDto {
  @ApiProperty({ type: [RequestChannelDto], description: "people's requests opened, by channel" })
  byChannel: RequestChannelDto[];
  @ApiProperty({ description: 'requests linked to an incident' }) linked: number;
  @ApiProperty() unlinked: number;
  @ApiProperty({ description: 'email requests an agent answered by email' }) answered: number;
  @ApiProperty({ nullable: true, type: Number, description: 'mean time from opening to the first agent reply' })
  meanFirstResponseSec: number | null;
  @ApiProperty({ description: 'follow-ups after a resolution: "works now"' }) followUpConfirmed: number;
  @ApiProperty({ description: 'follow-ups after a resolution: "still not working" (reopened)' })
  followUpStillBroken: number;
}

export class ActivityReportDto {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: ActivityFiguresDto }) totals: ActivityFiguresDto;
  @ApiProperty({ type: [ActivityByTeamDto] }) byTeam: ActivityByTeamDto[];
  @ApiProperty({ type: [ActivityByPriorityDto] }) byPriority: ActivityByPriorityDto[];
  @ApiProperty({ type: [ActivityBySiteDto] }) bySite: ActivityBySiteDto[];
  @ApiProperty({ type: [OffenderDto], description: 'Top 10 devices by episodes' }) topOffenders: OffenderDto[];
  @ApiProperty({ type: RequestActivityDto, description: "people's requests (email and manual tickets)" })
  requests: RequestActivityDto;
}

export class ActivityDayDto {
  @ApiProperty({ description: 'the calendar day (YYYY-MM-DD) in the requested time zone' }) date: string;
  @ApiProperty({ description: "the day's start, or the window's start when later" }) from: string;
  @ApiProperty({ description: "the day's end, or the window's end when earlier" }) to: string;
  @ApiProperty({ description: 'tickets opened in the day' }) opened: number;
  @ApiProperty({ description: 'tickets resolved in the day (as `resolved` in the activity report)' })
  resolved: number;
  @ApiProperty({ description: 'device_down episodes started in the day (maintenance included)' })
  outagesStarted: number;
}

export class ReportRulesDto {
  @ApiProperty({ description: 'a fault recurs in a report window when it happened at least this many times' })
  recurringMin: number;
  @ApiProperty({ description: 'a problem opens when a fault happens recurringMin times within this many days' })
  problemWindowDays: number;
}
