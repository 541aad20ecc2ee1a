// What Docker's inspect answers about a container, typed as far as serving reads it, and the one way back from
// that answer to a create body (a container re-created with a flag more keeps everything else Docker recorded).
import type { ContainerCreateBody, DeviceRequest, Mount, PortBinding } from './containerCreateBody';

export interface InspectedContainer {
  readonly Id: string;
  /** "/name", as Docker reports it. */
  readonly Name: string;
  readonly State: { readonly Status: string; readonly Running: boolean; readonly ExitCode: number; readonly OOMKilled?: boolean };
  readonly Config: {
    readonly Image: string;
    readonly Cmd?: readonly string[] | null;
    readonly Env?: readonly string[] | null;
    readonly Labels?: Readonly<Record<string, string>> | null;
    readonly ExposedPorts?: Readonly<Record<string, Record<string, never>>> | null;
  };
  readonly HostConfig: {
    readonly Mounts?: readonly { readonly Type?: string; readonly Source?: string; readonly Target?: string; readonly ReadOnly?: boolean }[] | null;
    readonly PortBindings?: Readonly<Record<string, readonly PortBinding[] | null>> | null;
    readonly Init?: boolean | null;
    readonly DeviceRequests?: readonly DeviceRequest[] | null;
    readonly Runtime?: string;
  };
  readonly Mounts?: readonly { readonly Source: string; readonly Destination: string }[];
}

export const containerName = (info: Pick<InspectedContainer, 'Name'>) => info.Name.replace(/^\//, '');

/** The create body that makes the same container again: name, image, command, env, labels, mounts, ports, GPU. */
export function createBodyFromInspect(info: InspectedContainer): ContainerCreateBody {
  const hc = info.HostConfig;
  const mounts: Mount[] = (hc.Mounts ?? []).map((m) => ({ Type: 'bind', Source: m.Source ?? '', Target: m.Target ?? '', ReadOnly: m.ReadOnly ?? false }));
  const ports: Record<string, PortBinding[]> = {};
  for (const [port, bindings] of Object.entries(hc.PortBindings ?? {})) if (bindings) ports[port] = bindings.map((b) => ({ HostIp: b.HostIp, HostPort: b.HostPort }));
  return {
    name: containerName(info),
    Image: info.Config.Image,
    Cmd: [...(info.Config.Cmd ?? [])],
    Env: [...(info.Config.Env ?? [])],
    ExposedPorts: { ...(info.Config.ExposedPorts ?? { '8500/tcp': {}, '8501/tcp': {} }) },
    Labels: { ...(info.Config.Labels ?? {}) },
    HostConfig: {
      Mounts: mounts,
      PortBindings: ports,
      Init: hc.Init ?? true,
      ...(hc.DeviceRequests?.length ? { DeviceRequests: hc.DeviceRequests.map((d) => ({ ...d, Capabilities: d.Capabilities.map((c) => [...c]) })) } : {}),
      ...(hc.Runtime && hc.Runtime !== 'runc' ? { Runtime: hc.Runtime } : {}),
    },
  };
}

/** The last value of a model server flag in a command (later flags win in TF's parser); 'true' for a bare one. */
export function flagValue(cmd: readonly string[], name: string): string | undefined {
  const a = [...cmd].reverse().find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  return a === undefined ? undefined : a.includes('=') ? a.slice(a.indexOf('=') + 1) : 'true';
}

/** The command without any form of the given flags. */
export function withoutFlags(cmd: readonly string[], names: readonly string[]): string[] {
  return cmd.filter((a) => !names.some((d) => a === `--${d}` || a.startsWith(`--${d}=`)));
}

/** host:port for a published port: an unspecified address (all interfaces) is reached on the loopback. */
export function hostAddress(hostIp: string | undefined, port: number | string): string {
  const host = !hostIp || hostIp === '0.0.0.0' || hostIp === '::' ? '127.0.0.1' : hostIp.includes(':') ? `[${hostIp}]` : hostIp;
  return `${host}:${port}`;
}

/** The REST root (or any HTTP URL) of a published port. */
export function hostUrl(hostIp: string | undefined, port: number | string): string {
  return `http://${hostAddress(hostIp, port)}`;
}
