import { Module } from '@nestjs/common';
import { CacheStats } from '@app/cache';
import { FlagsModule } from '@app/flags';
import { BULK_MEMO_MAX_BYTES, OfrepBulkMemo } from './bulk-memo';
import { OfrepBulkRoute } from './ofrep-bulk.route';
import { OfrepController } from './ofrep.controller';

@Module({
  imports: [FlagsModule],
  controllers: [OfrepController],
  // One memo per process, with its default bound (a factory: the class takes the bound as a
  // number), counting into the instance's CacheStats (/cache/stats and /metrics show it).
  providers: [
    {
      provide: OfrepBulkMemo,
      useFactory: (stats: CacheStats) => new OfrepBulkMemo(BULK_MEMO_MAX_BYTES, stats.ofrepBulk),
      inject: [CacheStats],
    },
    OfrepBulkRoute,
  ],
  exports: [OfrepBulkRoute],
})
export class OfrepModule {}
