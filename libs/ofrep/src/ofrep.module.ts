import { Module } from '@nestjs/common';
import { FlagsModule } from '@app/flags';
import { OfrepBulkMemo } from './bulk-memo';
import { OfrepBulkRoute } from './ofrep-bulk.route';
import { OfrepController } from './ofrep.controller';

@Module({
  imports: [FlagsModule],
  controllers: [OfrepController],
  // One memo per process, with its default bound (a factory: the class takes the bound as a number).
  providers: [{ provide: OfrepBulkMemo, useFactory: () => new OfrepBulkMemo() }, OfrepBulkRoute],
  exports: [OfrepBulkRoute],
})
export class OfrepModule {}
