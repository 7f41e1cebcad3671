/**
 * AuthGuard over real HTTP: a minimal Nest app with AuthModule and a controller covering each kind of route
 * (public, any principal, admin only, service or admin), hit with good and hostile tokens.
 */
import { Controller, Get, INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'crypto';
import request from 'supertest';
import { AuthModule, JWT_SECRET_INFO } from '../../src/auth/auth.module';
import { CurrentPrincipal } from '../../src/auth/current-principal.decorator';
import { Principal } from '../../src/auth/principal';
import { Public } from '../../src/auth/public.decorator';
import { Roles } from '../../src/auth/roles.decorator';
import { signToken, TokenService } from '../../src/auth/token.service';
import { loadConfig } from '../../src/config/app.config';

@Controller('t')
class ProbeController {
  @Public()
  @Get('public')
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Roles('admin')
  @Get('admin')
  admin(): { ok: true } {
    return { ok: true };
  }

  @Roles('service', 'admin')
  @Get('service')
  service(): { ok: true } {
    return { ok: true };
  }
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('AuthGuard (HTTP)', () => {
  const secret = randomBytes(32).toString('base64url');
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  /** Signs arbitrary payloads with arbitrary options: for tokens TokenService would never issue. */
  const raw = new JwtService({ secret });

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot(loadConfig({ AUTH_JWT_SECRET: secret }))],
      controllers: [ProbeController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
  });
  afterAll(async () => app?.close());

  const token = (role: Principal['role'], sub = `${role}-1`) => signToken(secret, { sub, role });

  async function expect401(auth: string | undefined, message: string, path = '/t/me') {
    const req = http.get(path);
    if (auth !== undefined) req.set('Authorization', auth);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, message });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    return res;
  }

  it('lets anyone call a @Public() route', async () => {
    await http.get('/t/public').expect(200, { ok: true });
  });

  it('401 without an Authorization header, with WWW-Authenticate: Bearer', async () => {
    const res = await expect401(undefined, 'missing bearer token');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('401 for another scheme or an empty bearer', async () => {
    await expect401('Basic x', 'missing bearer token');
    await expect401('Bearer', 'missing bearer token');
    await expect401('Bearer   ', 'missing bearer token');
  });

  it('401 invalid token for garbage and malformed headers', async () => {
    const res = await expect401('Bearer garbage', 'invalid token');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    await expect401('Bearer a.b.c', 'invalid token');
    await expect401(`Bearer ${await token('admin')} extra`, 'invalid token');
  });

  it('401 for a token signed with another secret', async () => {
    const forged = await signToken(randomBytes(32).toString('base64url'), { sub: 'mallory', role: 'admin' });
    await expect401(`Bearer ${forged}`, 'invalid token', '/t/admin');
  });

  it('401 for an unsigned alg:none token', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'mallory', role: 'admin', iat: now(), exp: now() + 3600 })}.`;
    await expect401(`Bearer ${unsigned}`, 'invalid token', '/t/admin');
  });

  it('401 for a token signed with the right secret but HS512: only HS256 is accepted', async () => {
    const hs512 = await raw.signAsync({ sub: 'admin-1', role: 'admin' }, { algorithm: 'HS512', expiresIn: 3600 });
    await expect401(`Bearer ${hs512}`, 'invalid token', '/t/admin');
  });

  it('401 token expired for an expired token', async () => {
    const expired = await raw.signAsync({ sub: 'admin-1', role: 'admin', iat: now() - 120, exp: now() - 60 });
    const res = await expect401(`Bearer ${expired}`, 'token expired');
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  it('401 for missing or unusable claims', async () => {
    const claims = [{ role: 'admin' }, { sub: '', role: 'admin' }, { sub: 42, role: 'admin' }, { sub: 'x' }, { sub: 'x', role: 'root' }];
    for (const payload of claims) {
      await expect401(`Bearer ${await raw.signAsync(payload, { expiresIn: 3600 })}`, 'invalid token');
    }
  });

  it('403 naming the required roles when the role is not allowed', async () => {
    const user = await token('user');
    const res = await http.get('/t/admin').set('Authorization', `Bearer ${user}`).expect(403);
    expect(res.body.message).toMatch(/requires role admin\b/);
    const svc = await http.get('/t/service').set('Authorization', `Bearer ${user}`).expect(403);
    expect(svc.body.message).toMatch(/requires role service or admin/);
    await http.get('/t/admin').set('Authorization', `Bearer ${await token('service')}`).expect(403);
  });

  it('lets a service token call a service route, and any valid token call an unrestricted one', async () => {
    await http.get('/t/service').set('Authorization', `Bearer ${await token('service')}`).expect(200, { ok: true });
    await http.get('/t/me').set('Authorization', `Bearer ${await token('user', 'alice')}`).expect(200, { sub: 'alice', role: 'user' });
  });

  it('lets an admin token call every route, and the principal is exactly {sub, role}', async () => {
    const admin = await token('admin', 'root-7');
    for (const path of ['/t/public', '/t/admin', '/t/service']) {
      await http.get(path).set('Authorization', `Bearer ${admin}`).expect(200, { ok: true });
    }
    const me = await http.get('/t/me').set('Authorization', `bearer  ${admin}`).expect(200);
    expect(me.body).toEqual({ sub: 'root-7', role: 'admin' });
  });

  it('TokenService from the module issues tokens the guard accepts; the secret was not generated', async () => {
    expect(app.get(JWT_SECRET_INFO)).toEqual({ generated: false });
    const issued = await app.get(TokenService).issue({ sub: 'svc-9', role: 'service', ttl: 60 });
    await http.get('/t/me').set('Authorization', `Bearer ${issued}`).expect(200, { sub: 'svc-9', role: 'service' });
  });
});
