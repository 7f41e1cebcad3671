import { IncomingMessage, ServerResponse } from 'http';
import { Socket } from 'net';
import helmet from 'helmet';
import { API_CSP, DOCS_CSP, securityHeaders } from './security-headers';

/** A response whose headers can be read back, as a route would leave them. */
function response(): ServerResponse {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  res.setHeader('X-Powered-By', 'something');
  return res;
}

describe('securityHeaders (helmet, worked out once)', () => {
  it.each([
    ['API', API_CSP],
    ['docs', DOCS_CSP],
  ])('the %s policy: the headers helmet itself sets on a real response, and X-Powered-By removed', (_name, directives) => {
    const byHelmet = response();
    helmet({ contentSecurityPolicy: { useDefaults: false, directives }, strictTransportSecurity: false, xFrameOptions: { action: 'deny' } })(
      byHelmet.req,
      byHelmet,
      () => undefined,
    );
    const once = response();
    const { set, removed } = securityHeaders(directives);
    for (const [name, value] of set) once.setHeader(name, value);
    for (const name of removed) once.removeHeader(name);
    expect(once.getHeaders()).toEqual(byHelmet.getHeaders());
    expect(once.getHeader('x-powered-by')).toBeUndefined();
    expect(once.getHeader('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(once.getHeader('x-frame-options')).toBe('DENY');
  });
});
