// The failures the doctor knows: each reads one line (with the evidence around it) and says cause, fix and, where
// it can, a fix to apply. The message patterns are TF Serving's own (tfServingMessages.ts).
import * as M from './tfServingMessages';
import type { Diagnosis, Evidence, FolderListing } from './diagnosis';
import { correctedPredictRequest } from './correctedRequest';
import { flagValue } from '../serving/inspectedContainer';

export type Cause = (line: string, evidence: Evidence) => Diagnosis | undefined;

const list = (names: readonly string[], max = 8) => (names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', ')) || 'nothing';
const folderOf = (e: Evidence, servedPath: string): FolderListing | undefined =>
  e.folders?.find((f) => f.servedPath.replace(/\/+$/, '') === servedPath.replace(/\/+$/, ''));
const parentOf = (p: string) => p.replace(/\/+$/, '').replace(/\/[^/]*$/, '') || '/';
const baseName = (p: string) => p.replace(/\/+$/, '').replace(/^.*\//, '');

/** A checkpoint (tf.train.Checkpoint / Saver / Keras weights) rather than a SavedModel. */
const CHECKPOINT_FILE = /^(checkpoint|.+\.index|.+\.meta|.+\.data-\d{5}-of-\d{5}|.+\.ckpt(-\d+)?(\..*)?|.+\.h5|.+\.keras|.+\.weights\.h5)$/;
/** A version folder named almost like a number: v1, 1.0, version_2, 0001-final. */
const NEAR_NUMBER = /^(?:v|ver|version)?[_-]?(\d+)(?:[._-].*)?$/i;

function noVersions(line: string, e: Evidence): Diagnosis | undefined {
  const m = M.NO_VERSIONS.exec(line);
  if (!m) return undefined;
  const [evidence, servable, basePath] = m;
  const folder = folderOf(e, basePath);
  const common = { id: 'no-versions' as const, title: `No version of ${servable} found under ${basePath}`, evidence };
  if (!folder) {
    return { ...common, cause: 'TF Serving loads only sub-folders whose whole name is a number (1, 2, 00123), each holding saved_model.pb.',
      fix: `Put the SavedModel into ${basePath}/1/ (saved_model.pb and variables/), or point the base path at the folder above the version folder.` };
  }
  const entries = folder.entries;
  if (entries.includes('saved_model.pb') || entries.includes('saved_model.pbtxt')) {
    if (/^\d+$/.test(baseName(folder.hostDir ?? basePath)) && folder.hostDir) {
      const parentDir = parentOf(folder.hostDir);
      return { ...common, cause: `The base path is a version folder: ${folder.hostDir} holds saved_model.pb itself, so TF Serving finds no numbered folder inside it.`,
        fix: `Serve the model folder above it (${parentDir}), which holds the numbered versions.`,
        action: { kind: 'serve-parent-folder', label: `Serve ${parentDir}`, hostDir: folder.hostDir, parentDir } };
    }
    return { ...common, cause: `The base path holds saved_model.pb itself: it is a version, not a model folder of numbered versions.`,
      fix: `Move saved_model.pb and variables/ into ${basePath}/1/ (any whole number names a version).` };
  }
  const near = entries.filter((n) => n.endsWith('/')).map((n) => n.slice(0, -1)).filter((n) => !/^\d+$/.test(n) && NEAR_NUMBER.test(n));
  if (near.length) {
    const from = near[0];
    const to = String(Number(NEAR_NUMBER.exec(from)![1]));
    const taken = entries.includes(`${to}/`);
    return { ...common, cause: `Version folders must be named by a whole number; ${list(near.map((n) => `"${n}"`))} ${near.length === 1 ? 'is' : 'are'} not (TF Serving skips them).`,
      fix: `Rename ${from} to ${to}${near.length > 1 ? ', and the others the same way' : ''}; the server picks the version up at its next poll.`,
      action: folder.hostDir && !taken ? { kind: 'rename-version-folder', label: `Rename ${from} to ${to}`, dir: `${folder.hostDir.replace(/\/+$/, '')}/${from}`, to } : undefined };
  }
  if (entries.some((n) => CHECKPOINT_FILE.test(n))) {
    return { ...common, cause: `${basePath} holds a training checkpoint (${list(entries.filter((n) => CHECKPOINT_FILE.test(n)))}), not a SavedModel: TF Serving cannot load checkpoints.`,
      fix: `Export a SavedModel into a numbered folder: tf.saved_model.save(model, "${basePath}/1") (Keras 3: model.export("${basePath}/1")).` };
  }
  return { ...common, cause: `${basePath} holds ${list(entries)}: no folder named by a whole number.`,
    fix: `Put each SavedModel version into a numbered folder (${basePath}/1/saved_model.pb).` };
}

function noSavedModelFile(line: string, e: Evidence): Diagnosis | undefined {
  const m = M.NO_SAVED_MODEL_FILE.exec(line);
  if (!m) return undefined;
  const dir = m[1];
  const folder = folderOf(e, dir);
  const ckpt = folder?.entries.filter((n) => CHECKPOINT_FILE.test(n)) ?? [];
  return { id: 'no-versions', evidence: m[0], title: `Version folder ${dir} has no saved_model.pb`,
    cause: ckpt.length ? `It holds a training checkpoint (${list(ckpt)}), not a SavedModel.` : `It holds ${folder ? list(folder.entries) : 'no graph file'}; a version needs saved_model.pb (or .pbtxt).`,
    fix: `Export a SavedModel there: tf.saved_model.save(model, "${dir}") (Keras 3: model.export("${dir}")).` };
}

function basePathMissing(line: string, e: Evidence): Diagnosis | undefined {
  const m = M.BASE_PATH_MISSING.exec(line);
  if (!m || M.SCHEME_NOT_IMPLEMENTED.test(line)) return undefined;
  const [evidence, basePath, servable, error] = m;
  const common = { id: 'base-path-missing' as const, title: `The base path ${basePath} of ${servable} does not exist in the server`, evidence };
  if (/PERMISSION_DENIED|Permission denied/i.test(error)) {
    return { ...common, cause: 'The folder is there but the server may not read it.', fix: `Make the model folder readable by every user (chmod -R a+rX on the host folder), then restart.` };
  }
  const c = e.container;
  if (!c || /^[a-z0-9]+:\/\//.test(basePath)) {
    return { ...common, cause: `The server looked for ${basePath} and found nothing there.`, fix: 'Check the path: a mount target, the model name and the folder must agree.' };
  }
  const modelName = c.env.MODEL_NAME;
  const mount = c.mounts.filter((x) => basePath === x.target || basePath.startsWith(`${x.target.replace(/\/+$/, '')}/`)).sort((a, b) => b.target.length - a.target.length)[0];
  if (!mount) {
    const targets = c.mounts.map((x) => x.target);
    return { ...common, cause: `Nothing is mounted at ${basePath}${targets.length ? ` (mounts: ${list(targets)})` : ' (the container has no mounts)'}.`,
      fix: `Mount the model folder there: -v /path/to/${servable}:${basePath}${modelName && !flagValue(c.cmd, 'model_base_path') ? ` (the image serves /models/$MODEL_NAME, here /models/${modelName})` : ''}.` };
  }
  const parent = folderOf(e, mount.target);
  const inside = parent?.entries.filter((n) => n.endsWith('/')).map((n) => n.slice(0, -1)) ?? [];
  if (modelName && inside.length && !inside.includes(modelName)) {
    return { ...common, cause: `MODEL_NAME is "${modelName}" but ${mount.target} (from ${mount.source}) holds ${list(inside)}.`,
      fix: `Set MODEL_NAME to the model folder's name (-e MODEL_NAME=${inside[0]}), or mount the model folder at /models/${modelName}.`,
      // Only the image's entrypoint turns MODEL_NAME into the base path; an explicit --model_base_path wins over it.
      action: inside.length === 1 && !flagValue(c.cmd, 'model_base_path') ? { kind: 'restart-with-env', label: `Re-create with MODEL_NAME=${inside[0]}`, name: 'MODEL_NAME', value: inside[0] } : undefined };
  }
  return { ...common, cause: `${mount.source} is mounted at ${mount.target}, but ${basePath} is not inside it.`,
    fix: `Check that ${mount.source} exists on the Docker host and holds the model folder; the mount source must be an absolute path on the machine running Docker.` };
}

function schemeNotImplemented(line: string, e: Evidence): Diagnosis | undefined {
  const m = M.SCHEME_NOT_IMPLEMENTED.exec(line);
  if (!m) return undefined;
  const [evidence, scheme, file] = m;
  if (scheme !== 's3') {
    return { id: 's3-not-implemented', evidence, title: `This TF Serving build cannot read ${scheme}:// paths (${file})`,
      cause: `No file system for "${scheme}" is compiled into the server.`, fix: 'Copy the model into a folder the container mounts, or use a build with that file system.' };
  }
  const tag = /:([^:/]+)$/.exec(e.container?.image ?? '')?.[1];
  return { id: 's3-not-implemented', evidence, title: `This image cannot read s3:// (${file})`,
    cause: `Stock tensorflow/serving images from 2.7 on ship without the S3 file system${tag ? ` (the container runs ${tag})` : ''}.`,
    fix: 'Serve through a local mirror of the bucket (Start TF Serving… → "Mirror into a local folder", or serve --s3-mode mirror), or pin tensorflow/serving:2.6.0, the last image that reads s3:// itself.',
    action: e.container && tag !== '2.6.0' ? { kind: 'use-image-tag', label: 'Re-create with tensorflow/serving:2.6.0', tag: '2.6.0' } : undefined };
}

/** Ops of libraries the stock image does not link (their package registers them in Python only). */
const OP_LIBRARIES: readonly [RegExp, string][] = [
  [/^Sentencepiece/, 'SentencePiece (tensorflow-text or tf-sentencepiece)'],
  [/^(CaseFold|NormalizeUTF8|WhitespaceTokenize|UnicodeScriptTokenize|WordpieceTokenize|FastWordpiece|RegexSplit|SplitMergeTokenize|TFText|FastBertNormalize|RougeL|ConstrainedSequence|MaxSpanningTree|MinimumSpanningTree|NgramsStringJoin|BoiseTagsToOffsets|SplitMergeFromLogits|TokenizerFromLogits|Mst|ByteSplit|UnicodeScript|SentenceFragments)/, 'TensorFlow Text (tensorflow-text)'],
  [/^Addons>/, 'TensorFlow Addons'],
  [/^TRTEngineOp$/, 'TF-TRT (the -gpu image built with TensorRT)'],
  [/^IO>/i, 'TensorFlow I/O'],
];

function opNotRegistered(line: string): Diagnosis | undefined {
  const m = M.OP_NOT_REGISTERED.exec(line);
  if (!m) return undefined;
  const op = m[1];
  const lib = OP_LIBRARIES.find(([re]) => re.test(op))?.[1];
  return { id: 'op-not-registered', evidence: m[0], title: `The model uses the op ${op}, which this server does not have`,
    cause: lib ? `${op} comes from ${lib}; the stock tensorflow/serving image does not include it.` : `${op} is not compiled into this tensorflow_model_server (a custom op, or one from an add-on library).`,
    fix: op === 'TRTEngineOp'
      ? 'Serve TF-TRT conversions with a tensorflow/serving -gpu image of the TensorFlow version that converted them.'
      : `Use a TF Serving build that links ${lib ?? 'the op\'s kernel'} (build tensorflow_model_server with the op library), or export the model without ${op} (do that step in the client).` };
}

function gpuNoRuntime(line: string): Diagnosis | undefined {
  const m = M.GPU_NO_RUNTIME.exec(line);
  if (!m) return undefined;
  return { id: 'gpu-no-runtime', evidence: m[0], title: 'A GPU was requested, but this Docker engine has no NVIDIA runtime',
    cause: 'GPUs reach containers through the NVIDIA Container Toolkit; this engine has no such driver (or no nvidia runtime) configured.',
    fix: 'Install the NVIDIA driver and the NVIDIA Container Toolkit on the Docker host (nvidia-ctk runtime configure, then restart Docker), or serve on the CPU image.',
    action: { kind: 'start-on-cpu', label: 'Start on CPU' } };
}

function signatureNotFound(line: string, e: Evidence): Diagnosis | undefined {
  const m = M.SIGNATURE_NOT_FOUND.exec(line);
  if (!m) return undefined;
  const asked = m[1] ?? m[2];
  const have = Object.keys(e.signatures ?? {}).filter((k) => !k.startsWith('__'));
  const pick = have.includes('serving_default') ? 'serving_default' : have.length === 1 ? have[0] : undefined;
  const body = e.request?.body;
  const corrected = pick && body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object), signature_name: pick } : undefined;
  return { id: 'signature-not-found', evidence: m[0], title: `The model has no signature "${asked}"`,
    cause: have.length ? `Its signatures are: ${list(have, 20)}.` : asked === 'serving_default' ? 'The model was exported without a serving_default signature.' : 'The request names a signature the model does not have.',
    fix: have.length ? `Name one of them in "signature_name"${pick ? ` (e.g. "${pick}")` : ''}${asked === 'serving_default' ? ', or export the model with a serving_default signature' : ''}.` : 'Export the model with signatures={"serving_default": …}, or name an existing one in "signature_name".',
    correctedRequest: corrected,
    action: corrected ? { kind: 'resend-request', label: `Send with "${pick}"`, body: corrected } : undefined };
}

function restPayload(line: string, e: Evidence): Diagnosis | undefined {
  const P = M.REST_PAYLOAD;
  const which = (Object.keys(P) as (keyof typeof P)[]).find((k) => P[k].test(line));
  if (!which) return undefined;
  const evidence = P[which].exec(line)![0];
  const c = correctedPredictRequest(which, line, e);
  return { id: 'rest-payload', evidence: evidence.length > 300 ? `${evidence.slice(0, 300)}…` : evidence, title: 'TF Serving could not read the predict request', cause: c.cause, fix: c.fix,
    correctedRequest: c.body, action: c.body !== undefined ? { kind: 'resend-request', label: 'Send the corrected request', body: c.body } : undefined };
}

function metricsNotEnabled(line: string, e: Evidence): Diagnosis | undefined {
  const m = M.METRICS_NOT_FOUND.exec(line);
  if (!m || !/metrics|monitoring|prometheus/i.test(m[1])) return undefined;
  const configured = e.container ? flagValue(e.container.cmd, 'monitoring_config_file') : undefined;
  return { id: 'metrics-not-enabled', evidence: m[0], title: `No metrics at ${m[1]}`,
    cause: configured ? `The server reads ${configured}, but its prometheus_config is not enabled at ${m[1]}.` : 'The server was started without --monitoring_config_file: TF Serving exports Prometheus metrics only when a monitoring config enables them.',
    fix: 'Restart it with --monitoring_config_file pointing at a file with prometheus_config { enable: true, path: "/monitoring/prometheus/metrics" }.',
    action: e.container ? { kind: 'restart-with-monitoring', label: 'Restart with monitoring' } : undefined };
}

function grpcTooLarge(line: string): Diagnosis | undefined {
  const m = M.GRPC_MESSAGE_TOO_LARGE.exec(line);
  if (!m) return undefined;
  const [evidence, size, max] = m;
  const mib = (n: string) => (Number(n) >= 1048576 ? `${(Number(n) / 1048576).toFixed(1)} MiB` : Number(n) >= 1024 ? `${(Number(n) / 1024).toFixed(1)} KiB` : `${n} bytes`);
  return { id: 'grpc-message-too-large', evidence, title: `A gRPC message of ${mib(size)} is above the receiver's limit of ${mib(max)}`,
    cause: Number(max) === 4194304 ? 'gRPC clients accept 4 MiB by default; TF Serving itself sends and receives up to 2 GiB.' : 'The receiving side limits message size below this answer or request.',
    fix: 'Raise the client\'s limit (grpc.max_receive_message_length / max_send_message_length on the channel), send smaller batches, or use REST for this call.' };
}

function labelUnavailable(line: string, e: Evidence): Diagnosis | undefined {
  const m = M.LABEL_UNAVAILABLE.exec(line);
  if (!m) return undefined;
  const [evidence, version, model] = m;
  const allowed = e.container ? flagValue(e.container.cmd, 'allow_version_labels_for_unavailable_models') === 'true' : false;
  return { id: 'label-unavailable', evidence, title: `A label points at version ${version} of ${model}, which is not AVAILABLE`,
    cause: 'TF Serving assigns a version label only to a loaded version, unless --allow_version_labels_for_unavailable_models is set (then only for new labels).',
    fix: `Load version ${version} first (its folder must exist and load), then add the label; or start the server with --allow_version_labels_for_unavailable_models.`,
    action: e.container && !allowed ? { kind: 'restart-with-flag', label: 'Restart with --allow_version_labels_for_unavailable_models', flag: 'allow_version_labels_for_unavailable_models', value: 'true' } : undefined };
}

/** In the order they are tried on each line; the first that reads a line wins it. */
export const KNOWN_CAUSES: readonly Cause[] = [
  labelUnavailable, schemeNotImplemented, basePathMissing, noVersions, noSavedModelFile, opNotRegistered, gpuNoRuntime,
  signatureNotFound, restPayload, metricsNotEnabled, grpcTooLarge,
];
