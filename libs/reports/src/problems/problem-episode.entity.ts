import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { FaultEpisodeEntity } from '../episodes/fault-episode.entity';
import { ProblemEntity } from './problem.entity';

/** Which episodes a problem groups (an episode may belong to a device problem and to a pattern). */
@Entity('problem_episodes')
@Index('problem_episodes_episode_idx', ['episodeId'])
export class ProblemEpisodeEntity {
  @PrimaryColumn({ name: 'problem_id', type: 'uuid' })
  problemId: string;

  @PrimaryColumn({ name: 'episode_id', type: 'bigint' })
  episodeId: string;

  @ManyToOne(() => ProblemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'problem_id', foreignKeyConstraintName: 'problem_episodes_problem_id_fkey' })
  problem?: ProblemEntity;

  @ManyToOne(() => FaultEpisodeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'episode_id', foreignKeyConstraintName: 'problem_episodes_episode_id_fkey' })
  episode?: FaultEpisodeEntity;
}
