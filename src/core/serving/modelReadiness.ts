// Whether a starting server serves its model yet — or never will: TF Serving reports a version it gave up loading
// (after its load retries) as END with the load's error status, and waiting longer cannot change that.
import type { ServingClient } from './servingClient';
import { versionStatusError } from './tfServingClient';

export type Readiness = boolean | { readonly failed: string };

const STATUS_PROBE_MS = 1_500;

/** true: some version is AVAILABLE; `{ failed }`: every version ended in an error; false: not yet (or no answer). */
export async function modelReadiness(client: Pick<ServingClient, 'status'>, model: string): Promise<Readiness> {
  try {
    // One short call: while a container starts, docker-proxy may hold a connection unanswered.
    const versions = (await client.status(model, undefined, STATUS_PROBE_MS)).value;
    if (versions.some((v) => v.state === 'AVAILABLE')) return true;
    const failed = versions.filter((v) => v.state === 'END' && versionStatusError(v));
    if (!versions.length || failed.length !== versions.length) return false;
    return { failed: failed.map((v) => `version ${v.version}: ${versionStatusError(v)}`).join('; ') };
  } catch {
    return false;
  }
}
