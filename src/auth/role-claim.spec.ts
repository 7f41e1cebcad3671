import { roleFromClaims } from './role-claim';

describe('roleFromClaims', () => {
  const plain = { claim: 'role', map: null };

  it('a top-level role claim naming a runlog role', () => {
    expect(roleFromClaims({ role: 'admin' }, plain)).toBe('admin');
    expect(roleFromClaims({ role: 'user' }, plain)).toBe('user');
  });

  it('missing, unknown, wrongly cased or non-string: no role', () => {
    for (const claims of [{}, { role: 'root' }, { role: 'Admin' }, { role: 7 }, { role: { admin: true } }, { role: null }]) {
      expect(roleFromClaims(claims, plain)).toBeNull();
    }
  });

  it('a dotted path (Clerk metadata.role, Keycloak realm_access.roles)', () => {
    expect(roleFromClaims({ metadata: { role: 'service' } }, { claim: 'metadata.role', map: null })).toBe('service');
    expect(roleFromClaims({ realm_access: { roles: ['offline_access', 'user'] } }, { claim: 'realm_access.roles', map: null })).toBe('user');
    expect(roleFromClaims({ metadata: ['role'] }, { claim: 'metadata.role', map: null })).toBeNull();
    expect(roleFromClaims({ metadata: 'admin' }, { claim: 'metadata.role', map: null })).toBeNull();
  });

  it('a namespaced claim URL is taken whole, although it has dots', () => {
    const claim = 'https://runlog.example.com/role';
    expect(roleFromClaims({ [claim]: 'admin' }, { claim, map: null })).toBe('admin');
  });

  it('groups through AUTH_ROLE_MAP: each group maps, the most privileged role wins, unmapped names grant nothing', () => {
    const rule = { claim: 'groups', map: { 'runlog-admins': 'admin', 'runlog-users': 'user', jobs: 'service' } as const };
    expect(roleFromClaims({ groups: ['staff', 'runlog-users'] }, rule)).toBe('user');
    expect(roleFromClaims({ groups: ['runlog-users', 'runlog-admins'] }, rule)).toBe('admin');
    expect(roleFromClaims({ groups: ['jobs', 'runlog-users'] }, rule)).toBe('service');
    expect(roleFromClaims({ groups: 'runlog-admins' }, rule)).toBe('admin');
    expect(roleFromClaims({ groups: ['admin', 'staff'] }, rule)).toBeNull();
    expect(roleFromClaims({ groups: ['__proto__', 'constructor', 'toString'] }, rule)).toBeNull();
    expect(roleFromClaims({}, rule)).toBeNull();
  });
});
