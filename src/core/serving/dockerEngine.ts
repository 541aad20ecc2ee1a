// The Docker engine as serving needs it: create/start/stop/remove tensorflow/serving containers, find them again,
// follow events and logs, and turn the engine's errors into ones a user can act on. dockerode is loaded lazily.
import * as fs from 'fs';
import * as path from 'path';
import type Dockerode from 'dockerode';
import type { ContainerPlan } from './containerCreateBody';
import { LABELS } from './containerCreateBody';
import { parseLocation, type ModelLocation } from '../location';
import { resolveDockerEndpoint, type DockerEndpoint } from './dockerHost';
import { DockerEngineError } from './dockerEngineError';
import { lineSplitter } from '../lineSplitter';
import { nextFreePort } from './portProbe';
import { containerName, hostAddress, hostUrl, type InspectedContainer } from './inspectedContainer';
import type { Readiness } from './modelReadiness';

export const SERVING_IMAGE_REPO = 'tensorflow/serving';

export interface ServingContainer extends LabelledContainer {
  readonly image: string;
  readonly imageTag: string;
  /** Started by this extension (found by label) or another tensorflow/serving container (found by image). */
  readonly ours: boolean;
  readonly modelName?: string;
  readonly sourceUri?: string;
  /** The model served, read back from the source label; compare with sameLocation. */
  readonly source?: ModelLocation;
  readonly restPort?: number;
  /** The REST root on this machine (http://127.0.0.1:<port>), when the REST port is published. */
  readonly restUrl?: string;
  /** host:port of the published gRPC port (8500 in the container), when it is published. */
  readonly grpcAddress?: string;
  readonly monitoringPath?: string;
}

export interface ContainerEvent {
  readonly id: string;
  /** start, die, stop, kill, destroy, create, pause, unpause, restart, health_status… */
  readonly action: string;
  readonly name?: string;
  readonly image?: string;
  readonly exitCode?: number;
  readonly time: number;
}

export interface LogLine { readonly stream: 'stdout' | 'stderr'; readonly text: string }

export interface PullProgress { readonly status: string; readonly id?: string; readonly current?: number; readonly total?: number }

export interface StartOptions {
  /** Write plan.files before creating (default true). */
  readonly writeFiles?: boolean;
  /** Pull a missing image when a registry answers (default true), reporting progress. */
  readonly pull?: boolean;
  readonly onPullProgress?: (p: PullProgress) => void;
}

export interface StartedContainer {
  readonly id: string;
  readonly name: string;
  readonly restUrl: string;
  readonly grpcAddress: string;
  readonly metricsUrl?: string;
}

/** tensorflow/serving[:tag], also behind a registry mirror (host:5000/tensorflow/serving:tag). */
export function isServingImage(image: string): boolean {
  const repo = image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^:/]+$/, '');
  return repo === SERVING_IMAGE_REPO || repo.endsWith(`/${SERVING_IMAGE_REPO}`) || repo === `docker.io/${SERVING_IMAGE_REPO}`;
}

const errText = (e: unknown) => {
  const any = e as { json?: { message?: string }; message?: string; reason?: string };
  return String(any?.json?.message ?? any?.message ?? e);
};
const statusCode = (e: unknown) => (e as { statusCode?: number })?.statusCode;

/** Splits Docker's multiplexed log stream (8-byte frame headers: stream, 0, 0, 0, size as uint32 BE). */
export function demuxDockerLog(buf: Buffer): LogLine[] {
  const out: LogLine[] = [];
  const push = (stream: 'stdout' | 'stderr', text: string) => {
    for (const line of text.split('\n')) if (line.length) out.push({ stream, text: line.replace(/\r$/, '') });
  };
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const size = buf.readUInt32BE(i + 4);
    push(buf[i] === 2 ? 'stderr' : 'stdout', buf.subarray(i + 8, i + 8 + size).toString('utf8'));
    i += 8 + size;
  }
  if (i === 0 && buf.length) push('stdout', buf.toString('utf8')); // a TTY container: not multiplexed
  return out;
}

/** A source label read back as a location; undefined when absent or not one we wrote. */
export function locationFromLabel(label: string | undefined): ModelLocation | undefined {
  if (!label) return undefined;
  try { return parseLocation(label); } catch { return undefined; }
}

/** Writes the config files a container mounts; whole files only (a polling server never reads half of one). */
export interface ConfigFileWriter {
  /** `readableByAnyUser`: the container reads the folder as another user (prom/prometheus runs as nobody). */
  write(file: string, content: string, options?: { readonly readableByAnyUser?: boolean }): Promise<void>;
}

/** The default writer: the local disk, each file written beside its target and renamed over it. */
export const diskFiles: ConfigFileWriter = {
  async write(file, content, options) {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // The folder may come from mkdtemp (0700).
    if (options?.readableByAnyUser) await fs.promises.chmod(path.dirname(file), 0o755);
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    await fs.promises.writeFile(tmp, content, { mode: 0o644 });
    await fs.promises.rename(tmp, file);
  },
};

export class DockerEngine {
  private constructor(readonly docker: Dockerode, readonly endpoint: DockerEndpoint, readonly files: ConfigFileWriter) {}

  /** Connects and pings; throws DockerEngineError('unreachable') naming the endpoint when nothing answers. */
  static async connect(endpoint: DockerEndpoint = resolveDockerEndpoint(), files: ConfigFileWriter = diskFiles): Promise<DockerEngine> {
    const { default: Docker } = await import('dockerode');
    const { description, ...options } = endpoint;
    const engine = new DockerEngine(new Docker(options), endpoint, files);
    await engine.ping();
    return engine;
  }

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (e) {
      throw new DockerEngineError('unreachable', `Docker is not answering at ${this.endpoint.description}: ${errText(e)}.`,
        'Start Docker (or Docker Desktop), or point DOCKER_HOST / "docker context use" at a running engine.');
    }
  }

  /** The GPU request this engine understands: the older `nvidia` runtime when the daemon lists it, else a device request. */
  async gpuMode(): Promise<'nvidia-runtime' | 'device-request'> {
    const info = (await this.docker.info()) as { Runtimes?: Record<string, unknown> };
    return info.Runtimes && 'nvidia' in info.Runtimes ? 'nvidia-runtime' : 'device-request';
  }

  async imagePresent(image: string): Promise<boolean> {
    try { await this.docker.getImage(image).inspect(); return true; } catch (e) {
      if (statusCode(e) === 404) return false;
      throw e;
    }
  }

  /** Pulls with progress; when no registry answers, says so plainly. */
  async pullImage(image: string, onProgress?: (p: PullProgress) => void): Promise<void> {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.pull(image);
    } catch (e) {
      const detail = errText(e).trim().replace(/\s*\.$/, '');
      if (/manifest unknown|not found|does not exist|pull access denied/i.test(detail)) {
        throw new DockerEngineError('image-missing', `Image ${image} is not on this Docker engine, and the registry has no such image (${detail}).`,
          'Check the tag: tensorflow/serving tags look like "2.17.0" or "latest", with "-gpu" for GPU images.');
      }
      throw new DockerEngineError('image-missing',
        `Image ${image} is not on this Docker engine and it could not be pulled: no registry answered (${detail}).`,
        'Connect to the network (or a registry mirror), or load the image with "docker load", then try again.');
    }
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
        const failed = err ?? output.find((o) => o.error)?.error;
        if (failed) reject(new DockerEngineError('image-missing', `Pulling ${image} failed: ${String(failed instanceof Error ? failed.message : failed)}.`, 'Check the tag and the registry.'));
        else resolve();
      }, (event: { status?: string; id?: string; progressDetail?: { current?: number; total?: number } }) => {
        onProgress?.({ status: event.status ?? '', id: event.id, current: event.progressDetail?.current, total: event.progressDetail?.total });
      });
    });
  }

  /** Writes the plan's files, creates the container and starts it, undoing the creation when the start fails. */
  async createAndStart(plan: ContainerPlan, options: StartOptions = {}): Promise<StartedContainer> {
    const body = plan.create;
    if (options.writeFiles !== false) {
      for (const f of plan.files) await this.files.write(f.path, f.content);
    }
    const info = await this.inspect(await this.createAndStartContainer(body, options));
    const rest = body.HostConfig.PortBindings['8501/tcp']?.[0];
    const grpc = body.HostConfig.PortBindings['8500/tcp']?.[0];
    const restUrl = hostUrl(rest?.HostIp, rest?.HostPort ?? '');
    const metricsPath = body.Labels[LABELS.monitoringPath];
    return {
      id: info.Id,
      name: containerName(info),
      restUrl,
      grpcAddress: hostAddress(grpc?.HostIp, grpc?.HostPort ?? ''),
      metricsUrl: metricsPath ? restUrl + metricsPath : undefined,
    };
  }

  private imageMissing(image: string): DockerEngineError {
    return new DockerEngineError('image-missing', `Image ${image} is not on this Docker engine.`, `Pull it ("docker pull ${image}") or load it, then try again.`);
  }

  /** Port clash found before creating anything: a local listener or another container publishing the port. */
  private async checkPortsBeforeCreate(body: AnyCreateBody): Promise<void> {
    const local = !this.endpoint.host; // a socket: the engine publishes ports on this machine
    const published = await this.publishedPorts();
    // The suggestion must not be one of the ports this same container asks for.
    const requested = new Set(Object.values(body.HostConfig.PortBindings ?? {}).flat().map((b) => Number(b.HostPort)));
    for (const bindings of Object.values(body.HostConfig.PortBindings ?? {})) {
      for (const b of bindings) {
        const port = Number(b.HostPort);
        const used = published.has(port) || (local && !(await nextFreePort(port, b.HostIp || '0.0.0.0', new Set(), 1)));
        if (used) throw await this.portTaken(port, b.HostIp, published, requested);
      }
    }
  }

  private async portTaken(port: number, hostIp: string | undefined, published?: Set<number>, requested: Set<number> = new Set()): Promise<DockerEngineError> {
    const taken = new Set([...(published ?? (await this.publishedPorts().catch(() => new Set<number>()))), ...requested]);
    const suggestion = await nextFreePort(port + 1, hostIp || '127.0.0.1', taken);
    return new DockerEngineError('port-taken', `Port ${port} on ${hostIp || 'all interfaces'} is already in use.`,
      suggestion ? `Use port ${suggestion}, the next free one.` : 'Choose another port.', { port, suggestedPort: suggestion });
  }

  private async publishedPorts(): Promise<Set<number>> {
    const set = new Set<number>();
    for (const c of await this.docker.listContainers({ all: false })) for (const p of c.Ports ?? []) if (p.PublicPort) set.add(p.PublicPort);
    return set;
  }

  private async explainCreateError(e: unknown, body: AnyCreateBody): Promise<Error> {
    const text = errText(e);
    if (statusCode(e) === 409 && /name .* is already in use/i.test(text)) {
      const base = body.name ?? 'tfserving';
      let n = 2;
      const names = new Set((await this.docker.listContainers({ all: true })).flatMap((c) => c.Names.map((x) => x.replace(/^\//, ''))));
      while (names.has(`${base}-${n}`)) n++;
      return new DockerEngineError('name-clash', `A container named "${base}" already exists.`, `Remove it, or use the name "${base}-${n}".`, { suggestedName: `${base}-${n}` });
    }
    if (statusCode(e) === 404 && /no such image/i.test(text)) return this.imageMissing(body.Image);
    if (/unknown runtime specified nvidia/i.test(text)) return this.gpuUnavailable(text, false);
    return new DockerEngineError('failed', `Docker refused to create the container: ${text}`);
  }

  private async explainStartError(e: unknown, body: AnyCreateBody): Promise<Error> {
    const text = errText(e);
    if (/could not select device driver "nvidia"|unknown runtime specified nvidia|nvidia-container-cli/i.test(text)) return this.gpuUnavailable(text);
    const m = /(?:Bind for|listen tcp4?|listen tcp6?) \[?([0-9a-f.:]*)\]?:(\d+)[^]*?(?:port is already allocated|address already in use)/i.exec(text);
    if (m) return this.portTaken(Number(m[2]), m[1] || undefined, undefined, new Set(Object.values(body.HostConfig.PortBindings ?? {}).flat().map((b) => Number(b.HostPort))));
    return new DockerEngineError('failed', `Docker could not start the container: ${text}`);
  }

  private gpuUnavailable(text: string, removed = true): DockerEngineError {
    // Docker's own words, whole (the doctor matches them): `could not select device driver "nvidia" with capabilities: [[gpu]]`.
    const why = text.replace(/^.*?(could not select device driver "[^"]*"(?: with capabilities: \[\[[^\]]*\]\])?|unknown (?:or invalid )?runtime(?: name)?[^:]*(?:: nvidia)?).*$/is, '$1').trim();
    return new DockerEngineError('gpu-unavailable',
      `This Docker engine has no NVIDIA GPU support (${why})${removed ? '; the container was removed' : ''}.`,
      'Install the NVIDIA driver and the NVIDIA Container Toolkit on the Docker host, or start the CPU image instead.');
  }

  /**
   * Waits until the container's REST port answers `ready()` (true = serving), or fails with the last log lines and
   * the exit reason when the container stops first, or at once when `ready()` says the model failed to load.
   */
  async waitUntilReady(id: string, ready: () => Promise<Readiness>, timeoutMs = 60_000, pollMs = 200): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // A probe hanging on docker-proxy holds no ref'd handle (AbortSignal.timeout is unref'd): keep a CLI process alive.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      await this.waitLoop(id, ready, deadline, timeoutMs, pollMs);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async waitLoop(id: string, ready: () => Promise<Readiness>, deadline: number, timeoutMs: number, pollMs: number): Promise<void> {
    for (;;) {
      const info = await this.inspect(id);
      if (!info.State.Running && info.State.Status !== 'created') {
        // The reason may sit above a long usage listing (as after an unknown flag): search further back than we show.
        const all = (await this.lastLogLines(id, 200)).map((l) => l.text);
        const lines = all.slice(-20);
        const reason = all.filter((l) => /error|failed|unknown argument|not found/i.test(l)).pop() ?? lines[lines.length - 1] ?? 'no output';
        throw new DockerEngineError('exited-at-start',
          `The container stopped at start (exit code ${info.State.ExitCode}${info.State.OOMKilled ? ', out of memory' : ''}): ${reason}`,
          'Read the last log lines below; a wrong flag, a missing model folder or a bad config file are the usual causes.',
          { exitCode: info.State.ExitCode, lastLogLines: lines });
      }
      const answer = await ready().catch(() => false);
      if (answer === true) return;
      if (typeof answer === 'object') {
        throw new DockerEngineError('model-failed', `The server runs, but its model failed to load (${answer.failed}).`,
          'Read its logs (or Diagnose Server in the Serving view); fix the model or its flags, then start it again.');
      }
      if (Date.now() > deadline) throw new DockerEngineError('failed', `The server did not become ready within ${Math.round(timeoutMs / 1000)} s.`, 'Open its logs to see what it is doing.');
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Docker's inspect answer, typed as serving reads it. */
  async inspect(id: string): Promise<InspectedContainer> {
    return this.wrap(id, async (c) => (await c.inspect()) as unknown as InspectedContainer);
  }

  async start(id: string): Promise<void> { await this.wrap(id, (c) => c.start()); }
  async stop(id: string, timeoutSeconds = 10): Promise<void> {
    await this.wrap(id, (c) => c.stop({ t: timeoutSeconds })).catch((e) => { if (statusCode(e) !== 304) throw e; });
  }
  async restart(id: string, timeoutSeconds = 10): Promise<void> { await this.wrap(id, (c) => c.restart({ t: timeoutSeconds })); }
  async remove(id: string, force = true): Promise<void> { await this.wrap(id, (c) => c.remove({ force })); }

  private async wrap<T>(id: string, op: (c: Dockerode.Container) => Promise<T>): Promise<T> {
    try { return await op(this.docker.getContainer(id)); } catch (e) {
      if (statusCode(e) === 404) throw new DockerEngineError('not-found', `Container ${id.slice(0, 12)} no longer exists.`);
      throw e;
    }
  }

  /** Ours (by label) and every other container made from a tensorflow/serving image. */
  async listServingContainers(): Promise<ServingContainer[]> {
    const [ours, all] = await Promise.all([
      this.docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`] } }),
      this.docker.listContainers({ all: true }),
    ]);
    const ourIds = new Set(ours.map((c) => c.Id));
    const others = all.filter((c) => !ourIds.has(c.Id) && isServingImage(c.Image));
    return [...ours, ...others].map((c) => {
      const labels = c.Labels ?? {};
      const ourLabel = ourIds.has(c.Id);
      const tag = /:([^:/]+)$/.exec(c.Image)?.[1] ?? 'latest';
      const rest = publishedPort(c, labels[LABELS.restPort], 8501);
      const grpc = publishedPort(c, labels[LABELS.grpcPort], 8500);
      return {
        ...labelledOf(c),
        image: c.Image,
        imageTag: tag,
        ours: ourLabel,
        modelName: labels[LABELS.modelName],
        sourceUri: labels[LABELS.sourceUri],
        source: locationFromLabel(labels[LABELS.sourceUri]),
        restPort: rest.port,
        restUrl: rest.port ? hostUrl(rest.ip, rest.port) : undefined,
        grpcAddress: grpc.port ? hostAddress(grpc.ip, grpc.port) : undefined,
        monitoringPath: labels[LABELS.monitoringPath] || undefined,
      };
    });
  }

  /** Container events for tensorflow/serving containers, pushed by the engine (no polling). */
  async subscribeEvents(onEvent: (e: ContainerEvent) => void, onError?: (e: Error) => void): Promise<{ close(): void }> {
    const stream = (await this.docker.getEvents({ filters: { type: ['container'] } })) as NodeJS.ReadableStream & { destroy?: () => void };
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        let ev: { Action?: string; status?: string; id?: string; time?: number; timeNano?: number; Actor?: { ID?: string; Attributes?: Record<string, string> } };
        try { ev = JSON.parse(line); } catch { continue; }
        const attrs = ev.Actor?.Attributes ?? {};
        const image = attrs.image ?? '';
        if (!(attrs[LABELS.managed] === 'true' || isServingImage(image))) continue;
        onEvent({
          id: ev.Actor?.ID ?? ev.id ?? '',
          action: (ev.Action ?? ev.status ?? '').split(':')[0],
          name: attrs.name,
          image,
          exitCode: attrs.exitCode !== undefined ? Number(attrs.exitCode) : undefined,
          time: ev.timeNano ? Math.floor(ev.timeNano / 1e6) : (ev.time ?? 0) * 1000,
        });
      }
    });
    stream.on('error', (e: Error) => onError?.(e));
    return { close: () => stream.destroy?.() };
  }

  /** The last `tail` log lines, stdout and stderr told apart. */
  async lastLogLines(id: string, tail = 50): Promise<LogLine[]> {
    const buf = (await this.docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
    return demuxDockerLog(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
  }

  /** Follows the logs (from the last `tail` lines on), one callback per line. */
  async followLogs(id: string, onLine: (l: LogLine) => void, tail = 200): Promise<{ close(): void }> {
    const stream = (await this.docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: true })) as NodeJS.ReadableStream & { destroy?: () => void };
    const out = await lineWritable((text) => onLine({ stream: 'stdout', text }));
    const err = await lineWritable((text) => onLine({ stream: 'stderr', text }));
    this.docker.modem.demuxStream(stream, out.stream, err.stream);
    return { close: () => stream.destroy?.() };
  }

  // Any container, not only TF Serving: Prometheus beside a server, a one-shot conversion run. Same engine, same
  // error words, so nothing else in the project talks to dockerode.

  /** The image is on the engine afterwards: pulled when missing (unless `pull` is false, then a plain instruction). */
  async ensureImage(image: string, options: Pick<StartOptions, 'pull' | 'onPullProgress'> = {}): Promise<void> {
    if (await this.imagePresent(image)) return;
    if (options.pull === false) throw this.imageMissing(image);
    await this.pullImage(image, options.onPullProgress);
  }

  /** Containers carrying a label (`key` or `key=value`), running or not. */
  async listLabelled(label: string): Promise<LabelledContainer[]> {
    return (await this.docker.listContainers({ all: true, filters: { label: [label] } })).map(labelledOf);
  }

  /** Docker's inspect answer, or undefined when no container has that id or name. */
  async inspectIfPresent(idOrName: string): Promise<InspectedContainer | undefined> {
    return this.inspect(idOrName).catch((e: unknown) => {
      if (e instanceof DockerEngineError && e.kind === 'not-found') return undefined;
      throw e;
    });
  }

  /**
   * Checks the ports, pulls a missing image (unless `pull` is false), creates the container and starts it; a failed
   * start removes it again. Returns its id.
   */
  async createAndStartContainer(body: AnyCreateBody, options: Pick<StartOptions, 'pull' | 'onPullProgress'> = {}): Promise<string> {
    await this.checkPortsBeforeCreate(body);
    await this.ensureImage(body.Image, options);
    let container: Dockerode.Container;
    try {
      container = await this.docker.createContainer(body as Dockerode.ContainerCreateOptions);
    } catch (e) {
      throw await this.explainCreateError(e, body);
    }
    try {
      await container.start();
    } catch (e) {
      await container.remove({ force: true }).catch(() => undefined);
      throw await this.explainStartError(e, body);
    }
    return container.id;
  }

  /**
   * Runs a container to its end, one callback per output line; an abort kills it. The container is removed
   * whatever happens. `cancelled` is true when the signal ended it.
   */
  async runToExit(body: AnyCreateBody, options: { onLine: (l: LogLine) => void; signal?: AbortSignal }): Promise<{ exitCode: number; cancelled: boolean }> {
    let container: Dockerode.Container;
    try {
      container = await this.docker.createContainer(body as Dockerode.ContainerCreateOptions);
    } catch (e) {
      throw await this.explainCreateError(e, body);
    }
    let cancelled = false;
    const onAbort = () => {
      cancelled = true;
      container.kill().catch(() => undefined);
    };
    try {
      const stream = await container.attach({ stream: true, stdout: true, stderr: true, logs: true });
      const ended = new Promise<void>((resolve) => { stream.on('end', resolve); stream.on('close', resolve); stream.on('error', () => resolve()); });
      const out = await lineWritable((text) => options.onLine({ stream: 'stdout', text }));
      const err = await lineWritable((text) => options.onLine({ stream: 'stderr', text }));
      this.docker.modem.demuxStream(stream, out.stream, err.stream);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await container.start();
      } catch (e) {
        throw await this.explainStartError(e, body);
      }
      const status = (await container.wait()) as { StatusCode?: number };
      await ended;
      out.flush();
      err.flush();
      return { exitCode: status.StatusCode ?? -1, cancelled: cancelled || options.signal?.aborted === true };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  /** Creates a bridge network unless one by that name exists. */
  async ensureNetwork(network: { readonly Name: string; readonly Labels?: Record<string, string> }): Promise<void> {
    const existing = await this.docker.listNetworks({ filters: { name: [network.Name] } });
    if (existing.some((n) => n.Name === network.Name)) return;
    await this.docker.createNetwork({ Name: network.Name, Driver: 'bridge', Labels: network.Labels, CheckDuplicate: true });
  }

  /** Attaches a container to a network; one already attached is fine. */
  async connectToNetwork(network: string, container: string): Promise<void> {
    try {
      await this.docker.getNetwork(network).connect({ Container: container });
    } catch (e) {
      if (!/already exists|already attached/i.test(errText(e))) {
        throw new DockerEngineError('failed', `Could not attach ${container} to network ${network}: ${errText(e)}`);
      }
    }
  }

  /** Detaches every container from a network and removes it; an absent network is fine. */
  async removeNetwork(network: string): Promise<void> {
    const n = this.docker.getNetwork(network);
    const details = (await n.inspect().catch(() => undefined)) as { Containers?: Record<string, unknown> } | undefined;
    if (!details) return;
    for (const id of Object.keys(details.Containers ?? {})) await n.disconnect({ Container: id, Force: true }).catch(() => undefined);
    await n.remove().catch(() => undefined);
  }
}

/** What the engine reads of any create body: its name, image and published ports; the rest goes to Docker as is. */
export interface AnyCreateBody {
  readonly name?: string;
  readonly Image: string;
  readonly HostConfig: { readonly PortBindings?: Readonly<Record<string, readonly { HostIp: string; HostPort: string }[]>> } & object;
}

/** A container as Docker lists it, in our words. */
export interface LabelledContainer {
  readonly id: string;
  readonly name: string;
  /** Docker's state word: created, running, exited, paused, restarting, removing, dead. */
  readonly state: string;
  readonly status: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: { readonly containerPort: number; readonly hostIp?: string; readonly hostPort?: number }[];
}

function labelledOf(c: Dockerode.ContainerInfo): LabelledContainer {
  return {
    id: c.Id,
    name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
    state: c.State,
    status: c.Status,
    labels: c.Labels ?? {},
    ports: (c.Ports ?? []).map((p) => ({ containerPort: p.PrivatePort, hostIp: p.IP, hostPort: p.PublicPort })),
  };
}

/** The host port a container port is published on (our label's when set, else Docker's), and the host IP bound. */
function publishedPort(c: Dockerode.ContainerInfo, labelled: string | undefined, containerPort: number): { port?: number; ip?: string } {
  const port = labelled ? Number(labelled) : (c.Ports ?? []).find((p) => p.PrivatePort === containerPort)?.PublicPort;
  return { port, ip: (c.Ports ?? []).find((p) => p.PrivatePort === containerPort && p.PublicPort === port)?.IP };
}

/** A stream for dockerode's demuxStream that hands on whole lines. */
async function lineWritable(onLine: (text: string) => void): Promise<{ stream: NodeJS.WritableStream; flush(): void }> {
  const { Writable } = await import('stream');
  const lines = lineSplitter(onLine);
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk); done(); } });
  return { stream, flush: () => lines.flush() };
}
