import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export interface EscalationStep {
  delaySeconds: number;
  notify?: string[];
  team?: string;
}

@Entity('escalation_policies')
@Unique('escalation_policies_name_key', ['name'])
@Index('escalation_policies_one_default', ['isDefault'], { unique: true, where: 'is_default' })
export class EscalationPolicyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'jsonb' })
  steps: EscalationStep[];

  @Column({ type: 'boolean', default: false })
  repeat: boolean;

  @Column({ name: 'max_repeats', type: 'int', default: 3 })
  maxRepeats: number;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
