import { createParamDecorator, ExecutionContext, InternalServerErrorException } from '@nestjs/common';
import type { AuthenticatedRequest } from './auth.guard';
import { Principal } from './principal';

/** The caller proven by AuthGuard. On a @Public() route there is none: that is a wiring bug, so say so. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new InternalServerErrorException('CurrentPrincipal used on a route without an authenticated principal');
  return principal;
});
