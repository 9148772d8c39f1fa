import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PROBLEM_STATUSES, ProblemStatus } from '../domain';
import { EpisodeResponseDto } from '../reports/report.dto';
import { IsOptionalNonNull } from '@netdesk/core';

export class ListProblemsQueryDto {
  @ApiPropertyOptional({ enum: PROBLEM_STATUSES })
  @IsOptional()
  @IsIn(PROBLEM_STATUSES)
  status?: ProblemStatus;

  @ApiPropertyOptional({ description: 'only problems with an episode in [from, to) (ISO-8601; give both or neither)' })
  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO-8601 date' })
  from?: string;

  @ApiPropertyOptional({ description: 'see from' })
  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO-8601 date' })
  to?: string;
}

export class UpdateProblemDto {
  @ApiProperty({ enum: PROBLEM_STATUSES })
  @IsIn(PROBLEM_STATUSES)
  status: ProblemStatus;

  @ApiPropertyOptional({ description: 'Required (now or already stored) for known_error', maxLength: 4000 })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(4000)
  workaround?: string;
}

export class ProblemResponseDto {
  @ApiProperty() id: string;
  @ApiProperty() number: number;
  @ApiProperty({ enum: ['device', 'site', 'kind'] }) scope: string;
  @ApiProperty() title: string;
  @ApiProperty() faultType: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiPropertyOptional() ifIndex?: number;
  @ApiProperty({ nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ nullable: true, type: String }) deviceKind: string | null;
  @ApiProperty({ enum: PROBLEM_STATUSES }) status: ProblemStatus;
  @ApiProperty({ nullable: true, type: String }) workaround: string | null;
  @ApiProperty() openedAt: string;
  @ApiProperty({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiProperty({ description: 'Episodes grouped' }) occurrences: number;
  @ApiProperty({ description: 'Distinct devices among them' }) devices: number;
  @ApiProperty({ nullable: true, type: String }) firstAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastAt: string | null;
  @ApiProperty({ type: [String] }) ticketIds: string[];
}

export class ProblemWithEpisodesDto extends ProblemResponseDto {
  @ApiProperty({ type: [EpisodeResponseDto], description: 'Oldest first' })
  episodes: EpisodeResponseDto[];
}
