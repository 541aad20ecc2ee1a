// Is a host port free? Answered by trying to listen on it, which is what docker-proxy will do.
import * as net from 'net';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The first port from `start` upward that is free here and not in `taken` (ports other containers publish). */
export async function nextFreePort(start: number, host = '127.0.0.1', taken: ReadonlySet<number> = new Set(), limit = 200): Promise<number | undefined> {
  for (let p = start; p < Math.min(65536, start + limit); p++) {
    if (!taken.has(p) && (await isPortFree(p, host === '0.0.0.0' ? '0.0.0.0' : host))) return p;
  }
  return undefined;
}
