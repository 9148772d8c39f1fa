import { Body, Controller, Get, HttpCode, Optional, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, MinRole, Principal } from '@netdesk/auth';
import {
  AssigneesDto,
  AssignDto,
  CommentDto,
  CreateTicketDto,
  ListTicketsQueryDto,
  ResolveDto,
  TicketResponseDto,
  TicketWithEventsDto,
} from './ticket.dto';
import { toEventResponse, toTicketResponse } from './ticket.mapper';
import { TicketEntity } from './ticket.entity';
import { TicketsService } from './tickets.service';
import { PeopleDirectory } from './people.directory';
import { ArticleSuggestionSource } from './article-suggestions';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly people: PeopleDirectory,
    @Optional() private readonly articles?: ArticleSuggestionSource,
  ) {}

  @Get()
  @ApiOkResponse({
    type: [TicketResponseDto],
    description: 'Newest first; the `X-Total-Count` header says how many match without `limit`/`offset`',
  })
  async list(
    @Query() query: ListTicketsQueryDto,
    @CurrentUser() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketResponseDto[]> {
    const { tickets, total } = await this.tickets.list(query, caller);
    res.setHeader('X-Total-Count', String(total));
    return this.present(tickets);
  }

  @Get('assignees')
  @MinRole('agent')
  @ApiOkResponse({ type: AssigneesDto, description: 'Who and which teams a ticket can be assigned to' })
  assignees(): Promise<AssigneesDto> {
    return this.tickets.assignees();
  }

  @Get(':id')
  @ApiOkResponse({ type: TicketWithEventsDto, description: 'The ticket and its timeline, oldest event first' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TicketWithEventsDto> {
    const { ticket, events } = await this.tickets.get(id);
    const [shown] = await this.present([ticket]);
    const suggestedArticles = this.articles ? await this.articles.suggest(ticket, 5) : [];
    return { ...shown, events: events.map(toEventResponse), suggestedArticles };
  }

  @Post()
  @MinRole('agent')
  @ApiCreatedResponse({ type: TicketResponseDto })
  async create(@Body() dto: CreateTicketDto, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return this.one(await this.tickets.createManual(dto, actor));
  }

  @Post(':id/acknowledge')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  @ApiConflictResponse({ description: 'Not allowed in the ticket’s current status' })
  async acknowledge(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() actor: Principal,
  ): Promise<TicketResponseDto> {
    return this.one(await this.tickets.acknowledge(id, actor));
  }

  @Post(':id/start')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto, description: 'Now `in_progress`; from `open` this also acknowledges it' })
  @ApiConflictResponse({ description: 'Not allowed in the ticket’s current status' })
  async start(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return this.one(await this.tickets.start(id, actor));
  }

  @Post(':id/comments')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  async comment(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CommentDto,
    @CurrentUser() actor: Principal,
  ): Promise<TicketResponseDto> {
    return this.one(await this.tickets.comment(id, dto.body, actor));
  }

  @Post(':id/assign')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  async assign(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignDto,
    @CurrentUser() actor: Principal,
  ): Promise<TicketResponseDto> {
    return this.one(await this.tickets.assign(id, dto, actor));
  }

  @Post(':id/resolve')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  @ApiConflictResponse({ description: 'Not allowed in the current status, or the fault is still present' })
  async resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ResolveDto,
    @CurrentUser() actor: Principal,
  ): Promise<TicketResponseDto> {
    return this.one(await this.tickets.resolve(id, dto.resolution, actor));
  }

  @Post(':id/close')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  async close(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return this.one(await this.tickets.close(id, actor));
  }

  @Post(':id/reopen')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  async reopen(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return this.one(await this.tickets.reopen(id, actor));
  }

  private async present(tickets: TicketEntity[]): Promise<TicketResponseDto[]> {
    const people = await this.people.ensure(tickets.flatMap((t) => [t.assigneeId, t.acknowledgedBy]));
    return tickets.map((t) => toTicketResponse(t, people));
  }

  private async one(ticket: TicketEntity): Promise<TicketResponseDto> {
    return (await this.present([ticket]))[0];
  }
}
