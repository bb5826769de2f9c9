import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChangeLog } from './change-log';
import { FlagEntity, FlagHistoryEntity } from './flag.entity';
import { FlagAdmin } from './flag-admin';
import { FlagReader } from './flag-reader';
import { FlagsController } from './flags.controller';
import { FlagsRepository, TypeOrmFlagsRepository } from './flags.repository';
import { CheckCacheInterceptor } from './http/check-cache.interceptor';
import { EndpointCacheInterceptor } from './http/endpoint-cache.interceptor';
import { RevisionSync } from './revision-sync';

@Module({
  imports: [TypeOrmModule.forFeature([FlagEntity, FlagHistoryEntity])],
  controllers: [FlagsController],
  providers: [
    FlagReader,
    FlagAdmin,
    RevisionSync,
    ChangeLog,
    CheckCacheInterceptor,
    EndpointCacheInterceptor,
    { provide: FlagsRepository, useClass: TypeOrmFlagsRepository },
  ],
  // The reader is what other front ends (OFREP) present over; writes stay behind this module's
  // controller. The change log is what the change stream replays.
  exports: [FlagReader, ChangeLog],
})
export class FlagsModule {}
