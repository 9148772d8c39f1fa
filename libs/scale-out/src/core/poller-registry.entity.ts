import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every poller the core has seen, with when it last renewed its lease: the leases bucket forgets a poller
 * once its lease expires, so this is what lets `GET /api/pollers` (and the group's `poller_unreachable`
 * ticket) remember a poller that is down across a restart of the core.
 */
@Entity({ name: 'poller_registry' })
export class PollerRegistryEntity {
  @PrimaryColumn({
    name: 'poller_group',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'poller_registry_pkey',
  })
  pollerGroup: string;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'poller_registry_pkey' })
  name: string;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;
}
