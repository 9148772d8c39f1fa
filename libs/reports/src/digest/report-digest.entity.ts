import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per weekly digest sent: the first instance to insert the period sends it, the others skip. */
@Entity('report_digests')
export class ReportDigestEntity {
  @PrimaryColumn({ name: 'period_end', type: 'timestamptz' })
  periodEnd: Date;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt: Date;
}
