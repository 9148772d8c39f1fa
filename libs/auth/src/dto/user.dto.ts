import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsOptionalNonNull } from '@netdesk/core';
import { ROLES, Role } from '../role';

export class CreateUserDto {
  @ApiProperty({ example: 'agent@example.com' })
  @IsEmail({ require_tld: false })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ maxLength: 64, example: 'noc' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.-]{1,64}$/, { message: 'team must be 1-64 letters, digits, dots, dashes or underscores' })
  team?: string;
}

export class UpdateUserDto extends PartialType(CreateUserDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({
    description:
      'true: the user can no longer sign in or use the API, and their tokens and live sessions end at once; false: enabled again',
  })
  @IsOptionalNonNull()
  @IsBoolean()
  disabled?: boolean;
}
