// What the doctor reads about a container: its last log lines, how Docker ran it, and the folders its log names,
// looked at on this machine through its bind mounts. Used by the editor and `tfserving-studio doctor` alike.
import * as fs from 'fs';
import * as path from 'path';
import type { DockerEngine } from '../serving/dockerEngine';
import { flagValue, hostUrl, type InspectedContainer } from '../serving/inspectedContainer';
import type { Evidence, FolderListing } from './diagnosis';
import { diagnose, pathsNamed } from './diagnose';
import type { Diagnosis } from './diagnosis';
import { LABELS } from '../serving/containerCreateBody';

/** Entries of a local folder, sub-folders with a trailing '/'; undefined when it cannot be read. */
export function listFolder(dir: string): string[] | undefined {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name)).sort();
  } catch {
    return undefined;
  }
}

/** The host path behind a container path, through the deepest bind mount that covers it. */
export function hostPathOf(containerPath: string, mounts: readonly { source: string; target: string }[]): string | undefined {
  const m = mounts.filter((x) => containerPath === x.target || containerPath.startsWith(`${x.target.replace(/\/+$/, '')}/`))
    .sort((a, b) => b.target.length - a.target.length)[0];
  return m ? path.posix.join(m.source, path.posix.relative(m.target, containerPath)) : undefined;
}

/** Folders named by the lines (and the mount roots above them), listed on this machine when they are local. */
export function foldersFor(lines: readonly string[], mounts: readonly { source: string; target: string }[], local: boolean): FolderListing[] {
  const out: FolderListing[] = [];
  const seen = new Set<string>();
  const add = (servedPath: string, hostDir: string | undefined) => {
    if (seen.has(servedPath)) return;
    seen.add(servedPath);
    const entries = hostDir && local ? listFolder(hostDir) : undefined;
    if (entries) out.push({ servedPath, hostDir, entries });
  };
  for (const p of pathsNamed(lines)) {
    add(p, mounts.length ? hostPathOf(p, mounts) : p);
    for (const m of mounts) if (p.startsWith(`${m.target.replace(/\/+$/, '')}/`)) add(m.target, m.source);
  }
  return out;
}

export function containerSummary(info: InspectedContainer): NonNullable<Evidence['container']> {
  const env = Object.fromEntries((info.Config.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const mounts = (info.Mounts ?? []).map((m) => ({ source: m.Source, target: m.Destination }));
  return {
    name: info.Name.replace(/^\//, ''), image: info.Config.Image, cmd: [...(info.Config.Cmd ?? [])], env, mounts,
    gpu: Boolean(info.HostConfig.DeviceRequests?.length) || info.HostConfig.Runtime === 'nvidia',
    running: info.State.Running, exitCode: info.State.Running ? undefined : info.State.ExitCode,
  };
}

/** Evidence about a container: inspect, the last `tail` log lines, and `extraLines` (status or request errors). */
export async function containerEvidence(engine: DockerEngine, id: string, extra: Partial<Pick<Evidence, 'signatures' | 'request'>> & { lines?: readonly string[] } = {}, tail = 300): Promise<Evidence> {
  const info = await engine.inspect(id);
  const container = containerSummary(info);
  const logs = (await engine.lastLogLines(id, tail)).map((l) => l.text);
  const lines = [...logs, ...(extra.lines ?? [])];
  // Bind-mount sources are paths on the Docker host: look into them only when that host is this machine.
  const local = !engine.endpoint.host;
  return { lines, container, folders: foldersFor(lines, container.mounts, local), signatures: extra.signatures, request: extra.request };
}

/** Evidence from a log file (a server run outside Docker, or `docker logs` saved to a file). */
export function logFileEvidence(text: string): Evidence {
  const lines = text.split(/\r?\n/).filter((l) => l.length);
  return { lines, folders: foldersFor(lines, [], true) };
}

/** The error messages of a running server's model versions (END with an error), as its REST status reports them. */
export async function statusLines(info: InspectedContainer, timeoutMs = 2000): Promise<string[]> {
  const c = containerSummary(info);
  const model = info.Config.Labels?.[LABELS.modelName] ?? flagValue(c.cmd, 'model_name') ?? c.env.MODEL_NAME;
  const rest = info.HostConfig.PortBindings?.['8501/tcp']?.[0];
  if (!c.running || !model || !rest?.HostPort) return [];
  const { TfServingClient } = await import('../serving/tfServingClient');
  try {
    const status = await new TfServingClient(hostUrl(rest.HostIp, rest.HostPort), timeoutMs).status(model);
    return status.value.filter((v) => v.status?.error_message).map((v) => `version ${v.version} of ${model} is ${v.state}: ${v.status.error_code}: ${v.status.error_message}`);
  } catch (e) {
    return [`GET /v1/models/${model}: ${(e as Error).message}`];
  }
}

/** Asks a running server for its Prometheus page where Studio expects it; a 404 becomes the line the doctor reads. */
export async function metricsLines(info: InspectedContainer, timeoutMs = 2000): Promise<string[]> {
  const rest = info.HostConfig.PortBindings?.['8501/tcp']?.[0];
  if (!info.State.Running || !rest?.HostPort) return [];
  const { TfServingClient } = await import('../serving/tfServingClient');
  const { DEFAULT_PROMETHEUS_PATH } = await import('../configs/monitoringConfig');
  const metricsPath = info.Config.Labels?.[LABELS.monitoringPath] || DEFAULT_PROMETHEUS_PATH;
  try {
    await new TfServingClient(hostUrl(rest.HostIp, rest.HostPort), timeoutMs).metrics(metricsPath);
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

/**
 * The doctor on a container, as the editor and `tfserving-studio doctor` both run it: log, inspect, model status,
 * the metrics page when `probeMetrics`, plus `extra` lines (a failed request's error).
 */
export async function diagnoseContainer(engine: DockerEngine, id: string, options: { probeMetrics?: boolean; extra?: Partial<Pick<Evidence, 'signatures' | 'request'>> & { lines?: readonly string[] } } = {}): Promise<Diagnosis[]> {
  const info = await engine.inspect(id);
  const lines = [...await statusLines(info), ...(options.probeMetrics ? await metricsLines(info) : []), ...(options.extra?.lines ?? [])];
  return diagnose(await containerEvidence(engine, info.Id, { ...options.extra, lines }));
}
