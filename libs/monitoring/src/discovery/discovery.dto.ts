import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { DEVICE_KINDS, SnmpCredentialsDto } from '@netdesk/inventory';
import { CidrError, parseCidr } from './cidr';
import { IsOptionalNonNull } from '@netdesk/core';

/** An IPv4 network in CIDR notation; the /16 size limit is a rule of the service, not of the format. */
export function IsIpv4Cidr(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIpv4Cidr',
      validator: {
        validate: (v: unknown) => {
          if (typeof v !== 'string') return false;
          try {
            parseCidr(v);
            return true;
          } catch (e) {
            if (e instanceof CidrError) return false;
            throw e;
          }
        },
        defaultMessage: () => 'cidr must be an IPv4 network in CIDR notation, e.g. 192.0.2.0/24',
      },
    },
    options,
  );
}

/**
 * SNMP credentials tried on every host that answers the ping sweep; the same fields as a device's
 * `snmp` (without `port`, which is a field of the discovery request). Never stored, never logged.
 */
export class DiscoverySnmpDto extends OmitType(SnmpCredentialsDto, ['port'] as const) {}

export class StartDiscoveryDto {
  @ApiPropertyOptional({
    example: '192.0.2.0/24',
    description: 'IPv4 range to sweep, at most a /16. Without it: the local IPv4 subnets of this server.',
  })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(18)
  @IsIpv4Cidr()
  cidr?: string;

  @ApiPropertyOptional({
    type: DiscoverySnmpDto,
    description: 'Credentials to read sysName/sysDescr/sysObjectID; without them only the ping sweep runs',
  })
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => DiscoverySnmpDto)
  snmp?: DiscoverySnmpDto;

  @ApiPropertyOptional({ default: 161, description: 'SNMP UDP port' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;
}

export class DiscoveredDeviceDto {
  @ApiProperty({ example: '192.0.2.10' }) host: string;
  @ApiProperty({ description: 'Round-trip time of the sweep echo' }) rttMs: number;
  @ApiPropertyOptional() sysName?: string;
  @ApiPropertyOptional() sysDescr?: string;
  @ApiPropertyOptional({ example: '1.3.6.1.4.1.9.1.1208' }) sysObjectId?: string;
  @ApiPropertyOptional({ description: 'Vendor recognised from sysObjectID' }) vendor?: string;
  @ApiProperty({ enum: DEVICE_KINDS, description: 'Guessed from sysObjectID and sysDescr' }) kind: string;
  @ApiProperty({ description: 'A name for POST /api/devices: sysName, or kind and address' }) suggestedName: string;
  @ApiProperty() alreadyInInventory: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) existingDeviceId?: string;
  @ApiPropertyOptional({ description: 'Why SNMP gave nothing, when credentials were given' }) snmpError?: string;
}

export class DiscoveryResultDto {
  @ApiProperty({ type: [String], example: ['192.0.2.0/24'] }) cidrs: string[];
  @ApiProperty({ description: 'Addresses pinged' }) scanned: number;
  @ApiProperty({ description: 'Addresses that answered the ping' }) answered: number;
  @ApiProperty({ description: 'Hosts that answered SNMP' }) snmpAnswered: number;
  @ApiProperty() durationMs: number;
  @ApiProperty({ description: 'False when the time limit cut the SNMP phase short' }) complete: boolean;
  @ApiProperty({ type: [String], description: 'Local interfaces left out of a default sweep, and other remarks' })
  notes: string[];
  @ApiProperty({ type: [DiscoveredDeviceDto] }) devices: DiscoveredDeviceDto[];
}

export class DiscoveryDefaultsDto {
  @ApiProperty({ type: [String], example: ['192.0.2.0/24'], description: "This server's local IPv4 subnets" })
  cidrs: string[];
  @ApiProperty({ description: 'Addresses in those subnets' }) addresses: number;
  @ApiProperty({ description: 'The most addresses one discovery sweeps' }) maxAddresses: number;
  @ApiProperty({ type: [String], description: 'Interfaces left out, with why' }) skipped: string[];
}
