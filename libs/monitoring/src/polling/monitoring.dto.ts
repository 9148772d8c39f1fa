import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class InterfaceResponseDto {
  @ApiProperty() ifIndex: number;
  @ApiProperty() name: string;
  @ApiPropertyOptional() alias?: string;
  @ApiProperty({ example: 'up', description: 'IF-MIB ifAdminStatus name' }) adminStatus: string;
  @ApiProperty({ example: 'up', description: 'IF-MIB ifOperStatus name' }) operStatus: string;
  @ApiProperty() operSince: string;
  @ApiProperty({ nullable: true, type: Number }) speedBps: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'bits/s over the last poll interval (64-bit counters where the agent has them)',
  })
  inBps: number | null;
  @ApiProperty({ nullable: true, type: Number }) outBps: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'errors per second over the last poll interval' })
  inErrors: number | null;
  @ApiProperty({ nullable: true, type: Number }) outErrors: number | null;
  @ApiProperty({ nullable: true, type: Number }) inDiscards: number | null;
  @ApiProperty({ nullable: true, type: Number }) outDiscards: number | null;
  @ApiProperty({ description: 'watched: faults on it degrade the device (default: admin-up with an alias)' })
  monitored: boolean;
  @ApiProperty({ nullable: true, type: Boolean, description: "the operator's choice; null follows the default rule" })
  monitoredOverride: boolean | null;
  @ApiProperty() flapping: boolean;
  @ApiProperty({ nullable: true, type: Number, description: "the circuit's contracted rate (bit/s)" })
  capacityBps: number | null;
  @ApiProperty({ nullable: true, type: String }) provider: string | null;
  @ApiProperty({ nullable: true, type: String }) circuitId: string | null;
  @ApiProperty({ nullable: true, type: Number, description: "this interface's own utilisation threshold (%)" })
  utilisationPct: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'in rate as % of capacityBps, else of speedBps' })
  inUtilisationPct: number | null;
  @ApiProperty({ nullable: true, type: Number }) outUtilisationPct: number | null;
  @ApiProperty() updatedAt: string;
}

export class UpdateInterfaceDto {
  @ApiPropertyOptional({
    nullable: true,
    type: Boolean,
    description: 'true: always watch; false: never; null: default rule',
  })
  @IsOptional()
  @IsBoolean()
  monitored?: boolean | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: "the circuit's contracted rate (bit/s): utilisation is measured against it instead of ifSpeed",
  })
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(1e13)
  capacityBps?: number | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  provider?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  circuitId?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: 100,
    description: "this interface's own utilisation threshold (%)",
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1)
  @Max(100)
  utilisationPct?: number | null;
}

export class HistoryQueryDto {
  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class HistoryEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['device_status', 'interface_status', 'device_rebooted', 'flapping', 'threshold'] })
  kind: string;
  @ApiPropertyOptional() ifIndex?: number;
  @ApiProperty({ nullable: true, type: String }) from: string | null;
  @ApiProperty({ nullable: true, type: String }) to: string | null;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() at: string;
}

export class PingResponseDto {
  @ApiProperty() host: string;
  @ApiProperty() sent: number;
  @ApiProperty() received: number;
  @ApiProperty() lossPct: number;
  @ApiProperty({ type: [Number] }) rttsMs: number[];
  @ApiProperty({ nullable: true, type: Number }) rttMs: number | null;
  @ApiProperty({ nullable: true, type: Number }) minMs: number | null;
  @ApiProperty({ nullable: true, type: Number }) maxMs: number | null;
  @ApiProperty({ nullable: true, type: Number }) jitterMs: number | null;
  @ApiPropertyOptional() error?: string;
}
