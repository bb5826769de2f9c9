import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FlagEntity, FlagHistoryEntity } from './flag.entity';
import { FlagsController } from './flags.controller';
import { FlagsRepository, TypeOrmFlagsRepository } from './flags.repository';
import { FlagsService } from './flags.service';
import { RevisionSync } from './revision-sync';

@Module({
  imports: [TypeOrmModule.forFeature([FlagEntity, FlagHistoryEntity])],
  controllers: [FlagsController],
  providers: [
    FlagsService,
    RevisionSync,
    { provide: FlagsRepository, useClass: TypeOrmFlagsRepository },
  ],
  exports: [FlagsService],
})
export class FlagsModule {}
