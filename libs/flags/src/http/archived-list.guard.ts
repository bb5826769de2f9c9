import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminGuard } from '@app/auth';

/**
 * Archived flags are listed to admins only: they are definitions nobody is served any more, and
 * a client token (an application's) has no business reading them. The live list stays open to
 * every reader, so the admin check applies only when `?archived=true` asks for them.
 */
@Injectable()
export class ArchivedListGuard implements CanActivate {
  constructor(private readonly admin: AdminGuard) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const { query } = context.switchToHttp().getRequest<FastifyRequest>();
    const archived = (query as Record<string, unknown> | undefined)?.archived;
    return archived === 'true' ? this.admin.canActivate(context) : true;
  }
}
