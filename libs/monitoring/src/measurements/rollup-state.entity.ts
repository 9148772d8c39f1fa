import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far each rollup resolution has been computed: the next run starts a little before this. */
@Entity('measurement_rollup_state')
export class RollupStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 8, primaryKeyConstraintName: 'measurement_rollup_state_pkey' })
  resolution: string;

  @Column({ name: 'rolled_up_to', type: 'timestamptz' })
  rolledUpTo: Date;
}
