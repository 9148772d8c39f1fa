import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from './role';
import { Principal } from './principal';

export const REQUIRED_ROLE = 'netdesk:required-role';

/** The lowest role allowed on a controller or route; without it, any signed-in user (viewer) may call it. */
export const MinRole = (role: Role): ClassDecorator & MethodDecorator => SetMetadata(REQUIRED_ROLE, role);

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user,
);
