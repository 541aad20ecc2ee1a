// `tfserving-studio manifests <modelUri> …`: Kubernetes manifests for a model in a bucket (or on a volume claim).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';

const USAGE = 'manifests <gs://…|s3://…|pvc:<claim>[/subPath]|folder> [--name MODEL] [--replicas N] [--gpu] [--tag T] [--service-type ClusterIP|NodePort|LoadBalancer] [--hpa] [--pdb] [--namespace NS] [--region R] [--endpoint URL] [--versions 1,2] [--label stable=1]… [--out FILE [--force]]';

export const manifestsCommand: CliCommand = {
  name: 'manifests',
  usage: USAGE,
  summary: 'Write Kubernetes manifests (Deployment, ConfigMap, Service, optional HPA/PDB) serving a model from a bucket, a volume claim, or a folder to copy onto one.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, {
      values: ['name', 'replicas', 'tag', 'service-type', 'namespace', 'region', 'endpoint', 'versions', 'label', 'out'],
      booleans: ['gpu', 'hpa', 'pdb', 'force'], positional: [1, 1],
    });
    const one = (n: string) => flags.get(n)?.at(-1);
    const { generateManifests } = await import('../core/k8s/manifestGenerator');
    const { manifestInput } = await import('../core/k8s/manifestInput');
    const { parseVersionList } = await import('../core/names');
    const { parseLabelAssignment } = await import('../core/serving/versionLabels');
    const { modelName, source } = manifestInput(positional[0], { modelName: one('name'), region: one('region'), endpoint: one('endpoint'), cwd: io.cwd });
    const replicasText = one('replicas');
    const replicas = replicasText === undefined ? undefined : /^\d+$/.test(replicasText) ? Number(replicasText) : NaN;
    if (Number.isNaN(replicas)) throw new Error(`--replicas needs a whole number (got "${replicasText}").`);
    const labels = Object.fromEntries((flags.get('label') ?? []).map(parseLabelAssignment));
    const versionsText = one('versions');
    const versionList = versionsText === undefined ? undefined : parseVersionList(versionsText);
    const versions = versionList ?? (Object.keys(labels).length ? [...new Set(Object.values(labels))] : undefined);
    const g = generateManifests({
      modelName,
      source,
      replicas,
      device: flags.has('gpu') ? 'gpu' : 'cpu',
      imageTag: one('tag'),
      serviceType: one('service-type') as never,
      hpa: flags.has('hpa'),
      pdb: flags.has('pdb'),
      namespace: one('namespace'),
      versions: versions ? { policy: { kind: 'specific', versions }, labels } : undefined,
    });
    const out = one('out');
    if (!out) { io.out(g.yaml.replace(/\n$/, '')); return 0; }
    const target = resolve(io.cwd, out);
    if (existsSync(target) && !flags.has('force')) throw new Error(`${out} exists; pass --force to overwrite it.`);
    await writeFile(target, g.yaml);
    io.out(`Wrote ${out} (${g.documents.map((d) => d.kind).join(', ')}).`);
    for (const s of g.secrets) io.out(`Create the Secret first: ${s.command}`);
    return 0;
  },
};
