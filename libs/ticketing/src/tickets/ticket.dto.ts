import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { FAULT_TYPES, PRIORITIES, TICKET_STATUSES } from '../ticketing.types';
import { IsOptionalNonNull } from '@netdesk/core';

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

  @ApiPropertyOptional({ enum: TICKET_STATUSES })
  @IsOptional()
  @IsIn(TICKET_STATUSES)
  status?: (typeof TICKET_STATUSES)[number];

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
}

export class TicketEventDto {
  @ApiProperty() at: string;
  @ApiProperty() type: string;
  @ApiProperty({ description: 'a user id/email, or `system`' }) actor: string;
  @ApiProperty() message: string;
}

export class TicketResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: number;
  @ApiProperty() title: string;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status: string;
  @ApiProperty({ enum: PRIORITIES }) priority: string;
  @ApiProperty({ enum: ['auto', 'manual'] }) source: string;
  @ApiProperty({ nullable: true, type: String }) deviceId: string | null;
  @ApiPropertyOptional() ifIndex?: number;
  @ApiProperty({ enum: FAULT_TYPES }) faultType: string;
  @ApiProperty() escalationLevel: number;
  @ApiPropertyOptional() assigneeId?: string;
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
}

export class TicketWithEventsDto extends TicketResponseDto {
  @ApiProperty({ type: [TicketEventDto] }) events: TicketEventDto[];
}
