// The rules for every name a user gives or the tool derives, in one place: model names, image tags and
// repositories, container names, version labels, version numbers, Kubernetes object names and volume sub-paths.
// Every writer (serving spec, model config, labels, manifests, CLI flags, the editor's input boxes) asks here,
// so a name one part accepts is never refused or reinterpreted by another. A "problem" function returns the
// reason in words (undefined when fine); `requireName` turns it into an error.

/** A bad name, said plainly: what is wrong and what to do. */
export class NameError extends Error {}

/** A value as it appears in a message: quoted, with newlines and control characters visible, one line. */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

export function requireName(problem: string | undefined): void {
  if (problem) throw new NameError(problem);
}

// TF Serving puts the model name in REST paths and file paths; Docker in container names. Both take this set.
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

export function modelNameProblem(name: string): string | undefined {
  if (MODEL_NAME.test(name)) return undefined;
  return `Model name ${quoted(name)} may only hold letters, digits, "_", "." and "-", starting with a letter or digit (at most 200 characters).`;
}

/** A model name TF Serving and Docker accept, from a folder name (other characters become "_"). */
export function modelNameFromFolder(folder: string): string {
  const n = folder.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 200);
  return n || 'model';
}

// Docker's reference grammar: a tag is up to 128 of [\w.-], not starting with "." or "-".
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+$/;

export function imageTagProblem(tag: string): string | undefined {
  return IMAGE_TAG.test(tag) ? undefined : `${quoted(tag)} is not a Docker image tag: letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-").`;
}

export function imageRepositoryProblem(repository: string): string | undefined {
  return IMAGE_REPOSITORY.test(repository) ? undefined
    : `${quoted(repository)} is not an image repository: lowercase path parts like registry.example.com/tensorflow/serving.`;
}

// Docker's container name rule. The name is also the folder of the container's config files, so it must never
// hold "/" or start with ".": then it cannot leave that folder.
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,127}$/;

export function containerNameProblem(name: string): string | undefined {
  return CONTAINER_NAME.test(name) ? undefined
    : `Container name ${quoted(name)} may only hold letters, digits, "_", "." and "-", starting with a letter or digit (2 to 128 characters).`;
}

/** The container name used when the user gives none. */
export function defaultContainerName(modelName: string, restPort: number): string {
  return `tfserving-${modelName}-${restPort}`.slice(0, 128);
}

// TF Serving's rule for version labels: [a-zA-Z0-9_]+ (its REST paths /labels/<label> rely on it).
const VERSION_LABEL = /^[a-zA-Z0-9_]+$/;

export function versionLabelProblem(label: string): string | undefined {
  return VERSION_LABEL.test(label) ? undefined : `Version label ${quoted(label)} may only hold letters, digits and "_" (TF Serving's rule).`;
}

// TF Serving reads a version folder name as an int64. Versions are JavaScript numbers here, exact up to 2^53 - 1.
export const INT64_MAX = 9223372036854775807n;

export function versionNumberProblem(version: number): string | undefined {
  if (Number.isSafeInteger(version) && version >= 0) return undefined;
  return `Version ${String(version)} is not a version number: a whole number from 0 to ${Number.MAX_SAFE_INTEGER}.`;
}

/** A version number typed by a user (a flag, an input box): digits only, and one TF Serving can read as an int64. */
export function parseVersionNumber(text: string, what = 'The version'): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw new NameError(`${what} must be a whole number, not ${quoted(text)}.`);
  if (BigInt(t) > INT64_MAX) throw new NameError(`${what} ${t} is too large: TF Serving reads version numbers as 64-bit integers (at most ${INT64_MAX}).`);
  const n = Number(t);
  if (!Number.isSafeInteger(n)) throw new NameError(`${what} ${t} is too large to count exactly; use a number up to ${Number.MAX_SAFE_INTEGER}.`);
  return n;
}

/** "1,2,5" (a --versions flag): each a version number as above. */
export function parseVersionList(text: string, flag = '--versions'): number[] {
  return text.split(',').map((v) => parseVersionNumber(v, `A version in ${flag}`));
}

// Kubernetes object names (DNS-1123 subdomain for claims, label for namespaces).
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function claimNameProblem(name: string): string | undefined {
  return DNS_SUBDOMAIN.test(name) ? undefined : `${quoted(name)} is not a PersistentVolumeClaim name: lowercase letters, digits, "-" and ".".`;
}

export function namespaceProblem(name: string): string | undefined {
  return DNS_LABEL.test(name) ? undefined : `${quoted(name)} is not a namespace name: up to 63 lowercase letters, digits and "-".`;
}

// Kubernetes label values: at most 63 characters, alphanumeric at both ends, "-", "_" and "." inside.
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function labelValueProblem(value: string): string | undefined {
  if (value.length <= 63 && LABEL_VALUE.test(value)) return undefined;
  return `Label value ${quoted(value.length > 80 ? value.slice(0, 77) + '...' : value)} is not one Kubernetes accepts: at most 63 letters, digits, "-", "_" and ".", beginning and ending with a letter or digit.`;
}

/** A label value naming a model: the name made to fit the rule above. */
export function labelValueFrom(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_.-]/g, '-').slice(0, 63).replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'model';
}

/** A volume sub-path: relative, inside the volume (no ".." part), no empty or control characters. */
export function subPathProblem(subPath: string): string | undefined {
  const parts = subPath.split('/');
  if (subPath.startsWith('/')) return `Sub-path ${quoted(subPath)} must be relative to the volume, not start with "/".`;
  if (parts.includes('..')) return `Sub-path ${quoted(subPath)} may not contain "..": it would point outside the volume.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(subPath)) return `Sub-path ${quoted(subPath)} holds a control character.`;
  if (parts.some((p) => p === '')) return `Sub-path ${quoted(subPath)} has an empty part ("//" or a trailing "/").`;
  return undefined;
}
