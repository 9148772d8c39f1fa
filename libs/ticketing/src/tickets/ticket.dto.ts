import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { FAULT_TYPES, PRIORITIES, TICKET_SOURCES, TICKET_STATUSES } from '../ticketing.types';
import { IsOptionalNonNull, PageLimit, PageOffset } from '@netdesk/core';
import { AGENT_ACTIONS, AgentAction } from '../domain';

export class CreateTicketDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNonNull()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'P3' })
  @IsOptionalNonNull()
  @IsIn(PRIORITIES)
  priority?: (typeof PRIORITIES)[number];
}

export class CommentDto {
  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  body: string;
}

export class AssignDto {
  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  assigneeId?: string | null;

  @ApiPropertyOptional({ maxLength: 64, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(/^[\w.-]{1,64}$/, { message: 'team must be 1-64 letters, digits, dots, dashes or underscores' })
  team?: string | null;
}

export class ResolveDto {
  @ApiProperty({ maxLength: 10000, description: 'What was done; shown to whoever meets this fault next' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  resolution: string;
}

export class ListTicketsQueryDto {
  @ApiPropertyOptional({
    enum: ['mine', 'team', 'all'],
    description: "an agent's queue: assigned to me, my team's, or all",
  })
  @IsOptional()
  @IsIn(['mine', 'team', 'all'])
  queue?: 'mine' | 'team' | 'all';

  @ApiPropertyOptional({
    enum: TICKET_STATUSES,
    isArray: true,
    description: 'one or more statuses: repeat the parameter or separate them with commas',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()),
  )
  @IsIn(TICKET_STATUSES, { each: true, message: `status must each be one of ${TICKET_STATUSES.join(', ')}` })
  status?: (typeof TICKET_STATUSES)[number][];

  @ApiPropertyOptional({
    maxLength: 200,
    description: 'text in the number, title, device name, description or comments',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'opened at or after (ISO-8601)' })
  @IsOptional()
  @IsDateString({}, { message: 'from must be an ISO-8601 date' })
  from?: string;

  @ApiPropertyOptional({ description: 'opened before (ISO-8601)' })
  @IsOptional()
  @IsDateString({}, { message: 'to must be an ISO-8601 date' })
  to?: string;

  @PageLimit(1000, 1000)
  limit?: number;

  @PageOffset()
  offset?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: (typeof PRIORITIES)[number];

  @ApiPropertyOptional({ enum: FAULT_TYPES })
  @IsOptional()
  @IsIn(FAULT_TYPES)
  faultType?: (typeof FAULT_TYPES)[number];

  @ApiPropertyOptional({ description: "a team's queue" })
  @IsOptional()
  @Matches(/^[\w.-]{1,64}$/)
  team?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the requests linked to this incident' })
  @IsOptional()
  @IsUUID()
  parentTicketId?: string;
}

export class TicketEventDto {
  @ApiProperty() at: string;
  @ApiProperty() type: string;
  @ApiProperty({ description: 'a user id/email, or `system`' }) actor: string;
  @ApiProperty() message: string;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null when the user no longer exists' }) email:
    string | null;
}

export class RequesterDto {
  @ApiProperty() email: string;
  @ApiPropertyOptional() name?: string;
}

export class SuggestedArticleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
}

export class TicketResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: number;
  @ApiProperty() title: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: string;
  @ApiProperty({ enum: PRIORITIES }) priority: string;
  @ApiProperty({ enum: TICKET_SOURCES }) source: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiPropertyOptional() ifIndex?: number;
  @ApiProperty({ enum: FAULT_TYPES }) faultType: string;
  @ApiProperty() escalationLevel: number;
  @ApiPropertyOptional() assigneeId?: string;
  @ApiProperty({ nullable: true, type: PersonDto }) assignee: PersonDto | null;
  @ApiProperty({ nullable: true, type: PersonDto, description: 'who acknowledged it (null: nobody, or the system)' })
  acknowledgedBy: PersonDto | null;
  @ApiPropertyOptional() team?: string;
  @ApiProperty() recurring: boolean;
  @ApiProperty() flapping: boolean;
  @ApiProperty() occurrences: number;
  @ApiProperty() faultActive: boolean;
  @ApiProperty() openedAt: string;
  @ApiPropertyOptional() acknowledgedAt?: string;
  @ApiPropertyOptional() resolvedAt?: string;
  @ApiPropertyOptional() closedAt?: string;
  @ApiPropertyOptional() resolution?: string;
  @ApiPropertyOptional() slaAcknowledgeDueAt?: string;
  @ApiPropertyOptional() slaResolveDueAt?: string;
  @ApiProperty({ type: [String] }) slaBreaches: string[];
  @ApiProperty({ type: [RequesterDto], description: 'who asked (email tickets); empty otherwise' })
  requesters: RequesterDto[];
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the incident this request is linked to' })
  parentTicketId: string | null;
  @ApiProperty({ enum: AGENT_ACTIONS, isArray: true, description: 'what an agent may do to it now' })
  allowedActions: AgentAction[];
}

export class AssigneesDto {
  @ApiProperty({ type: [PersonDto], description: 'agents, managers and admins, by name' })
  people: (PersonDto & { team: string | null })[];
  @ApiProperty({ type: [String], description: 'teams named by users, devices and escalation policies' })
  teams: string[];
}

export class TicketWithEventsDto extends TicketResponseDto {
  @ApiProperty({ type: [TicketEventDto] }) events: TicketEventDto[];
  @ApiProperty({
    type: [SuggestedArticleDto],
    description: 'knowledge-base articles that match this ticket, best first',
  })
  suggestedArticles: SuggestedArticleDto[];
}
