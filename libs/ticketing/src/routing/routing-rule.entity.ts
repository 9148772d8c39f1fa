import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** "Faults of devices matching … go to team …"; evaluated by position, first match wins. */
@Entity('routing_rules')
@Index('routing_rules_position_idx', ['position'])
export class RoutingRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'site_id', type: 'uuid', nullable: true })
  siteId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  tag: string | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  kind: string | null;

  @Column({ type: 'varchar', length: 64 })
  team: string;
}
