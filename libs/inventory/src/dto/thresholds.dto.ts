import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';

/**
 * Threshold values, as the API takes them for the defaults, a device kind or one device. Every value is
 * optional (inherited from the level below); on a device, null removes an override. The keys and limits
 * match monitoring's threshold evaluation (libs/monitoring/src/domain/thresholds.ts).
 */
export class ThresholdValuesDto {
  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 100, description: 'in or out rate, % of capacity' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(100)
  utilisationPct?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 0, description: 'errors + discards per minute' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1e9)
  errorsPerMin?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(100)
  cpuPct?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(100)
  memPct?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 60000 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60_000)
  rttMs?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 100 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  lossPct?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 0, maximum: 60000 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60_000)
  jitterMs?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: 1, maximum: 100, description: 'consecutive polls to breach/clear' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  forPolls?: number | null;
}

const kindProperty = (): PropertyDecorator => {
  const decorators = [
    ApiPropertyOptional({ type: ThresholdValuesDto }),
    IsOptional(),
    IsObject(),
    ValidateNested(),
    Type(() => ThresholdValuesDto),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/** Defaults per device kind. */
export class ThresholdsByKindDto {
  @kindProperty() router?: ThresholdValuesDto;
  @kindProperty() switch?: ThresholdValuesDto;
  @kindProperty() firewall?: ThresholdValuesDto;
  @kindProperty() server?: ThresholdValuesDto;
  @kindProperty() 'access-point'?: ThresholdValuesDto;
  @kindProperty() 'wan-link'?: ThresholdValuesDto;
  @kindProperty() other?: ThresholdValuesDto;
}

/** `GET`/`PUT /api/thresholds`. */
export class ThresholdSettingsDto {
  @ApiPropertyOptional({ type: ThresholdValuesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ThresholdValuesDto)
  defaults: ThresholdValuesDto;

  @ApiPropertyOptional({ type: ThresholdsByKindDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ThresholdsByKindDto)
  byKind?: ThresholdsByKindDto;
}

/** Only the numbers that are set: `{cpuPct: 80, rttMs: null}` → `{cpuPct: 80}`. */
export function thresholdNumbers(values: object | null | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values ?? {})) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
