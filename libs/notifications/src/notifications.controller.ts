import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, MinRole, type Principal } from '@netdesk/auth';
import { DomainError } from '@netdesk/core';
import { NotificationChannelsDto, NotificationTestResultDto, SendTestNotificationDto } from './notification-test.dto';
import { NotificationService } from './notification.service';
import { InvalidNotifyTargetError } from './notify-target';

/** The notification channels as configured, and a test message through each (admin). */
@ApiTags('notifications')
@ApiBearerAuth()
@MinRole('admin')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationService) {}

  @Get('channels')
  @ApiOkResponse({ type: NotificationChannelsDto })
  channels(): NotificationChannelsDto {
    return this.notifications.channels();
  }

  @Post('test')
  @HttpCode(200)
  @ApiOkResponse({
    type: NotificationTestResultDto,
    description: 'The delivery result: `ok` false with the transport error when it failed (still 200)',
  })
  async test(
    @Body() dto: SendTestNotificationDto,
    @CurrentUser() actor: Principal,
  ): Promise<NotificationTestResultDto> {
    try {
      return await this.notifications.sendTest(dto.target, actor.email);
    } catch (e) {
      if (e instanceof InvalidNotifyTargetError) throw new DomainError('invalid', [`target: ${e.message}`]);
      throw e;
    }
  }
}
