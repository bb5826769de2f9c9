import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Mapping of the `flags` table (created by migration, never synchronised). */
@Entity('flags')
export class FlagEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'rollout_percentage', type: 'smallint' })
  rolloutPercentage!: number;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  /** bigint: the pg driver returns it as a string. */
  @Column({ type: 'bigint' })
  revision!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
