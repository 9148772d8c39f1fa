import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsOptionalNonNull, PageLimit, PageOffset } from '@netdesk/core';
import { DEVICE_KINDS } from '@netdesk/inventory';
import { FAULT_TYPES } from '@netdesk/ticketing';

const TAG = /^[\w.-]{1,40}$/;

/*
 * The article's labels, validated alike on create and update. Decorators are given bottom first, the
 * order in which stacked ones apply, so messages come in the order they did when each DTO stacked them.
 */
const ArticleFaultTypes = () =>
  applyDecorators(
    IsIn(FAULT_TYPES, { each: true, message: `faultTypes must each be one of ${FAULT_TYPES.join(', ')}` }),
    ArrayMaxSize(30),
    IsOptionalNonNull(),
    ApiPropertyOptional({ enum: FAULT_TYPES, isArray: true }),
  );
const ArticleDeviceKinds = () =>
  applyDecorators(
    IsIn(DEVICE_KINDS, { each: true, message: `deviceKinds must each be one of ${DEVICE_KINDS.join(', ')}` }),
    ArrayMaxSize(10),
    IsOptionalNonNull(),
    ApiPropertyOptional({ enum: DEVICE_KINDS, isArray: true }),
  );
const ArticleTags = (api: ApiPropertyOptions) =>
  applyDecorators(
    Matches(TAG, { each: true, message: 'tags must each be 1-40 letters, digits, dots, dashes or underscores' }),
    ArrayMaxSize(30),
    IsOptionalNonNull(),
    ApiPropertyOptional(api),
  );

export class CreateArticleDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(200)
  title: string;

  @ApiProperty({ maxLength: 100000, description: 'markdown' })
  @IsString()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxLength(100000)
  body: string;

  @ArticleFaultTypes()
  faultTypes?: string[];

  @ArticleDeviceKinds()
  deviceKinds?: string[];

  @ArticleTags({ type: [String], description: '1-40 letters, digits, dots, dashes or underscores each' })
  tags?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'save as article: the resolved ticket this comes from' })
  @IsOptionalNonNull()
  @IsUUID()
  sourceTicketId?: string;
}

export class UpdateArticleDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalNonNull()
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ maxLength: 100000 })
  @IsOptionalNonNull()
  @IsString()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MaxLength(100000)
  body?: string;

  @ArticleFaultTypes()
  faultTypes?: string[];

  @ArticleDeviceKinds()
  deviceKinds?: string[];

  @ArticleTags({ type: [String] })
  tags?: string[];
}

export class ListArticlesQueryDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'web-search text: words, "a phrase", -excluded, or' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ enum: FAULT_TYPES })
  @IsOptional()
  @IsIn(FAULT_TYPES)
  faultType?: string;

  @ApiPropertyOptional({ enum: DEVICE_KINDS })
  @IsOptional()
  @IsIn(DEVICE_KINDS)
  deviceKind?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(TAG)
  tag?: string;

  @PageLimit(200, 20)
  limit?: number;

  @PageOffset()
  offset?: number;
}

export class ArticleSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String] }) faultTypes: string[];
  @ApiProperty({ type: [String] }) deviceKinds: string[];
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() revision: number;
  @ApiProperty() updatedAt: string;
  @ApiProperty() updatedBy: string;
  @ApiPropertyOptional({ description: 'with q: the matching passage, matches between « and »' }) snippet?: string;
}

export class ArticleRevisionDto {
  @ApiProperty() revision: number;
  @ApiProperty() title: string;
  @ApiProperty() author: string;
  @ApiProperty() at: string;
}

export class ArticleDto extends ArticleSummaryDto {
  @ApiProperty({ description: 'markdown' }) body: string;
  @ApiProperty({ description: 'the body rendered and sanitised' }) html: string;
  @ApiProperty({ nullable: true, type: String }) sourceTicketId: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: [ArticleRevisionDto], description: 'newest first' }) revisions: ArticleRevisionDto[];
}
