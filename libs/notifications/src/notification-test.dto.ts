import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { NOTIFY_TARGET_MAX_LENGTH } from './notify-target';

export class SendTestNotificationDto {
  @ApiProperty({
    description: 'a target as written in an escalation step: email:, webhook: or slack:',
    example: 'email:noc@example.com',
    maxLength: NOTIFY_TARGET_MAX_LENGTH,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(NOTIFY_TARGET_MAX_LENGTH)
  target: string;
}

export class NotificationTestResultDto {
  @ApiProperty({ example: 'email:noc@example.com', description: 'webhooks show their scheme and host only' })
  target: string;
  @ApiProperty({ enum: ['email', 'webhook', 'slack'] }) channel: string;
  @ApiProperty({ description: 'delivered: the SMTP server accepted it, or the webhook answered 2xx' }) ok: boolean;
  @ApiProperty({ description: '1 when sent, 0 when it could not be (not configured, rate limited)' }) attempts: number;
  @ApiProperty({ required: false, example: 'SMTP error: ESOCKET' }) error?: string;
  @ApiProperty() durationMs: number;
}

class EmailChannelDto {
  @ApiProperty({ description: 'NETDESK_SMTP_URL is set' }) configured: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'smtp://mail.example.com:587' }) server: string | null;
  @ApiProperty({ description: 'NETDESK_SMTP_FROM' }) from: string;
}

class WebhookChannelDto {
  @ApiProperty({ description: 'always available: webhook: and slack: targets are named in escalation steps' })
  configured: boolean;
}

export class NotificationChannelsDto {
  @ApiProperty({ type: EmailChannelDto }) email: EmailChannelDto;
  @ApiProperty({ type: WebhookChannelDto }) webhook: WebhookChannelDto;
}
