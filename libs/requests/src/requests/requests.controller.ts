import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, MinRole, Principal } from '@netdesk/auth';
import { PeopleDirectory, Ticket, TicketResponseDto, toTicketResponse } from '@netdesk/ticketing';
import { LinkDto, MailMessageDto, ReplyDto } from './request.dto';
import { RequestsService } from './requests.service';

/** Email on a ticket: the conversation, an agent's reply, linking a request to its incident. */
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class RequestsController {
  constructor(
    private readonly requests: RequestsService,
    private readonly people: PeopleDirectory,
  ) {}

  @Get(':id/messages')
  @ApiOkResponse({ type: [MailMessageDto], description: "The ticket's email conversation, in and out, oldest first" })
  async messages(@Param('id', ParseUUIDPipe) id: string): Promise<MailMessageDto[]> {
    const { messages, attachments } = await this.requests.conversation(id);
    return messages.map((m) => ({
      id: m.id,
      direction: m.direction,
      kind: m.kind,
      from: m.fromAddress,
      ...(m.fromName && { fromName: m.fromName }),
      to: m.toAddresses,
      subject: m.subject,
      text: m.text,
      html: m.html,
      at: m.at.toISOString(),
      status: m.status,
      ...(m.lastError && { error: m.lastError }),
      attachments: attachments
        .filter((a) => a.mailMessageId === m.id)
        .map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, kept: a.kept })),
    }));
  }

  @Post(':id/replies')
  @MinRole('agent')
  @ApiCreatedResponse({
    type: TicketResponseDto,
    description: 'The ticket; the reply is queued to its requesters, threaded (`email_sent` once sent)',
  })
  @ApiServiceUnavailableResponse({ description: 'Email is off (NETDESK_SMTP_URL unset)' })
  async reply(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReplyDto,
    @CurrentUser() actor: Principal,
  ): Promise<TicketResponseDto> {
    return this.present(await this.requests.reply(id, dto.body, actor));
  }

  @Post(':id/link')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto, description: 'The request, now linked (`linked` on both tickets)' })
  async link(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LinkDto,
    @CurrentUser() actor: Principal,
  ): Promise<TicketResponseDto> {
    return this.present(await this.requests.link(id, dto.parentTicketId, actor));
  }

  @Post(':id/unlink')
  @MinRole('agent')
  @HttpCode(200)
  @ApiOkResponse({ type: TicketResponseDto, description: 'The request, no longer linked (`unlinked` on both tickets)' })
  @ApiConflictResponse({ description: 'The ticket is not linked' })
  async unlink(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() actor: Principal): Promise<TicketResponseDto> {
    return this.present(await this.requests.unlink(id, actor));
  }

  private async present(ticket: Ticket): Promise<TicketResponseDto> {
    const people = await this.people.ensure([ticket.assigneeId, ticket.acknowledgedBy]);
    return toTicketResponse(ticket, people);
  }
}
