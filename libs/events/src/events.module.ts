import { Module } from '@nestjs/common';
import { FlagsModule } from '@app/flags';
import { MetricsModule } from '@app/metrics';
import { ChangeFeed } from './change-feed';
import { EventsController } from './events.controller';
import { EventStreams } from './event-streams';

@Module({
  imports: [FlagsModule, MetricsModule],
  controllers: [EventsController],
  providers: [ChangeFeed, EventStreams],
  exports: [EventStreams],
})
export class EventsModule {}
