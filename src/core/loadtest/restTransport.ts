// The REST side of a load test: keep-alive HTTP/1.1 connections over plain sockets, one request in flight per
// connection (as wrk and autocannon do by default), every request's bytes built once before the run. node:http's
// agent costs several times more CPU per request than the server under test on a small model (npm run bench
// measures this generator against wrk and autocannon), so the answer is parsed here: status line, Content-Length or
// chunked framing, and the body kept only for an error answer. Answers are read with net's `onread` into one buffer
// per transport, skipping the stream machinery: 30–50 µs less per answer, which is most of what separated our p50
// from wrk's on a fast endpoint.
import * as net from 'net';
import { httpOutcome, OK, socketErrorOutcome, type Outcome } from './outcome';
import { CANCELLED, type Channel, type Transport } from './transport';

const CRLF2 = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
/** An error answer's body is kept up to this size (TF Serving's messages are short). */
const MAX_ERROR_BODY = 8192;
/** Bytes read from a socket at once. */
const READ_BUFFER_BYTES = 64 * 1024;

export interface RestEndpoint {
  /** http://host:port */
  readonly baseUrl: string;
  /** Path of the predict call, e.g. /v1/models/hpt:predict */
  readonly path: string;
}

/** Each body as the complete HTTP request it is sent as. */
export function restRequests(endpoint: RestEndpoint, bodies: readonly string[]): Buffer[] {
  const url = new URL(endpoint.baseUrl);
  if (url.protocol !== 'http:') throw new Error(`The load test speaks plain HTTP; ${endpoint.baseUrl} is ${url.protocol.replace(':', '')}.`);
  return bodies.map((b) => {
    const body = Buffer.from(b, 'utf8');
    const head = `POST ${endpoint.path} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  });
}

export class RestTransport implements Transport {
  private readonly host: string;
  private readonly port: number;
  private readonly channels = new Set<HttpChannel>();
  // Shared by every channel: libuv reads into it and calls back synchronously, one socket at a time on this thread,
  // and a channel copies out whatever it keeps past its callback.
  private readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

  constructor(endpoint: RestEndpoint, private readonly requests: readonly Buffer[], private readonly timeoutMs: number) {
    const url = new URL(endpoint.baseUrl);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(url.port || 80);
    if (!requests.length) throw new Error('no requests to send');
  }

  channel(): Channel {
    const c = new HttpChannel(this.host, this.port, this.requests, this.timeoutMs, this.readBuffer, () => this.channels.delete(c));
    this.channels.add(c);
    return c;
  }

  close(): void {
    for (const c of [...this.channels]) c.close();
  }
}

type Pending = (o: Outcome) => void;

class HttpChannel implements Channel {
  sentAt = 0;
  answeredAt = 0;
  /** When the bytes being parsed were read. */
  private readAt = 0;
  private socket?: net.Socket;
  private connected = false;
  private pending?: Pending;
  private next = 0;
  private closed = false;
  // Parser state of the answer being read.
  private buf: Buffer = EMPTY;
  private status = 0;
  private headerDone = false;
  private remaining = 0;
  private chunked = false;
  private keepBody = false;
  private body: Buffer[] = [];
  private bodyBytes = 0;
  private closeAfter = false;

  constructor(private readonly host: string, private readonly port: number, private readonly requests: readonly Buffer[],
    private readonly timeoutMs: number, private readonly readBuffer: Buffer, private readonly onClose: () => void) {
    // Different channels start at different bodies, so a sweep spreads its generated inputs evenly.
    this.next = Math.floor(Math.random() * requests.length);
  }

  send(): Promise<Outcome> {
    if (this.closed) return Promise.resolve(CANCELLED);
    const bytes = this.requests[this.next];
    this.next = (this.next + 1) % this.requests.length;
    return new Promise<Outcome>((resolve) => {
      this.pending = resolve;
      this.resetParser();
      const s = this.socket ?? this.connect();
      this.sentAt = performance.now();
      if (this.connected) s.write(bytes);
      else s.once('connect', () => { if (this.socket === s) s.write(bytes); });
    });
  }

  private connect(): net.Socket {
    // Events of a socket already dropped (after a timeout or an error) concern no request of ours.
    const current = () => this.socket === s;
    const s: net.Socket = net.connect({
      host: this.host, port: this.port, noDelay: true,
      onread: { buffer: this.readBuffer, callback: (n: number, b: Uint8Array) => {
        if (current()) { this.readAt = performance.now(); this.onData(Buffer.from(b.buffer, b.byteOffset, n)); }
        return true;
      } },
    });
    this.socket = s;
    this.connected = false;
    s.setTimeout(this.timeoutMs);
    s.on('connect', () => { if (current()) this.connected = true; });
    s.on('timeout', () => {
      if (!current() || !this.pending) return; // idle between requests: keep the connection
      this.finish({ ok: false, kind: 'timeout', message: `no answer within ${this.timeoutMs} ms` });
      this.drop();
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (!current()) return;
      this.finish(socketErrorOutcome(e));
      this.drop();
    });
    s.on('close', () => {
      if (!current()) return;
      this.socket = undefined;
      this.finish({ ok: false, kind: 'connection-closed', message: 'the server closed the connection before answering' });
    });
    return s;
  }

  private drop(): void {
    const s = this.socket;
    this.socket = undefined;
    s?.destroy();
  }

  private resetParser(): void {
    this.buf = EMPTY;
    this.status = 0;
    this.headerDone = false;
    this.remaining = 0;
    this.chunked = false;
    this.keepBody = false;
    this.body = [];
    this.bodyBytes = 0;
    this.closeAfter = false;
  }

  private finish(o: Outcome, at = performance.now()): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.answeredAt = at;
    p(o);
  }

  private onData(d: Buffer): void {
    if (!this.pending) return; // bytes nobody asked for (the answer to a timed-out request): ignored
    let data = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    this.buf = EMPTY;
    if (!this.headerDone) {
      const end = data.indexOf(CRLF2);
      if (end < 0) { this.buf = Buffer.from(data); return; } // a copy: the read buffer is reused
      const head = data.toString('latin1', 0, end);
      this.status = Number(head.slice(9, 12));
      const cl = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head);
      this.chunked = !cl && /\r\ntransfer-encoding:[^\r]*chunked/i.test(head);
      this.remaining = cl ? Number(cl[1]) : 0;
      this.closeAfter = /\r\nconnection:[ \t]*close/i.test(head) || head.startsWith('HTTP/1.0');
      this.keepBody = !(this.status >= 200 && this.status < 300);
      this.headerDone = true;
      data = data.subarray(end + 4);
    }
    if (this.chunked) this.readChunks(data);
    else {
      const take = Math.min(this.remaining, data.length);
      this.keep(data.subarray(0, take));
      this.remaining -= take;
      if (this.remaining === 0) this.complete();
    }
  }

  /** Chunked framing: `<hex size>\r\n<bytes>\r\n` … `0\r\n\r\n` (trailers are not used by TF Serving). */
  private readChunks(data: Buffer): void {
    let at = 0;
    for (;;) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, data.length - at);
        this.keep(data.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        if (this.remaining > 0) return;
        this.remaining = -2; // the CRLF after the chunk
      }
      if (this.remaining < 0) {
        const need = -this.remaining;
        const have = Math.min(need, data.length - at);
        at += have;
        this.remaining += have;
        if (this.remaining < 0) return;
      }
      const eol = data.indexOf('\r\n', at, 'latin1');
      if (eol < 0) { this.buf = Buffer.from(data.subarray(at)); return; }
      const size = parseInt(data.toString('latin1', at, eol), 16);
      at = eol + 2;
      if (size === 0) {
        // The last chunk: its CRLF (no trailers) may still be on the way; the answer is complete either way.
        this.complete();
        return;
      }
      this.remaining = size;
    }
  }

  private keep(b: Buffer): void {
    if (!this.keepBody || this.bodyBytes >= MAX_ERROR_BODY || !b.length) return;
    this.body.push(Buffer.from(b));
    this.bodyBytes += b.length;
  }

  private complete(): void {
    const status = this.status;
    const outcome = status >= 200 && status < 300 ? OK : httpOutcome(status, () => Buffer.concat(this.body).toString('utf8'));
    if (this.closeAfter) this.drop();
    this.finish(outcome, this.readAt);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.finish(CANCELLED);
    this.drop();
    this.onClose();
  }
}
