// Checks made before a container is created, so the user hears about a model folder TF Serving cannot load
// from us, in words, instead of from an endless "No versions of servable … found" in the server's log.
import * as fs from 'fs';
import * as path from 'path';
import { checkVersionFiles, parseVersionFolder } from '../model/versionRules';
import { DockerEngineError } from './dockerEngineError';
import type { ServingSpec } from './servingSpec';

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) { out.push(rel); out.push(...listFiles(path.join(dir, e.name), rel)); } else out.push(rel);
  }
  return out;
}

/** The loadable versions of a local model folder, highest first; throws 'no-valid-version' when there are none. */
export function loadableLocalVersions(modelDir: string, preferTflite = false): number[] {
  if (!fs.existsSync(modelDir) || !fs.statSync(modelDir).isDirectory()) {
    throw new DockerEngineError('no-valid-version', `${modelDir} is not a folder.`, 'Choose the model folder that holds the numbered version folders.');
  }
  const versions: number[] = [];
  const problems: string[] = [];
  for (const e of fs.readdirSync(modelDir, { withFileTypes: true })) {
    const v = e.isDirectory() ? parseVersionFolder(e.name) : undefined;
    if (v === undefined) continue;
    const validity = checkVersionFiles(listFiles(path.join(modelDir, e.name)));
    // Without --prefer_tflite_model the server loads a SavedModel only.
    if (validity.valid && (validity.format === 'savedmodel' || preferTflite)) versions.push(v);
    else problems.push(validity.valid ? `${e.name} holds model.tflite (needs --prefer_tflite_model)` : `${e.name} lacks ${validity.missing.join(', ')}`);
  }
  if (!versions.length) {
    throw new DockerEngineError('no-valid-version', `${modelDir} has no version TF Serving can load${problems.length ? `: ${problems.join('; ')}` : ' (no numbered version folders)'}.`,
      'A model folder holds numbered folders (1, 2, …), each with saved_model.pb and variables/, or model.tflite.');
  }
  return versions.sort((a, b) => b - a);
}

export function preflight(spec: ServingSpec): void {
  if (spec.source.kind === 'local') loadableLocalVersions(spec.source.modelDir, spec.preferTfliteModel);
}
