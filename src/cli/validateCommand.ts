// `tfserving-studio validate <files…> [--json]`: the editor's checks for CI. One line per finding, exit 1 on errors.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';

export const validateCommand: CliCommand = {
  name: 'validate',
  usage: 'validate <files…> [--json]',
  summary: 'Check prometheus.yml, Kubernetes manifests and TF Serving configs; exit 1 on errors.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { booleans: ['json'], positional: [1, Infinity] });
    const { validateFiles } = await import('../core/validation/validateFiles');
    const { localFileHost } = await import('../core/validation/prometheus/configFileHost');
    const files = await Promise.all(positional.map(async (p) => {
      try {
        const absolutePath = resolve(io.cwd, p);
        return { path: p, text: await readFile(absolutePath, 'utf8'), absolutePath };
      } catch (e) {
        throw new Error(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }));
    const findings = validateFiles(files, { host: localFileHost });
    if (flags.has('json')) io.out(JSON.stringify(findings, null, 2));
    else for (const f of findings) io.out(`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.message}`);
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
};
