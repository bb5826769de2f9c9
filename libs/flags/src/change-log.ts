import { Injectable } from '@nestjs/common';
import type { ChangeRecord } from '@app/cache';
import { FlagsRepository } from './flags.repository';

/** Recorded changes by revision, read from PostgreSQL: what the change stream replays and looks up. */
@Injectable()
export class ChangeLog {
  constructor(private readonly repository: FlagsRepository) {}

  /** Every flag's changes with a revision above `after`, oldest first, at most `limit`. */
  since(after: number, limit: number): Promise<ChangeRecord[]> {
    return this.repository.changesSince(after, limit);
  }

  /** Every flag's changes with a revision in (after, upTo], oldest first, at most `limit`. */
  between(after: number, upTo: number, limit: number): Promise<ChangeRecord[]> {
    return this.repository.changesSince(after, limit, upTo);
  }
}
