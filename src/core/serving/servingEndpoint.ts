// A server named on a command line ("127.0.0.1:8501", "http://host:8501", "grpc://127.0.0.1:8500") → the
// ServingClient for the chosen API. One place for the CLI's reading of addresses; the editor takes them from Docker.
import type { ServingClient, ServingProtocol } from './servingClient';

/** The gRPC host:port, or the REST root URL, a target names. */
export function parseServingTarget(target: string, protocol: ServingProtocol): string {
  const t = target.trim();
  if (protocol === 'grpc') {
    const hostPort = t.replace(/^grpc:\/\//, '').replace(/\/+$/, '');
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(hostPort)) {
      throw new Error(`"${target}" is not a gRPC address: give host:port of the gRPC port, e.g. 127.0.0.1:8500.`);
    }
    return hostPort;
  }
  const url = /^https?:\/\//.test(t) ? t : `http://${t}`;
  let parsed: URL | undefined;
  try { parsed = new URL(url); } catch { /* said below */ }
  if (!parsed || (!/^https?:\/\//.test(t) && !parsed.port)) {
    throw new Error(`"${target}" is not a REST address: give host:port or the URL of the REST port, e.g. http://127.0.0.1:8501.`);
  }
  return url.replace(/\/+$/, '');
}

export async function servingClientFor(target: string, protocol: ServingProtocol, timeoutMs?: number): Promise<ServingClient> {
  const address = parseServingTarget(target, protocol);
  if (protocol === 'grpc') {
    const { GrpcServingClient } = await import('../grpc/grpcServingClient');
    return new GrpcServingClient(address, { timeoutMs });
  }
  const { TfServingClient } = await import('./tfServingClient');
  return new TfServingClient(address, timeoutMs);
}
