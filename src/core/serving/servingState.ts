// What the editor's Serving view and Models view know about running TF Serving containers. Containers come from the
// Docker event stream (no polling); model status comes from each server's REST API, fetched only while a view
// that shows it is visible.
import type { DockerEngine, ServingContainer } from './dockerEngine';
import type { ModelVersionStatus, TfServingClient } from './tfServingClient';
import type { ServingClient, ServingProtocol } from './servingClient';
import { errorText } from '../errorText';
import { sameLocation, type ModelLocation } from '../location';

export interface ServedModelState {
  readonly modelName: string;
  readonly versions?: ModelVersionStatus[];
  readonly error?: string;
  /** The API the state was read over. */
  readonly protocol?: ServingProtocol;
}

/** Makes the REST client for a server root; injected so tests and benchmarks can count or fake requests. */
export type ServingClientFactory = (restUrl: string, timeoutMs?: number) => Promise<TfServingClient>;

/** The real client, its module loaded on first use. */
export const tfServingClients: ServingClientFactory = async (restUrl, timeoutMs) => {
  const { TfServingClient } = await import('./tfServingClient');
  return new TfServingClient(restUrl, timeoutMs);
};

/** Makes the gRPC client for a server's host:port. */
export type GrpcClientFactory = (address: string, timeoutMs?: number) => Promise<ServingClient>;

const grpcClients = new Map<string, Promise<ServingClient>>();
/** The real gRPC client, one per address and timeout (its channel stays open for the next call); loaded on first use. */
export const grpcServingClients: GrpcClientFactory = (address, timeoutMs) => {
  const key = `${address} ${timeoutMs ?? ''}`;
  let client = grpcClients.get(key);
  if (!client) {
    client = import('../grpc/grpcServingClient').then((m) => new m.GrpcServingClient(address, { timeoutMs }));
    grpcClients.set(key, client);
    client.catch(() => grpcClients.delete(key));
  }
  return client;
};

/** Which API each server is asked over, by container name (kept by the editor across sessions). */
export interface ServingProtocolChoices {
  get(containerName: string): ServingProtocol | undefined;
  set(containerName: string, protocol: ServingProtocol): PromiseLike<void> | void;
}

export interface ServingStateOptions {
  readonly statusIntervalMs?: number;
  readonly clientFor?: ServingClientFactory;
  readonly grpcClientFor?: GrpcClientFactory;
  readonly protocols?: ServingProtocolChoices;
}

export class ServingState {
  private readonly listeners = new Set<() => void>();
  private readonly changed = { fire: () => { for (const l of [...this.listeners]) l(); } };
  private enginePromise?: Promise<DockerEngine>;
  private events?: { close(): void };
  private statusTimer?: NodeJS.Timeout;
  private listing?: Promise<ServingContainer[]>;
  private relist = false;
  containers: ServingContainer[] = [];
  engineError?: string;
  readonly statuses = new Map<string, ServedModelState>();
  /** Docker API calls made, for the benchmark that checks a hidden view costs nothing. */
  apiCalls = 0;
  private watchers = 0;

  /** Subscribes to changes; the editor passes the result to its disposables. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private readonly statusIntervalMs: number;
  readonly clientFor: ServingClientFactory;
  readonly grpcClientFor: GrpcClientFactory;
  private readonly protocols: ServingProtocolChoices;

  constructor(private readonly connect: () => Promise<DockerEngine>, options: ServingStateOptions = {}) {
    this.statusIntervalMs = options.statusIntervalMs ?? 3000;
    this.clientFor = options.clientFor ?? tfServingClients;
    this.grpcClientFor = options.grpcClientFor ?? grpcServingClients;
    const chosen = new Map<string, ServingProtocol>();
    this.protocols = options.protocols ?? { get: (n) => chosen.get(n), set: (n, p) => void chosen.set(n, p) };
  }

  /** The API a server is asked over: the one chosen for it, else REST. */
  protocolOf(c: ServingContainer): ServingProtocol {
    return this.protocols.get(c.name) ?? 'rest';
  }

  /** Remembers the API for a server and reads its state again over it. */
  async setProtocol(c: ServingContainer, protocol: ServingProtocol): Promise<void> {
    await this.protocols.set(c.name, protocol);
    this.statuses.delete(c.id);
    this.changed.fire();
    await this.refreshStatuses();
  }

  /** The client of a container's server over its chosen API; undefined when that port is not published. */
  async clientOf(c: ServingContainer, timeoutMs?: number): Promise<ServingClient | undefined> {
    if (this.protocolOf(c) === 'grpc') return c.grpcAddress ? this.grpcClientFor(c.grpcAddress, timeoutMs) : undefined;
    return c.restUrl ? this.clientFor(c.restUrl, timeoutMs) : undefined;
  }

  /** Running containers with a known model whose chosen API can be reached. */
  reachable(): ServingContainer[] {
    return this.containers.filter((c) => c.state === 'running' && c.modelName && (this.protocolOf(c) === 'grpc' ? c.grpcAddress : c.restUrl));
  }

  engine(): Promise<DockerEngine> {
    if (!this.enginePromise) {
      this.enginePromise = this.connect();
      this.enginePromise.catch(() => (this.enginePromise = undefined));
    }
    return this.enginePromise;
  }

  /** A view that shows serving state became visible (+1) or hidden (-1); work runs only while some view watches. */
  async setWatching(visible: boolean): Promise<void> {
    this.watchers = Math.max(0, this.watchers + (visible ? 1 : -1));
    if (this.watchers > 0 && !this.events) await this.startWatching();
    else if (this.watchers === 0) this.stopWatching();
  }

  get watching(): boolean {
    return this.watchers > 0;
  }

  private async startWatching(): Promise<void> {
    try {
      const engine = await this.engine();
      this.apiCalls++;
      this.events = await engine.subscribeEvents(
        (e) => {
          void this.reload();
          // dockerd sends "die" before its container list says "exited": look again once the list has caught up.
          if (e.action === 'die') setTimeout(() => void this.reload(), 500).unref?.();
        },
        (e) => {
          this.events = undefined;
          this.engineError = errorText(e);
          this.changed.fire();
        },
      );
      this.engineError = undefined;
    } catch (e) {
      this.engineError = errorText(e);
    }
    await this.reload();
    this.statusTimer = setInterval(() => void this.refreshStatuses(), this.statusIntervalMs);
  }

  private stopWatching(): void {
    this.events?.close();
    this.events = undefined;
    clearInterval(this.statusTimer);
    this.statusTimer = undefined;
  }

  /** Lists containers again (after an event, an action, or on request) and then their model states. */
  async reload(): Promise<ServingContainer[]> {
    // An event during a listing may postdate what that listing saw (a container exiting right after its start):
    // list once more when it ends, so the last state always wins.
    if (this.listing) {
      this.relist = true;
      return this.listing;
    }
    this.listing = (async () => {
      try {
        const engine = await this.engine();
        this.apiCalls++;
        this.containers = await engine.listServingContainers();
        this.engineError = undefined;
      } catch (e) {
        this.containers = [];
        this.engineError = errorText(e);
      } finally {
        this.listing = undefined;
      }
      this.changed.fire();
      void this.refreshStatuses();
      if (this.relist) {
        this.relist = false;
        void this.reload();
      }
      return this.containers;
    })();
    return this.listing;
  }

  private async refreshStatuses(): Promise<void> {
    const running = this.reachable();
    let changed = false;
    await Promise.all(running.map(async (c) => {
      const protocol = this.protocolOf(c);
      let next: ServedModelState;
      try {
        const client = (await this.clientOf(c, 2000))!;
        next = { modelName: c.modelName!, versions: (await client.status(c.modelName!)).value, protocol };
      } catch (e) {
        next = { modelName: c.modelName!, error: errorText(e), protocol };
      }
      if (JSON.stringify(next) !== JSON.stringify(this.statuses.get(c.id))) {
        this.statuses.set(c.id, next);
        changed = true;
      }
    }));
    for (const id of [...this.statuses.keys()]) if (!running.some((c) => c.id === id)) { this.statuses.delete(id); changed = true; }
    if (changed) this.changed.fire();
  }

  /** Containers serving `model`, with the state of `version` in each. */
  servingOf(model: ModelLocation, version: number): { container: ServingContainer; state?: string }[] {
    return this.containers
      .filter((c) => c.state === 'running' && c.source !== undefined && sameLocation(c.source, model))
      .map((c) => ({ container: c, state: this.statuses.get(c.id)?.versions?.find((v) => Number(v.version) === version)?.state }))
      .filter((x) => x.state !== undefined);
  }

  dispose(): void {
    this.stopWatching();
    this.listeners.clear();
  }
}
