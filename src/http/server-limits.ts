/**
 * The HTTP server's own bounds, suited to a log service. Node's defaults let a client that sends
 * its headers or body a byte at a time hold a socket for 5 minutes, and one that stops reading a
 * download hold it for ever; with the download's or event stream's state behind that socket.
 */
import type { Server } from 'http';
import { AppConfig } from '../config/app.config';

export function applyServerLimits(server: Server, config: AppConfig): void {
  // Headers must arrive in this time, the whole request (a 5 MB append at 170 KB/s) in this one: 408 otherwise.
  server.headersTimeout = config.httpHeadersTimeoutSeconds * 1000;
  server.requestTimeout = config.httpRequestTimeoutSeconds * 1000;
  // Node checks those two only this often (default 30 s, so a 10 s bound held sockets for up to 40 s).
  // Read when the server starts listening, so setting it here, before listen, takes effect.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = 1000;
  // A socket with no progress either way this long is closed: a client that stopped reading a download
  // or an event stream (whose buffer no longer drains), or one that went silent mid-request.
  // Event streams send a heartbeat well within it, so a quiet stream to a reading client stays open.
  server.timeout = config.httpIdleTimeoutSeconds * 1000;
  server.maxConnections = config.httpMaxConnections;
}
