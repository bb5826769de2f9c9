import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { SkipClientAuth } from '@app/auth';
import { MetricsService } from './metrics.service';

/** Open to scrapers (like the health probes); keep it off the public network edge. */
@Controller('metrics')
@SkipClientAuth()
@ApiExcludeController()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    await reply
      .header('content-type', this.metrics.registry.contentType)
      .send(await this.metrics.scrape());
  }
}
