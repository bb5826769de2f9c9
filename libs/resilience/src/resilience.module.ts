import { Global, Module } from '@nestjs/common';
import { Circuits } from './circuits';

@Global()
@Module({
  providers: [{ provide: Circuits, useFactory: () => new Circuits() }],
  exports: [Circuits],
})
export class ResilienceModule {}
