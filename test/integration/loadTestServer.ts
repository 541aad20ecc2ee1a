// A real HTTP server on 127.0.0.1 for the load-test engine's tests and bench: answers TF Serving's predict path
// after an injected delay, with TF Serving's error JSON on demand, a stall, or no answer at all.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ServerBehaviour {
  /** Milliseconds to wait before answering request number n (0-based, in arrival order). */
  delayMs?: (n: number) => number;
  /** HTTP status for request n (default 200); 4xx/5xx answers carry {"error": …} as TF Serving's do. */
  status?: (n: number) => number;
  /** Never answer (a hung server). */
  hang?: boolean;
  /** Stall: every answer waits until this wall-clock time (ms since epoch) while it is in the future. */
  stallUntil?: () => number;
  /** Answer chunked (TF Serving's REST layer may), instead of with Content-Length. */
  chunked?: boolean;
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  /** Requests received so far. */
  readonly received: () => number;
  /** Sockets currently open. */
  readonly openSockets: () => number;
  close(): Promise<void>;
}

export const TF_ERROR_400 = 'JSON Parse error: Invalid value. at offset: 0';
export const TF_ERROR_503 = 'Servable not found for request: Latest(hpt)';

export async function startTestServer(b: ServerBehaviour = {}): Promise<TestServer> {
  let n = 0;
  const sockets = new Set<import('net').Socket>();
  const server = http.createServer((req, res) => {
    const i = n++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (b.hang) return;
      const answer = () => {
        const status = b.status?.(i) ?? 200;
        const body = status >= 400 ? JSON.stringify({ error: status === 400 ? TF_ERROR_400 : TF_ERROR_503 }) : '{\n    "predictions": [2.5]\n}';
        if (b.chunked) {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.write(body.slice(0, 5));
          res.end(body.slice(5));
        } else {
          res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        }
      };
      const wait = () => {
        const stall = (b.stallUntil?.() ?? 0) - Date.now();
        if (stall > 0) return setTimeout(wait, stall);
        const d = b.delayMs?.(i) ?? 0;
        if (d > 0) setTimeout(answer, d); else answer();
      };
      wait();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received: () => n,
    openSockets: () => sockets.size,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
