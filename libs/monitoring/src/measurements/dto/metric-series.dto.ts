import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { isISO8601, IsIn, IsInt, IsOptional, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { METRICS, RESOLUTIONS } from '../measurement.metrics';

const ZONED = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO-8601 timestamp with a time zone (or a plain date, meaning midnight UTC): never local time. */
export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' &&
          v.length <= 40 &&
          isISO8601(v, { strict: true }) &&
          (DATE_ONLY.test(v) || ZONED.test(v)) &&
          !Number.isNaN(new Date(v).getTime()),
        defaultMessage: (args) =>
          `${args?.property} must be an ISO-8601 timestamp with a time zone, e.g. 2026-01-01T00:00:00Z`,
      },
    },
    options,
  );
}

export class MetricSeriesQueryDto {
  @ApiProperty({
    enum: METRICS,
    description:
      'Device metrics: rttMs, lossPct, jitterMs, cpuPct, memPct. Interface metrics (need ifIndex): ' +
      'inBps, outBps (bits/s), inErrors, outErrors, inDiscards, outDiscards (per second).',
  })
  @IsIn(METRICS)
  metric: (typeof METRICS)[number];

  @ApiPropertyOptional({ description: 'Start of the window (ISO-8601 with a time zone); default: `to` less one hour' })
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'End of the window (ISO-8601 with a time zone); default: now' })
  @IsOptional()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({ description: 'The interface (IF-MIB ifIndex); required for interface metrics', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  ifIndex?: number;

  @ApiPropertyOptional({
    enum: RESOLUTIONS,
    description:
      'raw (one point per poll, windows up to 24 h), 5m (up to 31 days) or 1h (up to 400 days); ' +
      'default: raw up to 6 h, 5m up to 7 days, else 1h, coarser when the finer data is past its retention',
  })
  @IsOptional()
  @IsIn(RESOLUTIONS)
  resolution?: (typeof RESOLUTIONS)[number];
}

export class MetricPointDto {
  @ApiProperty({ description: 'Sample time, or start of the bucket' }) at: string;
  @ApiProperty() avg: number;
  @ApiProperty() min: number;
  @ApiProperty() max: number;
}

export class MetricSeriesResponseDto {
  @ApiProperty({ format: 'uuid' }) deviceId: string;
  @ApiProperty({ enum: METRICS }) metric: string;
  @ApiPropertyOptional() ifIndex?: number;
  @ApiProperty({ enum: RESOLUTIONS }) resolution: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({
    type: [MetricPointDto],
    description: 'Oldest first; polls or buckets without a value for the metric are left out',
  })
  points: MetricPointDto[];
}
