import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipClientAuth } from '@app/auth';
import { HealthService } from './health.service';

@Controller('health')
@ApiTags('health')
@SkipClientAuth()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly terminus: HealthCheckService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      '200 whenever the process answers; the state of the database and the cache in the body',
  })
  get() {
    return this.health.report();
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process is up' })
  live() {
    return this.terminus.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: PostgreSQL reachable (503 otherwise); Redis state reported',
  })
  ready() {
    return this.terminus.check([() => this.health.database(), () => this.health.cache()]);
  }
}
