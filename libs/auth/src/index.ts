export { AuthModule } from './auth.module';
export { AdminGuard, ANONYMOUS } from './admin.guard';
export { AuthFailures } from './auth-failures';
export { SkipClientAuth } from './client.guard';
export { Actor, AdminOnly } from './decorators';
export { authenticate } from './bearer';
