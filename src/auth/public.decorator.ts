import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'runlog:auth:public';

/** Opts a route (or a whole controller) out of the global AuthGuard: no token needed. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
