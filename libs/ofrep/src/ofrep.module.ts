import { Module } from '@nestjs/common';
import { FlagsModule } from '@app/flags';
import { OfrepController } from './ofrep.controller';

@Module({ imports: [FlagsModule], controllers: [OfrepController] })
export class OfrepModule {}
