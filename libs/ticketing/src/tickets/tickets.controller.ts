import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, MinRole, Principal } from '@netdesk/auth';
import {
  AssignDto,
  CommentDto,
  CreateTicketDto,
  ListTicketsQueryDto,
  ResolveDto,
  TicketResponseDto,
  TicketWithEventsDto,
} from './ticket.dto';
import { toEventResponse, toTicketResponse } from './ticket.mapper';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Get()
  @ApiOkResponse({ type: [TicketResponseDto], description: 'Newest first' })
  async list(@Query() query: ListTicketsQueryDto, @CurrentUser() caller: Principal): Promise<TicketResponseDto[]> {
    return (await this.tickets.list(query, caller)).map(toTicketResponse);
  }

  @Get(':id')
  @ApiOkResponse({ type: TicketWithEventsDto, description: 'The ticket and its timeline, oldest event first' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TicketWithEventsDto> {
    const { ticket, events } = await this.tickets.get(id);
    return { ...toTicketResponse(ticket), events: events.map(toEventResponse) };
  }

  @Post()
  @MinRole('agent')
  @ApiCreatedResponse({ type: TicketResponseDto })
  async create(@Body() dto: CreateTicketDto, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return toTicketResponse(await this.tickets.createManual(dto, actor));
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
    return toTicketResponse(await this.tickets.acknowledge(id, actor));
  }

  @Post(':id/start')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto, description: 'Now `in_progress`; from `open` this also acknowledges it' })
  @ApiConflictResponse({ description: 'Not allowed in the ticket’s current status' })
  async start(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return toTicketResponse(await this.tickets.start(id, actor));
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
    return toTicketResponse(await this.tickets.comment(id, dto.body, actor));
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
    return toTicketResponse(await this.tickets.assign(id, dto, actor));
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
    return toTicketResponse(await this.tickets.resolve(id, dto.resolution, actor));
  }

  @Post(':id/close')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  async close(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return toTicketResponse(await this.tickets.close(id, actor));
  }

  @Post(':id/reopen')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto })
  async reopen(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return toTicketResponse(await this.tickets.reopen(id, actor));
  }
}
