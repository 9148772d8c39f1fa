/** Published when a user's access ends or shrinks: their older tokens no longer work, open sockets must close. */
export const ACCESS_REVOKED = 'auth.access-revoked';

export interface AccessRevoked {
  userId: string;
  reason: 'deleted' | 'disabled' | 'demoted' | 'password changed';
}
