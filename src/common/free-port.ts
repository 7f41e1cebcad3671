import * as net from 'net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on now. Port 0 makes the kernel pick one; it could be
 * taken again before the caller binds it, so callers that can retry do.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
