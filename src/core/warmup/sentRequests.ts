// The predict requests Send Test Request sent, kept per model (in memory, newest last, bounded), so "Generate
// Warmup Requests…" can replay what the user really asks the model: as rows, they go through the same sample
// reader and checks as a JSON file of the user's.
import { MAX_WARMUP_RECORDS } from './warmupFile';

interface SentInstances {
  readonly signature: string;
  readonly instances: readonly unknown[];
}

/** A REST predict body's examples as rows: `instances` as they are, columnar `inputs` split along the batch axis. */
export function instancesOfBody(body: unknown): unknown[] | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const b = body as { instances?: unknown; inputs?: unknown };
  if (Array.isArray(b.instances)) return b.instances;
  if (Array.isArray(b.inputs)) return b.inputs;
  if (b.inputs && typeof b.inputs === 'object') {
    const columns = Object.entries(b.inputs as Record<string, unknown>);
    if (!columns.length || !columns.every(([, v]) => Array.isArray(v) && v.length === (columns[0][1] as unknown[]).length)) return undefined;
    return (columns[0][1] as unknown[]).map((_, i) => Object.fromEntries(columns.map(([k, v]) => [k, (v as unknown[])[i]])));
  }
  return undefined;
}

export class SentRequestLog {
  private readonly byModel = new Map<string, SentInstances[]>();

  constructor(private readonly maxInstancesPerModel = MAX_WARMUP_RECORDS) {}

  /** Records a request that TF Serving answered; bodies that are not predict bodies are ignored. */
  record(model: string, body: unknown): void {
    const instances = instancesOfBody(body);
    if (!instances?.length) return;
    const signature = (body as { signature_name?: unknown }).signature_name;
    const list = this.byModel.get(model) ?? [];
    list.push({ signature: typeof signature === 'string' && signature ? signature : 'serving_default', instances });
    while (list.reduce((n, s) => n + s.instances.length, 0) > this.maxInstancesPerModel && list.length > 1) list.shift();
    this.byModel.set(model, list);
  }

  /** The examples sent to `model` for `signature`, oldest first. */
  instances(model: string, signature: string): unknown[] {
    return (this.byModel.get(model) ?? []).filter((s) => s.signature === signature).flatMap((s) => s.instances);
  }

  /** How many examples were sent to `model`, any signature (for the picker's label). */
  count(model: string): number {
    return (this.byModel.get(model) ?? []).reduce((n, s) => n + s.instances.length, 0);
  }
}
