/** What every admin controller is: tagged, behind a bearer token of role admin, documented with the errors all its routes share. */
import { applyDecorators, Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator';
import { ApiAuthErrors, ApiErrors, DATABASE_UNAVAILABLE } from '../../http/openapi-responses';

/** An admin controller at `path`: one place for the decorators the four admin controllers share. */
export const AdminController = (path: string): ClassDecorator =>
  applyDecorators(ApiTags('admin'), ApiBearerAuth(), ApiAuthErrors('admin'), ApiErrors({ 503: DATABASE_UNAVAILABLE }), Roles('admin'), Controller(path));
