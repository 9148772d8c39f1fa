import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { SiteEntity } from '@netdesk/inventory/entities';

/** A person who works at a site: their mail about "the internet" is about that site's network. */
@Entity('contacts')
@Unique('contacts_email_key', ['email'])
@Index('contacts_site_idx', ['siteId'])
export class ContactEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Lower-cased. */
  @Column({ type: 'varchar', length: 320 })
  email: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'contacts_site_id_fkey' })
  site?: SiteEntity;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A site's mail domain: everyone writing from `@berlin.example.com` is taken as a contact of that site. */
@Entity('site_mail_domains')
export class SiteMailDomainEntity {
  /** Lower-cased, without `@`. */
  @PrimaryColumn({ type: 'varchar', length: 253 })
  domain: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'site_mail_domains_site_id_fkey' })
  site?: SiteEntity;
}
