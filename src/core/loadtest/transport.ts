// What the load generator needs from a protocol (REST now; gRPC can implement the same two calls): channels that
// each carry one request at a time, cycling through the prepared requests.
import type { Outcome } from './outcome';

export interface Channel {
  /** Sends the channel's next prepared request; resolves when it is answered, fails or times out (never rejects). */
  send(): Promise<Outcome>;
  /**
   * performance.now() of the last request: just before its bytes were written (or when it was handed over, if a
   * connection had to be opened first), and when its answer's last bytes were read or it failed. Read once send()
   * resolved; taken at the socket so that the promise and parsing after it do not count as the server's time.
   */
  readonly sentAt: number;
  readonly answeredAt: number;
  close(): void;
}

export interface Transport {
  channel(): Channel;
  /** Closes every channel; requests in flight end at once as cancelled. */
  close(): void;
}

/** What a request cut off by cancel resolves with; it is never recorded. */
export const CANCELLED: Outcome = Object.freeze({ ok: false, kind: 'other', message: 'cancelled' });
