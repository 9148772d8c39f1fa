import { Injectable, Logger } from '@nestjs/common';
import { UsersService } from '@netdesk/auth';
import { NotificationMessage, NotificationService } from '@netdesk/notifications';

/**
 * Emails managers (users with role manager or admin) about problems and the weekly digest, through
 * the notifications lib (`email:<address>` targets). Outcomes are logged; a failure never holds up
 * the recorder or the scheduler.
 */
@Injectable()
export class ManagerNotifier {
  private readonly logger = new Logger('reports-notifier');

  constructor(
    private readonly notifications: NotificationService,
    private readonly users: UsersService,
  ) {}

  async managerTargets(): Promise<string[]> {
    const users = await this.users.list();
    return users.filter((u) => u.role === 'manager' || u.role === 'admin').map((u) => `email:${u.email}`);
  }

  async send(message: NotificationMessage): Promise<void> {
    try {
      const targets = await this.managerTargets();
      this.notifications.notify(message, targets, (result) => {
        if (result.ok) this.logger.log({ subject: message.ticketId, target: result.target }, 'managers notified');
        else
          this.logger.warn(
            { subject: message.ticketId, target: result.target, error: result.error },
            'could not notify a manager',
          );
      });
    } catch (err) {
      this.logger.warn({ err, subject: message.ticketId }, 'manager notification failed');
    }
  }
}
