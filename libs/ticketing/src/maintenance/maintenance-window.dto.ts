import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { WEEKDAYS } from '../domain';
import { IsOptionalNonNull } from '@netdesk/core';

export class WeeklyRecurrenceDto {
  @ApiProperty({ enum: WEEKDAYS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(WEEKDAYS, { each: true })
  days: (typeof WEEKDAYS)[number][];

  @ApiProperty({ example: '02:00' })
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'weekly.start must be HH:MM' })
  start: string;

  @ApiProperty({ example: 120 })
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  durationMinutes: number;

  @ApiProperty({ example: 'Europe/Berlin' })
  @IsString()
  @MaxLength(64)
  timezone: string;
}

export class CreateMaintenanceWindowDto {
  @ApiProperty({ maxLength: 128 })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(128)
  name: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the device; or give siteId' })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ description: 'one-off start (ISO-8601)' })
  @IsOptionalNonNull()
  @IsDateString()
  startsAt?: string;

  @ApiPropertyOptional({ description: 'one-off end (ISO-8601)' })
  @IsOptionalNonNull()
  @IsDateString()
  endsAt?: string;

  @ApiPropertyOptional({ type: WeeklyRecurrenceDto })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => WeeklyRecurrenceDto)
  weekly?: WeeklyRecurrenceDto;
}

/**
 * Any subset of the fields. A window is either one-off or weekly and covers a device or a site: to switch,
 * send the new kind (`weekly`, or `startsAt` and `endsAt`) or target (`deviceId` or `siteId`) and the old one
 * is replaced (e.g. `{"weekly":{...}}` turns a one-off window weekly). `startsAt`, `endsAt` and `weekly` may
 * not be `null`.
 */
export class UpdateMaintenanceWindowDto extends PartialType(CreateMaintenanceWindowDto, {
  skipNullProperties: false,
}) {}

export class MaintenanceWindowResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiProperty({ nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) startsAt: string | null;
  @ApiProperty({ nullable: true, type: String }) endsAt: string | null;
  @ApiProperty({ nullable: true, type: WeeklyRecurrenceDto }) weekly: WeeklyRecurrenceDto | null;
}
