import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  isFQDN,
  isIP,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
  IsObject,
} from 'class-validator';
import {
  CRITICALITIES,
  DEVICE_KINDS,
  SNMP_AUTH_PROTOCOLS,
  SNMP_PRIV_PROTOCOLS,
  SNMP_VERSIONS,
} from '../inventory.types';
import { IsOptionalNonNull } from '@netdesk/core';
import { ThresholdValuesDto } from './thresholds.dto';

/** An IPv4 or IPv6 address, or a DNS name. */
export function IsHost(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHost',
      validator: {
        validate: (v: unknown) =>
          typeof v === 'string' &&
          v.length <= 253 &&
          (isIP(v) || isFQDN(v, { require_tld: false, allow_underscores: true, allow_trailing_dot: true })),
        defaultMessage: () => 'host must be an IPv4/IPv6 address or a DNS name',
      },
    },
    options,
  );
}

const TAG = /^[\w.:/-]{1,64}$/;
const TEAM = /^[\w.-]{1,64}$/;

export class SnmpCredentialsDto {
  @ApiProperty({ enum: SNMP_VERSIONS })
  @IsIn(SNMP_VERSIONS)
  version: (typeof SNMP_VERSIONS)[number];

  @ApiPropertyOptional({ description: 'v1/v2c community (write-only)', writeOnly: true })
  @ValidateIf((o: SnmpCredentialsDto) => o.version !== '3' || o.community !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  community?: string;

  @ApiPropertyOptional({ description: 'v3 user name' })
  @ValidateIf((o: SnmpCredentialsDto) => o.version === '3' || o.username !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username?: string;

  @ApiPropertyOptional({ enum: SNMP_AUTH_PROTOCOLS })
  @ValidateIf(
    (o: SnmpCredentialsDto) => o.authProtocol !== undefined || o.authKey !== undefined || o.privProtocol !== undefined,
  )
  @IsIn(SNMP_AUTH_PROTOCOLS)
  authProtocol?: (typeof SNMP_AUTH_PROTOCOLS)[number];

  @ApiPropertyOptional({ description: 'v3 authentication key, at least 8 characters (write-only)', writeOnly: true })
  @ValidateIf((o: SnmpCredentialsDto) => o.authProtocol !== undefined || o.authKey !== undefined)
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  authKey?: string;

  @ApiPropertyOptional({ enum: SNMP_PRIV_PROTOCOLS })
  @ValidateIf((o: SnmpCredentialsDto) => o.privProtocol !== undefined || o.privKey !== undefined)
  @IsIn(SNMP_PRIV_PROTOCOLS)
  privProtocol?: (typeof SNMP_PRIV_PROTOCOLS)[number];

  @ApiPropertyOptional({ description: 'v3 privacy key, at least 8 characters (write-only)', writeOnly: true })
  @ValidateIf((o: SnmpCredentialsDto) => o.privProtocol !== undefined || o.privKey !== undefined)
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  privKey?: string;

  @ApiPropertyOptional({ default: 161 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;
}

export class CreateDeviceDto {
  @ApiProperty({ maxLength: 128, example: 'core-router-1' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(128)
  name: string;

  @ApiProperty({ example: '192.0.2.1', description: 'IPv4/IPv6 address or DNS name' })
  @IsString()
  @IsHost()
  host: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: 'The upstream device this one is reached through' })
  @IsOptional()
  @IsUUID()
  parentId?: string | null;

  @ApiPropertyOptional({ enum: DEVICE_KINDS, default: 'other' })
  @IsOptionalNonNull()
  @IsIn(DEVICE_KINDS)
  kind?: (typeof DEVICE_KINDS)[number];

  @ApiPropertyOptional({ enum: CRITICALITIES, default: 'normal' })
  @IsOptionalNonNull()
  @IsIn(CRITICALITIES)
  criticality?: (typeof CRITICALITIES)[number];

  @ApiPropertyOptional({ default: 30, minimum: 1, maximum: 86400 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(86400)
  pollIntervalSec?: number;

  @ApiPropertyOptional({ type: SnmpCredentialsDto, nullable: true })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SnmpCredentialsDto)
  snmp?: SnmpCredentialsDto | null;

  @ApiPropertyOptional({ type: [String], example: ['core', 'dc1'] })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(TAG, { each: true, message: 'each tag must be 1-64 letters, digits or . : / - _' })
  tags?: string[];

  @ApiPropertyOptional({ maxLength: 64, example: 'noc' })
  @IsOptional()
  @Matches(TEAM, { message: 'team must be 1-64 letters, digits, dots, dashes or underscores' })
  team?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'escalation policy for its tickets; unset: the default policy',
  })
  @IsOptional()
  @IsUUID()
  escalationPolicyId?: string | null;

  @ApiPropertyOptional({
    type: ThresholdValuesDto,
    nullable: true,
    description: "this device's own thresholds over its kind's defaults; on PATCH merged key by key, null removes one",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ThresholdValuesDto)
  thresholds?: ThresholdValuesDto | null;
}

export class UpdateDeviceDto extends PartialType(CreateDeviceDto, { skipNullProperties: false }) {}

/** One row of an inventory file: like the API body, with the site and parent named instead of by id. */
export class ImportDeviceRowDto extends OmitType(CreateDeviceDto, [
  'siteId',
  'parentId',
  'escalationPolicyId',
] as const) {
  @IsOptional()
  @IsString()
  @MaxLength(128)
  site?: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  parent?: string;
}

export class DeviceSnmpResponseDto {
  @ApiProperty({ enum: SNMP_VERSIONS }) version: string;
  @ApiProperty() port: number;
  @ApiProperty({ enum: [true] }) configured: true;
}

export class LastPollDto {
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: Number }) rttMs: number | null;
  @ApiProperty({ nullable: true, type: Number }) lossPct: number | null;
}

export class DeviceResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() host: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) parentId: string | null;
  @ApiProperty({ enum: DEVICE_KINDS }) kind: string;
  @ApiProperty({ enum: CRITICALITIES }) criticality: string;
  @ApiProperty() pollIntervalSec: number;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ nullable: true, type: String }) team: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) escalationPolicyId: string | null;
  @ApiProperty({ nullable: true, type: DeviceSnmpResponseDto }) snmp: DeviceSnmpResponseDto | null;
  @ApiProperty({ enum: ['unknown', 'up', 'degraded', 'down', 'unreachable'] }) status: string;
  @ApiProperty() statusSince: string;
  @ApiProperty({ nullable: true, type: String }) statusReason: string | null;
  @ApiProperty({ description: 'true while flap detection holds the device' }) flapping: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the poller assigned to the device (scale-out); null while unassigned',
  })
  pollerName: string | null;
  @ApiProperty({ description: 'true while no live poller of its group reports: the status is the last one known' })
  stale: boolean;
  @ApiProperty({ description: 'true while a maintenance window covers the device (its status stays as measured)' })
  inMaintenance: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'when the covering maintenance ends (ISO)' })
  maintenanceUntil: string | null;
  @ApiProperty({ nullable: true, type: LastPollDto }) lastPoll: LastPollDto | null;
  @ApiPropertyOptional({ type: ThresholdValuesDto, description: "the device's own threshold overrides" })
  thresholds?: Record<string, number>;
  @ApiPropertyOptional() sysName?: string;
  @ApiPropertyOptional() sysDescr?: string;
  @ApiPropertyOptional() uptimeSec?: number;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ListDevicesQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional({ enum: ['unknown', 'up', 'degraded', 'down', 'unreachable'] })
  @IsOptional()
  @IsIn(['unknown', 'up', 'degraded', 'down', 'unreachable'])
  status?: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(TAG)
  tag?: string;
}
