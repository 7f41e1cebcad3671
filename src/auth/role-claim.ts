/**
 * Which runlog role a provider token grants. Providers put roles in different places (a top-level `role`,
 * `metadata.role` in Clerk's session claims, a namespaced claim URL in Auth0, `realm_access.roles` in
 * Keycloak, `groups` in Okta and Entra ID), as one string or a list; AUTH_ROLE_CLAIM says where to look
 * and AUTH_ROLE_MAP how the provider's values translate.
 */
import { isRole, Role } from './principal';

export interface RoleClaimRule {
  /** A claim name (taken whole first, so a namespaced URL with dots works), else a dotted path. */
  claim: string;
  /** Provider values to roles; null: the values must be role names themselves. */
  map: Readonly<Record<string, Role>> | null;
}

/** A token mapping to several roles gets the one that may do the most: admin may do everything. */
const PRECEDENCE: readonly Role[] = ['admin', 'service', 'user'];

/** The role the claims grant, or null when none of their values maps to one (the guard answers 403). */
export function roleFromClaims(claims: Readonly<Record<string, unknown>>, rule: RoleClaimRule): Role | null {
  const value = claimAt(claims, rule.claim);
  const values = Array.isArray(value) ? value : [value];
  const granted = new Set<Role>();
  for (const item of values) {
    if (typeof item !== 'string') continue;
    // With a map, only what it names counts: a provider group that happens to be called "admin" grants nothing unasked.
    const role = rule.map ? (Object.prototype.hasOwnProperty.call(rule.map, item) ? rule.map[item] : undefined) : item;
    if (isRole(role)) granted.add(role);
  }
  return PRECEDENCE.find((role) => granted.has(role)) ?? null;
}

function claimAt(claims: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, name)) return claims[name];
  let node: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
