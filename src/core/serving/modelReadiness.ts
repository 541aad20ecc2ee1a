// Whether a starting server serves its model yet — or never will: TF Serving reports a version it gave up loading
// (after its load retries) as END with the load's error status, and waiting longer cannot change that.
import type { ServingClient } from './servingClient';

export type Readiness = boolean | { readonly failed: string };

const STATUS_PROBE_MS = 1_500;

/** true: some version is AVAILABLE; `{ failed }`: every version ended in an error; false: not yet (or no answer). */
export async function modelReadiness(client: Pick<ServingClient, 'isAvailable' | 'status'>, model: string): Promise<Readiness> {
  if (await client.isAvailable(model)) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    // A short probe, as isAvailable's: while a container starts, docker-proxy may hold a connection unanswered.
    const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), STATUS_PROBE_MS); });
    const answer = await Promise.race([client.status(model), timeout]);
    const versions = answer?.value ?? [];
    const failed = versions.filter((v) => v.state === 'END' && v.status?.error_code && v.status.error_code !== 'OK');
    if (!versions.length || failed.length !== versions.length) return false;
    return { failed: failed.map((v) => `version ${v.version}: ${v.status.error_code}: ${v.status.error_message}`).join('; ') };
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
