import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsOptionalNonNull } from '@netdesk/core';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateContactDto {
  @ApiProperty({ maxLength: 320 })
  @Transform(lower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiProperty({ format: 'uuid', description: 'the site this person works at' })
  @IsUUID()
  siteId: string;
}

export class ContactResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ format: 'uuid' }) siteId: string;
}

export class CreateSiteDomainDto {
  @ApiProperty({ maxLength: 253, example: 'berlin.example.com', description: 'everyone writing from this domain' })
  @Transform(lower)
  @IsString()
  @MaxLength(253)
  @Matches(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'domain must be a mail domain such as berlin.example.com',
  })
  domain: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  siteId: string;
}

export class SiteDomainResponseDto {
  @ApiProperty() domain: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
}
