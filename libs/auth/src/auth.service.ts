import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { NetdeskConfig } from '@netdesk/config';
import { Clock, DomainError } from '@netdesk/core';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { Principal } from './principal';
import { UserEntity } from './user.entity';
import { UserRepository } from './user.repository';

interface TokenClaims {
  sub: string;
  role: string;
  /** The user's token version when it was issued; an older one is refused. */
  ver: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A signature proves who issued a token, not that its claims have the expected shape. */
function wellFormed(claims: unknown): claims is TokenClaims & { exp: number } {
  if (claims === null || typeof claims !== 'object') return false;
  const c = claims as Record<string, unknown>;
  return (
    typeof c.sub === 'string' &&
    UUID.test(c.sub) &&
    Number.isSafeInteger(c.ver) &&
    (c.ver as number) >= 0 &&
    typeof c.exp === 'number' &&
    Number.isFinite(c.exp)
  );
}

@Injectable()
export class AuthService {
  private readonly throttle: LoginThrottle;
  /** A real hash to verify against for unknown emails, so both failures cost the same time. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    private readonly config: NetdeskConfig,
  ) {
    this.throttle = new LoginThrottle(config.auth.loginMaxFailures, config.auth.loginWindowSec * 1000);
  }

  async login(
    email: string,
    password: string,
    clientAddress: string,
  ): Promise<{ accessToken: string; expiresAt: Date; user: UserEntity }> {
    const now = this.clock.now().getTime();
    const retryAfterSec = this.throttle.retryAfterSec(clientAddress, now);
    if (retryAfterSec > 0) {
      throw new DomainError(
        'rate_limited',
        `too many failed sign-ins from this address; try again in ${retryAfterSec} s`,
        { retryAfterSec },
      );
    }
    const user = await this.users.findByEmail(email);
    this.dummyHash ??= this.hasher.hash(randomBytes(16).toString('hex'));
    const valid = await this.hasher.verify(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !valid) {
      this.throttle.recordFailure(clientAddress, now);
      throw new DomainError('unauthorized', 'invalid email or password');
    }
    this.throttle.recordSuccess(clientAddress);
    // only told after the right password, so it reveals nothing to a guesser
    if (user.disabled) throw new DomainError('unauthorized', 'this account is disabled; ask an administrator');
    const claims: TokenClaims = { sub: user.id, role: user.role, ver: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.jwtTtlSec });
    return { accessToken, expiresAt: new Date(now + this.config.auth.jwtTtlSec * 1000), user };
  }

  /**
   * Turns a bearer token into the calling user, read fresh from the database so that a deleted
   * user or a changed role takes effect at once, and a token older than the user's token version
   * (password changed, demoted, disabled) is refused. Also used by the live socket handshake and on
   * each socket message.
   */
  async authenticate(token: string | undefined): Promise<Principal & { expiresAt: Date }> {
    if (!token) throw new DomainError('unauthorized', 'missing bearer token');
    let claims: unknown;
    try {
      claims = await this.jwt.verifyAsync<object>(token);
    } catch {
      throw new DomainError('unauthorized', 'invalid or expired token');
    }
    if (!wellFormed(claims)) throw new DomainError('unauthorized', 'invalid or expired token');
    const user = await this.users.findById(claims.sub);
    if (!user || user.disabled || user.tokenVersion !== claims.ver) {
      throw new DomainError('unauthorized', 'invalid or expired token');
    }
    return { id: user.id, email: user.email, role: user.role, team: user.team, expiresAt: new Date(claims.exp * 1000) };
  }
}
