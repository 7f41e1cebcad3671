/** Who is calling, as proven by a verified bearer token. */
export type Role = 'admin' | 'user' | 'service';

export const ROLES: readonly Role[] = ['admin', 'user', 'service'];

export interface Principal {
  sub: string;
  role: Role;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
