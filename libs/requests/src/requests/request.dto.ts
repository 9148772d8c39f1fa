import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class ReplyDto {
  @ApiProperty({ maxLength: 20000, description: "the mail's text, sent to every requester of the ticket" })
  @IsString()
  @Matches(/\S/, { message: 'body must not be blank' })
  @MinLength(1)
  @MaxLength(20000)
  body: string;
}

export class LinkDto {
  @ApiProperty({ format: 'uuid', description: 'the incident to link this request to' })
  @IsUUID()
  parentTicketId: string;
}

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'false: over the size limit, listed without its content' }) kept: boolean;
}

export class MailMessageDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['in', 'out'] }) direction: string;
  @ApiProperty({
    enum: ['request', 'reply', 'auto_reply', 'bounce', 'agent_reply', 'auto_answer', 'resolution_notice'],
  })
  kind: string;
  @ApiProperty() from: string;
  @ApiPropertyOptional() fromName?: string;
  @ApiProperty({ type: [String] }) to: string[];
  @ApiProperty() subject: string;
  @ApiProperty() text: string;
  @ApiProperty({ nullable: true, type: String, description: 'sanitised HTML, or null' }) html: string | null;
  @ApiProperty() at: string;
  @ApiProperty({ enum: ['received', 'pending', 'sent', 'failed'] }) status: string;
  @ApiPropertyOptional() error?: string;
  @ApiProperty({ type: [AttachmentDto] }) attachments: AttachmentDto[];
}
