import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '@app/config';
import { ANONYMOUS } from './admin.guard';
import { AuthFailures } from './auth-failures';
import { authenticate } from './bearer';
import { refuse, tooManyFailures } from './refusals';
import { SkipClientAuth } from './client.guard';

export type Role = 'admin' | 'client';

export class SessionDoc {
  @ApiProperty({
    enum: ['admin', 'client'],
    description: 'admin may change flags; client only reads',
  })
  role!: Role;
  @ApiProperty({ description: 'The token’s name (recorded in the history for admin changes)' })
  name!: string;
  @ApiProperty({ description: 'True when no admin token is configured: anyone may change flags' })
  open!: boolean;
}

/**
 * Tells a client (the console) what its token may do, so that a read-only token gets a console
 * without edit controls and a wrong token a clear message rather than a failure on first save.
 * Failures count towards the same per-address limit as the admin routes.
 */
@Controller('auth')
@ApiTags('auth')
@SkipClientAuth()
export class SessionController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: AuthFailures,
  ) {}

  @Get('session')
  @ApiOperation({ summary: 'The role of the presented bearer token: admin or client (read-only)' })
  @ApiOkResponse({ type: SessionDoc })
  @ApiUnauthorizedResponse({ description: 'Missing, malformed or unknown token' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed authentications from this address' })
  async session(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDoc> {
    const { admin, client } = this.config.auth;
    if (admin.length === 0) return { role: 'admin', name: ANONYMOUS, open: true };
    const blocked = this.failures.blockedUntil(request.ip);
    if (blocked !== undefined) tooManyFailures(reply, blocked);
    const header = request.headers.authorization;
    const asAdmin = authenticate(header, admin);
    if (asAdmin.ok) return { role: 'admin', name: asAdmin.name, open: false };
    const asClient = authenticate(header, client);
    if (asClient.ok) return { role: 'client', name: asClient.name, open: false };
    return refuse(this.failures, reply, request, asAdmin.reason);
  }
}
