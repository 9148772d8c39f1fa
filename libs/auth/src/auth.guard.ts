import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, IS_PUBLIC } from '@netdesk/core';
import { AuthService } from './auth.service';
import { REQUIRED_ROLE } from './auth.decorators';
import { Role, roleAtLeast } from './role';

/** Global guard: every route needs a valid bearer token (401) and the route's minimum role (403), unless @Public. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest();
    const header: string | undefined = req.headers.authorization;
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    req.user = await this.auth.authenticate(token);
    const required = this.reflector.getAllAndOverride<Role>(REQUIRED_ROLE, targets) ?? 'viewer';
    if (!roleAtLeast(req.user.role, required)) {
      throw new DomainError('forbidden', `this action needs the ${required} role or higher`);
    }
    return true;
  }
}
