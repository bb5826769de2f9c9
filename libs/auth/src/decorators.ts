import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdminGuard, ANONYMOUS, AuthenticatedRequest } from './admin.guard';
import { SkipClientAuth } from './client.guard';

/** Marks a route that changes state: admin token required. */
export const AdminOnly = () =>
  applyDecorators(
    UseGuards(AdminGuard),
    SkipClientAuth(),
    ApiBearerAuth('admin'),
    ApiUnauthorizedResponse({
      description: 'Missing, malformed or wrong admin token; nothing changed',
    }),
    ApiTooManyRequestsResponse({
      description: 'Too many failed authentications from this address',
    }),
  );

/** The name of the admin token that authenticated the request (for the change history). */
export const Actor = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().actor ?? ANONYMOUS,
);
