export const ROLES = ['viewer', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles are ordered: each includes every right of the ones below it. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
