import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNonNull } from '@netdesk/core';

export class EscalationStepDto {
  @ApiProperty({ description: 'seconds after the ticket opened' })
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  delaySeconds: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['email:noc@example.com', 'slack:https://hooks.slack.com/…', 'team:network'],
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(1000, { each: true })
  notify?: string[];

  @ApiPropertyOptional({ description: 'hand the ticket to this team at this step' })
  @IsOptionalNonNull()
  @Matches(/^[\w.-]{1,64}$/, { message: 'team must be 1-64 letters, digits, dots, dashes or underscores' })
  team?: string;
}

export class CreateEscalationPolicyDto {
  @ApiProperty({ maxLength: 128 })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(128)
  name: string;

  @ApiProperty({ type: [EscalationStepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EscalationStepDto)
  steps: EscalationStepDto[];

  @ApiPropertyOptional({ default: false })
  @IsOptionalNonNull()
  @IsBoolean()
  repeat?: boolean;

  @ApiPropertyOptional({ default: 3, maximum: 10 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  @Max(10)
  maxRepeats?: number;

  @ApiPropertyOptional({ default: false, description: 'the policy for devices that name none' })
  @IsOptionalNonNull()
  @IsBoolean()
  isDefault?: boolean;
}

/** Any subset of the fields; `steps` replaces the whole list. */
export class UpdateEscalationPolicyDto extends PartialType(CreateEscalationPolicyDto, { skipNullProperties: false }) {}

export class EscalationPolicyResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [EscalationStepDto] }) steps: EscalationStepDto[];
  @ApiProperty() repeat: boolean;
  @ApiProperty() maxRepeats: number;
  @ApiProperty() isDefault: boolean;
}
