import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Min } from 'class-validator';
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
  @IsOptional()
  @IsUUID()
  siteId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[\w.:/-]{1,64}$/, { message: 'tag must be 1-64 letters, digits or . : / - _' })
  tag?: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  kind?: (typeof DEVICE_KINDS)[number];

  @ApiProperty()
  @Matches(TEAM, { message: 'team must be 1-64 letters, digits, dots, dashes or underscores' })
  team: string;
}

/** Any subset; `position` moves the rule (0 = first), `null` clears a match field. */
export class UpdateRoutingRuleDto extends PartialType(CreateRoutingRuleDto, { skipNullProperties: false }) {}

export class RoutingRuleResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() position: number;
  @ApiProperty({ nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) tag: string | null;
  @ApiProperty({ nullable: true, type: String }) kind: string | null;
  @ApiProperty() team: string;
}
