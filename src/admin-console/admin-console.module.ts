import { Module } from '@nestjs/common';
import { AdminConsoleController } from './admin-console.controller';

/** The admin console: a static page at /admin that talks to the admin API with the signed-in token. */
@Module({ controllers: [AdminConsoleController] })
export class AdminConsoleModule {}
