import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsUUID, Matches, Min } from 'class-validator';
import { DEVICE_KINDS } from '@netdesk/inventory';
import { IsOptionalNonNull } from '@netdesk/core';

const TEAM = /^[\w.-]{1,64}$/;

export class CreateRoutingRuleDto {
  @ApiPropertyOptional({ description: 'where in the list (0 = first); default: last' })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  position?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNonNull()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional()
  @IsOptionalNonNull()
  @Matches(/^[\w.:/-]{1,64}$/)
  tag?: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS })
  @IsOptionalNonNull()
  @IsIn(DEVICE_KINDS)
  kind?: (typeof DEVICE_KINDS)[number];

  @ApiProperty()
  @Matches(TEAM, { message: 'team must be 1-64 letters, digits, dots, dashes or underscores' })
  team: string;
}

export class RoutingRuleResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() position: number;
  @ApiProperty({ nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) tag: string | null;
  @ApiProperty({ nullable: true, type: String }) kind: string | null;
  @ApiProperty() team: string;
}
