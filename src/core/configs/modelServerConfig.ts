// Writes the ModelServerConfig text proto passed as --model_config_file: several models, version policies and
// version labels (tensorflow_serving/config/model_server_config.proto).
import { modelNameProblem, requireName, versionLabelProblem, versionNumberProblem } from '../names';

export type VersionPolicy =
  | { readonly kind: 'latest'; readonly numVersions?: number }
  | { readonly kind: 'all' }
  | { readonly kind: 'specific'; readonly versions: readonly number[] };

export interface ServedModelConfig {
  readonly name: string;
  /** The base path as the server sees it (a container path, gs:// or s3:// URI). */
  readonly basePath: string;
  readonly platform?: 'tensorflow' | 'tflite';
  readonly versionPolicy?: VersionPolicy;
  /** label → version, e.g. { stable: 1, canary: 2 }. */
  readonly versionLabels?: Readonly<Record<string, number>>;
}

/** A text-format string literal (C-style escapes, as TextFormat accepts). */
export function textFormatString(s: string): string {
  let out = '"';
  for (const ch of Buffer.from(s, 'utf8')) {
    if (ch === 0x22) out += '\\"';
    else if (ch === 0x5c) out += '\\\\';
    else if (ch === 0x0a) out += '\\n';
    else if (ch === 0x0d) out += '\\r';
    else if (ch === 0x09) out += '\\t';
    else if (ch < 0x20 || ch >= 0x7f) out += '\\' + ch.toString(8).padStart(3, '0');
    else out += String.fromCharCode(ch);
  }
  return out + '"';
}

function versionNumber(v: number, what: string): number {
  const problem = versionNumberProblem(v);
  if (problem) throw new Error(`${what}: ${problem}`);
  return v;
}

export function modelServerConfigText(models: readonly ServedModelConfig[]): string {
  if (!models.length) throw new Error('A model config needs at least one model.');
  const names = new Set<string>();
  const out: string[] = ['model_config_list {'];
  for (const m of models) {
    requireName(modelNameProblem(m.name));
    if (names.has(m.name)) throw new Error(`Model "${m.name}" appears twice in the model config.`);
    names.add(m.name);
    out.push('  config {', `    name: ${textFormatString(m.name)}`, `    base_path: ${textFormatString(m.basePath)}`,
      `    model_platform: ${textFormatString(m.platform ?? 'tensorflow')}`);
    const p = m.versionPolicy;
    if (p?.kind === 'all') out.push('    model_version_policy { all {} }');
    else if (p?.kind === 'latest') {
      const n = p.numVersions ?? 1;
      if (!Number.isInteger(n) || n < 1) throw new Error(`Model "${m.name}": keep at least one latest version.`);
      out.push(`    model_version_policy { latest { num_versions: ${n} } }`);
    } else if (p?.kind === 'specific') {
      if (!p.versions.length) throw new Error(`Model "${m.name}": a specific version policy needs at least one version.`);
      out.push('    model_version_policy {', '      specific {');
      for (const v of p.versions) out.push(`        versions: ${versionNumber(v, `Model "${m.name}"`)}`);
      out.push('      }', '    }');
    }
    for (const [label, v] of Object.entries(m.versionLabels ?? {})) {
      requireName(versionLabelProblem(label));
      out.push('    version_labels {', `      key: ${textFormatString(label)}`, `      value: ${versionNumber(v, `Label "${label}"`)}`, '    }');
    }
    out.push('  }');
  }
  out.push('}');
  return out.join('\n') + '\n';
}
