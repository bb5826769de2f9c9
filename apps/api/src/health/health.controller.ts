import { Controller, Get } from '@nestjs/common';
import { SkipClientAuth } from '@app/auth';
import { HealthService } from './health.service';

@Controller('health')
@SkipClientAuth()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 whenever the process answers: flags keep being served from cache when a backend is down, which the body reports. */
  @Get()
  get() {
    return this.health.report();
  }
}
