import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Results already applied, by idempotency key (device, time, kind): a redelivery finds its key and changes nothing. */
@Entity({ name: 'ingested_results' })
@Index('ingested_results_at_idx', ['ingestedAt'])
export class IngestedResultEntity {
  @PrimaryColumn({ name: 'msg_id', type: 'varchar', length: 200, primaryKeyConstraintName: 'ingested_results_pkey' })
  msgId: string;

  @Column({ name: 'ingested_at', type: 'timestamptz', default: () => 'now()' })
  ingestedAt: Date;
}

/** The newest lease epoch that wrote for a device: results from an older epoch are stale (fencing). */
@Entity({ name: 'device_poll_fences' })
export class DevicePollFenceEntity {
  @PrimaryColumn({ name: 'device_id', type: 'uuid', primaryKeyConstraintName: 'device_poll_fences_pkey' })
  deviceId: string;

  @Column({ type: 'bigint' })
  epoch: string;

  @Column({ name: 'poller_name', type: 'varchar', length: 64 })
  pollerName: string;

  @Column({ name: 'poller_group', type: 'varchar', length: 64 })
  pollerGroup: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
