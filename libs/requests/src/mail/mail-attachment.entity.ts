import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MailMessageEntity } from './mail-message.entity';

/** A file that came with a mail. Files over the size limit are listed (`kept` false) without their content. */
@Entity('mail_attachments')
@Index('mail_attachments_message_idx', ['mailMessageId'])
export class MailAttachmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'mail_message_id', type: 'uuid' })
  mailMessageId: string;

  @ManyToOne(() => MailMessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mail_message_id', foreignKeyConstraintName: 'mail_attachments_mail_message_id_fkey' })
  message?: MailMessageEntity;

  @Column({ type: 'varchar', length: 255 })
  filename: string;

  @Column({ name: 'content_type', type: 'varchar', length: 255 })
  contentType: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'boolean' })
  kept: boolean;

  @Column({ type: 'bytea', nullable: true, select: false })
  content: Buffer | null;
}
