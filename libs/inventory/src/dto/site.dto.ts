import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateSiteDto {
  @ApiProperty({ maxLength: 128, example: 'HQ' })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(128)
  name: string;

  @ApiPropertyOptional({ maxLength: 256, example: 'Building A, floor 2' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  location?: string;

  @ApiPropertyOptional({ maxLength: 64, example: 'branch-lyon', default: 'default' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w-]{1,64}$/, { message: 'pollerGroup must be 1-64 letters, digits, dashes or underscores' })
  pollerGroup?: string;
}

export class UpdateSiteDto extends PartialType(CreateSiteDto, { skipNullProperties: false }) {}

export class SiteResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) location: string | null;
  @ApiProperty({ example: 'default' }) pollerGroup: string;
}
