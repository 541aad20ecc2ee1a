// Which Docker engine to talk to, the way the docker CLI decides: DOCKER_HOST, then DOCKER_CONTEXT, then the
// current context in ~/.docker/config.json (its endpoint in ~/.docker/contexts/meta/<sha256(name)>/meta.json),
// then the default local socket.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface DockerEndpoint {
  /** dockerode connection options. */
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https' | 'ssh';
  /** Where the endpoint came from and what it is, for messages: `unix:///var/run/docker.sock (default)`. */
  readonly description: string;
}

export function parseDockerHost(uri: string, origin: string): DockerEndpoint {
  const u = uri.trim();
  if (u.startsWith('unix://')) return { socketPath: u.slice('unix://'.length), description: `${u} (${origin})` };
  if (u.startsWith('npipe://')) return { socketPath: u.slice('npipe://'.length).replace(/\//g, '\\'), description: `${u} (${origin})` };
  const m = /^(tcp|http|https|ssh):\/\/(?:[^@/]+@)?([^:/]+|\[[^\]]+\])(?::(\d+))?/.exec(u);
  if (!m) throw new Error(`Cannot read the Docker host "${u}" (${origin}): expected unix://, tcp://, https:// or ssh://.`);
  const protocol = m[1] === 'tcp' || m[1] === 'http' ? 'http' : (m[1] as 'https' | 'ssh');
  const port = m[3] ? Number(m[3]) : protocol === 'ssh' ? 22 : protocol === 'https' ? 2376 : 2375;
  return { host: m[2], port, protocol, description: `${u} (${origin})` };
}

export function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): DockerEndpoint {
  if (env.DOCKER_HOST) return parseDockerHost(env.DOCKER_HOST, 'DOCKER_HOST');
  const configDir = env.DOCKER_CONFIG || path.join(home, '.docker');
  let context = env.DOCKER_CONTEXT;
  if (!context) {
    try {
      context = (JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: string }).currentContext;
    } catch {
      context = undefined;
    }
  }
  if (context && context !== 'default') {
    const dir = createHash('sha256').update(context).digest('hex');
    const metaFile = path.join(configDir, 'contexts', 'meta', dir, 'meta.json');
    let host: string | undefined;
    try {
      host = (JSON.parse(fs.readFileSync(metaFile, 'utf8')) as { Endpoints?: { docker?: { Host?: string } } }).Endpoints?.docker?.Host;
    } catch {
      throw new Error(`Docker context "${context}" is selected but ${metaFile} cannot be read; run "docker context use default" or fix the context.`);
    }
    if (!host) throw new Error(`Docker context "${context}" has no Docker endpoint.`);
    return parseDockerHost(host, `context ${context}`);
  }
  return process.platform === 'win32'
    ? { socketPath: '\\\\.\\pipe\\docker_engine', description: 'npipe:////./pipe/docker_engine (default)' }
    : { socketPath: '/var/run/docker.sock', description: 'unix:///var/run/docker.sock (default)' };
}
