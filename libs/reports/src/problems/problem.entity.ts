import { Column, Entity, Generated, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { EpisodeFaultType, ProblemScope, ProblemStatus } from '../domain';

/**
 * A problem: the cause behind recurring episodes of one fault on one device (scope `device`), or of one
 * fault type across devices of a site or a kind (`site`, `kind`). At most one problem per key is not
 * resolved (partial unique index), so concurrent recorders cannot open it twice.
 */
@Entity('problems')
@Unique('problems_number_key', ['number'])
@Index('problems_active_key', ['problemKey'], { unique: true, where: `status <> 'resolved'` })
@Index('problems_opened_idx', ['openedAt'])
export class ProblemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'int' })
  @Generated('increment')
  number: number;

  @Column({ type: 'varchar', length: 10 })
  scope: ProblemScope;

  /** `device:<faultKey>`, `site:<siteId>:<faultType>` or `kind:<kind>:<faultType>`. */
  @Column({ name: 'problem_key', type: 'varchar', length: 150 })
  problemKey: string;

  @Column({ name: 'fault_type', type: 'varchar', length: 20 })
  faultType: EpisodeFaultType;

  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId: string | null;

  @Column({ name: 'if_index', type: 'int', nullable: true })
  ifIndex: number | null;

  @Column({ name: 'site_id', type: 'uuid', nullable: true })
  siteId: string | null;

  @Column({ name: 'device_kind', type: 'varchar', length: 32, nullable: true })
  deviceKind: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: ProblemStatus;

  @Column({ type: 'text', nullable: true })
  workaround: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
