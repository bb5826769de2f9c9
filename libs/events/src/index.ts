export { EventsModule } from './events.module';
export { EventStreams } from './event-streams';
