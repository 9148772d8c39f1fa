import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '@netdesk/auth';
import { InventoryModule } from '@netdesk/inventory';
import { ContactEntity, SiteMailDomainEntity } from './contacts/contact.entity';
import { ContactRepository } from './contacts/contact.repository';
import { ContactsController } from './contacts/contacts.controller';
import { ContactsService } from './contacts/contacts.service';
import { MailAttachmentEntity } from './mail/mail-attachment.entity';
import { MailMessageEntity } from './mail/mail-message.entity';
import { MailboxReceiptEntity } from './mail/mailbox-receipt.entity';
import { MailboxReader } from './mail/mailbox-reader.service';
import { MailSender } from './mail/mail-sender.service';
import { MailRepository } from './mail/mail.repository';
import { RequestFollowUp } from './requests/request-followup.service';
import { RequestIntake } from './requests/request-intake.service';
import { RequestsController } from './requests/requests.controller';
import { RequestsService } from './requests/requests.service';

/**
 * People's requests: the help-desk mailbox read over IMAP into tickets (`source` `email`), replies
 * sent over SMTP in the same thread, contacts and site domains, linking to live incidents and the
 * follow-up when they resolve. Depends on ticketing (and reads inventory's devices and sites);
 * neither knows of it.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      MailMessageEntity,
      MailAttachmentEntity,
      MailboxReceiptEntity,
      ContactEntity,
      SiteMailDomainEntity,
    ]),
    AuthModule,
    InventoryModule,
  ],
  controllers: [RequestsController, ContactsController],
  providers: [
    MailRepository,
    ContactRepository,
    ContactsService,
    MailSender,
    RequestIntake,
    RequestFollowUp,
    RequestsService,
    MailboxReader,
  ],
  exports: [MailboxReader, MailSender, RequestFollowUp],
})
export class RequestsModule {}
