import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ChangeNotices, EdgeCache, InvalidationBus } from '@app/cache';
import { FlagsRepository } from './flags.repository';

/** How far back each poll looks: a write that took its revision earlier but committed later is still seen. */
const LOOKBACK_MS = 10_000;

/**
 * The safety net under pub/sub: every SYNC_INTERVAL_MS each instance asks PostgreSQL for
 * revisions it has not seen (an indexed range read returning only recent changes). So an
 * instance converges within one interval even when invalidation messages were lost (Redis down
 * or reconnecting), and it polls at once after a Redis reconnection.
 */
@Injectable()
export class RevisionSync implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger(RevisionSync.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** [time, highest revision known then]; the poll asks for revisions above the entry LOOKBACK_MS old. */
  private marks: Array<[number, number]> = [];
  private failing = false;
  /** Whether a poll has succeeded since start. */
  private loaded = false;
  private stopped = false;

  constructor(
    private readonly repository: FlagsRepository,
    private readonly edge: EdgeCache,
    private readonly bus: InvalidationBus,
    private readonly notices: ChangeNotices,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
    this.bus.onReconnect(() => void this.sync());
    this.timer = setInterval(() => void this.sync(), this.config.edge.syncIntervalMs);
    this.timer.unref();
  }

  /**
   * Before the PostgreSQL pool closes (onApplicationShutdown): no new poll, and the one in flight
   * finishes first, rather than failing on a closed pool and logging after the app is gone.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One poll; concurrent callers share it. */
  sync(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.poll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async poll(): Promise<void> {
    const now = Date.now();
    while (this.marks.length > 1 && this.marks[1][0] <= now - LOOKBACK_MS) this.marks.shift();
    const base = this.marks[0];
    const since =
      this.edge.complete && base !== undefined && base[0] <= now - LOOKBACK_MS ? base[1] : 0;
    try {
      for (const { name, revision, archived } of await this.repository.revisionsSince(since)) {
        if (archived) this.edge.forget(name, revision);
        else this.edge.noteRevision(name, revision);
        // The first load is the state at start, not news. After it the change stream hears of
        // every revision seen (again and again within the look-back), and tells apart what it
        // has already sent.
        if (this.loaded) this.notices.announce({ flag: name, revision });
      }
      this.edge.complete = true;
      this.loaded = true;
      this.marks.push([now, this.edge.maxRevision]);
      if (this.failing) this.log.log('revision sync with PostgreSQL restored');
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.log.warn(
          `revision sync failed, serving last known flags: ${(error as Error).message}`,
        );
      this.failing = true;
    }
  }
}
