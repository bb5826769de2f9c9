export { AuthModule } from './auth.module';
export { AdminGuard, ANONYMOUS } from './admin.guard';
export { AuthFailures } from './auth-failures';
export { ClientAuth } from './client-auth';
export { SkipClientAuth } from './client.guard';
export { Actor, AdminOnly } from './decorators';
export { authenticate } from './bearer';
export { StreamTokens, STREAM_TOKEN_WINDOW_S } from './stream-tokens';
export { refuse } from './refusals';
