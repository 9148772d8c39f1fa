export { RequestsModule } from './requests.module';
export { MailboxReader, parseImapUrl, DONE_KEYWORD } from './mail/mailbox-reader.service';
export { MailSender } from './mail/mail-sender.service';
export { RequestFollowUp } from './requests/request-followup.service';
