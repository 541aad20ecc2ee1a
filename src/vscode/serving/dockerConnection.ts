// Connects to the Docker engine the user means: the tfServing.docker.host setting, else DOCKER_HOST, the current
// docker context, or the default socket. dockerode loads here, on first use, never at activation.
import { SETTINGS } from '../contributions';
import { readDockerHost } from '../settings';
import type { DockerEngine } from '../../core/serving/dockerEngine';

export async function connectDocker(): Promise<DockerEngine> {
  const { DockerEngine: Engine } = await import('../../core/serving/dockerEngine');
  const { parseDockerHost, resolveDockerEndpoint } = await import('../../core/serving/dockerHost');
  const host = readDockerHost();
  return Engine.connect(host ? parseDockerHost(host, `setting ${SETTINGS.dockerHost}`) : resolveDockerEndpoint());
}
