export { AuthModule } from './auth.module';
export { AuthService } from './auth.service';
export { UsersService } from './users.service';
export { MinRole, CurrentUser } from './auth.decorators';
export { ROLES, roleAtLeast } from './role';
export type { Role } from './role';
export type { Principal } from './principal';
export { ACCESS_REVOKED } from './auth.events';
export type { AccessRevoked } from './auth.events';
