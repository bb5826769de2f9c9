import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FlagType, JsonObject, Rule, Variant } from '@app/flag-model';

/**
 * A flag's whole definition as the API shows it inside `flag_data` and as history records it
 * before and after each change (the API's field names).
 */
export interface FlagState {
  enabled: boolean;
  rollout_percentage: number;
  metadata: JsonObject;
  type: FlagType;
  variants: Variant[];
  default_variant: string | null;
  rules: Rule[];
}

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
  metadata!: JsonObject;

  @Column({ type: 'varchar', length: 16 })
  type!: FlagType;

  @Column({ type: 'jsonb' })
  variants!: Variant[];

  @Column({ name: 'default_variant', type: 'varchar', length: 64, nullable: true })
  defaultVariant!: string | null;

  @Column({ type: 'jsonb' })
  rules!: Rule[];

  /** bigint: the pg driver returns it as a string. */
  @Column({ type: 'bigint' })
  revision!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The actor of the last write (create, update, restore, archive); null for the seed's flags. */
  @Column({ name: 'updated_by', type: 'varchar', length: 64, nullable: true })
  updatedBy!: string | null;

  /** Set when the flag is archived: the row and its history stay, the flag is no longer served. */
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;
}

/** One recorded change (`flag_history`). */
@Entity('flag_history')
export class FlagHistoryEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'flag_name', type: 'varchar', length: 128 })
  flagName!: string;

  @Column({ type: 'varchar', length: 16 })
  action!: string;

  @Column({ type: 'jsonb', nullable: true })
  before!: FlagState | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: FlagState | null;

  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
