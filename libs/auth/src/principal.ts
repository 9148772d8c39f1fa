import { Role } from './role';

/** Who is calling: attached to the request by the auth guard. */
export interface Principal {
  id: string;
  email: string;
  role: Role;
  team: string | null;
}
