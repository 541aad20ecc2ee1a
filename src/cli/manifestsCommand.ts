// `tfserving-studio manifests <modelUri> …`: Kubernetes manifests for a model in a bucket (or on a volume claim).
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';

const USAGE = 'manifests <gs://…|s3://…|pvc:<claim>[/subPath]> [--name MODEL] [--replicas N] [--gpu] [--tag T] [--service-type ClusterIP|NodePort|LoadBalancer] [--hpa] [--pdb] [--namespace NS] [--region R] [--endpoint URL] [--versions 1,2] [--label stable=1]… [--out FILE [--force]]';

export const manifestsCommand: CliCommand = {
  name: 'manifests',
  usage: USAGE,
  summary: 'Write Kubernetes manifests (Deployment, ConfigMap, Service, optional HPA/PDB) serving a model from a bucket.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, {
      values: ['name', 'replicas', 'tag', 'service-type', 'namespace', 'region', 'endpoint', 'versions', 'label', 'out'],
      booleans: ['gpu', 'hpa', 'pdb', 'force'], positional: [1, 1],
    });
    const one = (n: string) => flags.get(n)?.at(-1);
    const { generateManifests } = await import('../core/k8s/manifestGenerator');
    const { parseLabelAssignment } = await import('../core/serving/versionLabels');
    const uri = positional[0].replace(/\/+$/, '');
    let source: import('../core/k8s/manifestGenerator').ManifestSource;
    let defaultName: string;
    if (uri.startsWith('gs://')) source = { kind: 'gcs', baseUri: uri };
    else if (uri.startsWith('s3://')) source = { kind: 's3', baseUri: uri, region: one('region'), endpoint: one('endpoint') };
    else if (uri.startsWith('pvc:')) {
      const [claimName, ...sub] = uri.slice(4).split('/');
      source = { kind: 'pvc', claimName, subPath: sub.length ? sub.join('/') : undefined };
    } else throw new Error(`"${positional[0]}" is not a gs://, s3:// or pvc:<claim> URI; a pod cannot read a folder on this machine.`);
    defaultName = uri.slice(uri.lastIndexOf('/') + 1);
    if (source.kind === 'pvc' && !source.subPath) defaultName = source.claimName;
    const replicasText = one('replicas');
    const replicas = replicasText === undefined ? undefined : /^\d+$/.test(replicasText) ? Number(replicasText) : NaN;
    if (Number.isNaN(replicas)) throw new Error(`--replicas needs a whole number (got "${replicasText}").`);
    const labels = Object.fromEntries((flags.get('label') ?? []).map(parseLabelAssignment));
    const versionList = one('versions')?.split(',').map((v) => { if (!/^\d+$/.test(v.trim())) throw new Error(`--versions takes numbers like 1,2 (got "${v}").`); return Number(v); });
    const versions = versionList ?? (Object.keys(labels).length ? [...new Set(Object.values(labels))] : undefined);
    const g = generateManifests({
      modelName: one('name') ?? defaultName,
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
