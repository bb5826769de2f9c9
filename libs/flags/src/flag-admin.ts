import { Injectable } from '@nestjs/common';
import { ChangeNotices, EdgeCache, InvalidationBus } from '@app/cache';
import { type DefinitionPatch, type JsonObject, validateDefinition } from '@app/flag-model';
import type { FlagState } from './flag.entity';
import { FlagsError } from './flags.errors';
import {
  ChangeAction,
  CurrentFlag,
  FlagsRepository,
  HistoryEntry,
  RecordedChange,
} from './flags.repository';
import { fromFlagState, toFlagState } from './flag-state';

/** What an admin's write asks for: every field optional; `metadata`, `variants`, `rules` replace whole. */
export interface FlagPatch {
  enabled?: boolean;
  rolloutPercentage?: number;
  metadata?: JsonObject;
  definition: DefinitionPatch;
  /** The revision the admin last saw; the write is refused (409) when the flag has moved on. 0: must not exist. */
  expectedRevision?: number;
}

export interface FlagUpdateBody {
  flag_name: string;
  created: boolean;
  action: ChangeAction;
  revision: number;
  flag_data: FlagState;
}
export interface FlagArchiveBody {
  flag_name: string;
  archived: true;
  revision: number;
}
export interface FlagHistoryBody {
  flag_name: string;
  entries: HistoryEntry[];
  next_cursor: string | null;
}
export interface FlagInvalidateBody {
  flag_name: string;
  invalidated: string[];
  revision: number;
}
/** The flag as it is now, sent back with a 409 so that the admin can review it. */
export interface CurrentFlagBody {
  flag_name: string;
  archived: boolean;
  revision: number;
  flag_data: FlagState;
}

/** A new flag is a disabled boolean flag at 100%, so that enabling it is a separate, explicit step. */
const NEW_FLAG: FlagState = {
  enabled: false,
  rollout_percentage: 100,
  metadata: {},
  type: 'boolean',
  variants: [],
  default_variant: null,
  rules: [],
};

/** The whole definition a patch produces from the current one, validated; a domain error when invalid. */
export function applyPatch(name: string, current: CurrentFlag | null, patch: FlagPatch): FlagState {
  if (patch.expectedRevision !== undefined) {
    const at = current?.flag.revision ?? 0;
    if (at !== patch.expectedRevision)
      throw FlagsError.conflict(
        name,
        patch.expectedRevision,
        current === null ? { flag_name: name, exists: false } : currentBody(current),
      );
  }
  const base = current === null ? NEW_FLAG : toFlagState(current.flag);
  const d = patch.definition;
  // Turning a flag into a boolean one drops its variants unless the patch says otherwise: a
  // boolean flag serves true or false, and making the admin clear them by hand helps nobody.
  const toBoolean = d.type === 'boolean' && base.type !== 'boolean';
  const next: FlagState = {
    enabled: patch.enabled ?? base.enabled,
    rollout_percentage: patch.rolloutPercentage ?? base.rollout_percentage,
    metadata: patch.metadata ?? base.metadata,
    type: d.type ?? base.type,
    variants: d.variants ?? (toBoolean ? [] : base.variants),
    default_variant:
      d.default_variant !== undefined ? d.default_variant : toBoolean ? null : base.default_variant,
    rules: d.rules ?? base.rules,
  };
  const error = validateDefinition(fromFlagState(name, 0, next));
  if (error !== null) throw FlagsError.invalid(error.field, error.message);
  return next;
}

const currentBody = ({ flag, archived }: CurrentFlag): CurrentFlagBody => ({
  flag_name: flag.name,
  archived,
  revision: flag.revision,
  flag_data: toFlagState(flag),
});

/**
 * The write side. Every write goes to PostgreSQL first (with its history entry, in one
 * transaction); the new revision then invalidates every layer of the flag on this instance and
 * is published to every other one (STYLE: invalidate where you write), and announced to this
 * instance's change stream.
 */
@Injectable()
export class FlagAdmin {
  constructor(
    private readonly repository: FlagsRepository,
    private readonly edge: EdgeCache,
    private readonly bus: InvalidationBus,
    private readonly notices: ChangeNotices,
  ) {}

  async update(name: string, patch: FlagPatch, actor: string): Promise<FlagUpdateBody> {
    const { flag, action, change } = await this.repository.upsert(
      name,
      (current) => applyPatch(name, current, patch),
      actor,
    );
    this.invalidateEverywhere(change);
    return {
      flag_name: flag.name,
      created: action === 'create',
      action,
      revision: flag.revision,
      flag_data: toFlagState(flag),
    };
  }

  async invalidate(name: string, actor: string): Promise<FlagInvalidateBody> {
    const change = await this.repository.bumpRevision(name, actor);
    if (change === null) throw FlagsError.notFound(name);
    this.invalidateEverywhere(change);
    return {
      flag_name: name,
      invalidated: ['check', 'endpoint', 'service', 'list'],
      revision: change.revision,
    };
  }

  async archive(name: string, actor: string): Promise<FlagArchiveBody> {
    const change = await this.repository.archive(name, actor);
    if (change === null) throw FlagsError.notFound(name);
    this.edge.forget(name, change.revision);
    this.bus.publish(change, true);
    this.notices.announce(change);
    return { flag_name: name, archived: true, revision: change.revision };
  }

  async history(name: string, limit: number, cursor?: string): Promise<FlagHistoryBody> {
    const entries = await this.repository.history(name, limit, cursor);
    if (entries === null) throw FlagsError.notFound(name);
    const next = entries.length === limit ? entries[entries.length - 1].id : null;
    return { flag_name: name, entries, next_cursor: next };
  }

  /**
   * O(1) whatever the number of cached users: knowing the new revision makes every key of the
   * older one unreachable here at once, and the message does the same on every other instance.
   */
  private invalidateEverywhere(change: RecordedChange): void {
    this.edge.noteRevision(change.flag, change.revision);
    this.bus.publish(change);
    this.notices.announce(change);
  }
}
