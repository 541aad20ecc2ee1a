// What TF Serving's polling of a bucket costs: every `--file_system_poll_wait_seconds` it lists the model's base
// path one level deep (delimiter listing, paged). We make that same listing once, count its requests and the bytes
// the responses actually carried on the wire (status line, headers and body, read off the socket), and scale to an hour.
import * as diagnosticsChannel from 'diagnostics_channel';
import { randomBytes } from 'crypto';
import type { ClientRequest, IncomingMessage } from 'http';
import type { ModelLocation } from '../location';

export interface LevelMeasurement {
  /** List requests one poll makes. */
  readonly requests: number;
  /** Response bytes one poll receives. */
  readonly responseBytes: number;
  /** Entries (folders + files) at that level. */
  readonly entries: number;
}

/** A store that can make (and measure) the listing TF Serving's poll makes. */
export interface PollMeasurable {
  measureLevelListing(modelLoc: ModelLocation): Promise<LevelMeasurement>;
}

export interface PollingCostAt {
  readonly pollSeconds: number;
  readonly requestsPerHour: number;
  readonly responseBytesPerHour: number;
}

export interface PollingCost {
  readonly perPoll: LevelMeasurement;
  readonly atServingInterval: PollingCostAt;
  readonly at120s: PollingCostAt;
}

/** TF Serving's flag default (model_servers/main.cc). */
export const DEFAULT_POLL_WAIT_SECONDS = 1;

export function costAt(perPoll: LevelMeasurement, pollSeconds: number): PollingCostAt {
  if (!(pollSeconds > 0)) throw new Error(`The poll interval must be > 0 seconds, not ${pollSeconds}.`);
  const polls = 3600 / pollSeconds;
  return { pollSeconds, requestsPerHour: Math.round(perPoll.requests * polls), responseBytesPerHour: Math.round(perPoll.responseBytes * polls) };
}

export async function measurePollingCost(store: PollMeasurable, modelLoc: ModelLocation, pollSeconds = DEFAULT_POLL_WAIT_SECONDS): Promise<PollingCost> {
  const perPoll = await store.measureLevelListing(modelLoc);
  return { perPoll, atServingInterval: costAt(perPoll, pollSeconds), at120s: costAt(perPoll, 120) };
}

export interface Marker {
  readonly header: string;
  readonly value: string;
}

/** Runs fn, counting the HTTP responses to requests whose `header` contains the marker (fn adds it to its requests).
 *  Bytes are the socket's bytesRead between the request being sent and its response ending: exact on a keep-alive
 *  socket, since HTTP/1.1 responses on one socket never interleave. */
export async function measureHttpResponses(fn: (marker: Marker) => Promise<void>, header = 'x-tfss-measure'): Promise<{ requests: number; responseBytes: number }> {
  const marker: Marker = { header, value: `tfss-measure-${randomBytes(6).toString('hex')}` };
  let requests = 0;
  let responseBytes = 0;
  const pending = new Set<Promise<void>>();
  const onStart = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    if (!String(request.getHeader(marker.header) ?? '').includes(marker.value)) return;
    requests++;
    const done = new Promise<void>((resolve) => {
      const track = (socket: { bytesRead: number }) => {
        const before = socket.bytesRead;
        request.once('response', (res: IncomingMessage) => {
          const finish = () => { responseBytes += socket.bytesRead - before; resolve(); };
          res.once('end', finish);
          res.once('close', () => resolve());
        });
      };
      request.once('error', () => resolve());
      if (request.socket) track(request.socket);
      else request.once('socket', track);
    });
    pending.add(done);
  };
  diagnosticsChannel.subscribe('http.client.request.start', onStart);
  try {
    await fn(marker);
    await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 2000))]);
  } finally {
    diagnosticsChannel.unsubscribe('http.client.request.start', onStart);
  }
  return { requests, responseBytes };
}
