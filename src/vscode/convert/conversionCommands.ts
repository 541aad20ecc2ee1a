// The conversion commands' work: collect options (from arguments, or by asking), run the core job under a
// cancellable progress notification with the full log in an output channel, refresh the Models view, open the report.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DEFAULT_SIGNATURE_KEY, DEFAULT_TRT_MINIMUM_SEGMENT_SIZE, DEFAULT_TRT_WORKSPACE_BYTES, TENSORRT_SERVING_IMAGE,
  type ConversionOptions, type TensorRtConversionOptions, type TfliteConversionOptions,
} from '../../core/convert/conversionOptions';
import { ConversionError } from '../../core/convert/conversionError';
import { nextVersion, prepareConversion, runConversion, type ConversionDestination } from '../../core/convert/conversionJob';
import { buildConversionReport, renderConversionReport, type ConversionReport } from '../../core/convert/conversionReport';
import { describeOptions } from '../../core/convert/conversionScript';
import { LocalModelStore } from '../../core/storage/localModelStore';
import { runValidation, type ValidationReport } from '../../core/convert/validationJob';
import type { ValidationThresholds } from '../../core/convert/validationMetrics';
import { renderConversionValidation, renderValidationReport, validationSummary } from '../../core/convert/validationReportText';
import type { ConversionValidation } from '../../core/convert/conversionJob';
import { errorText } from '../errorText';
import { readConversionValidation } from '../settings';
import type { ModelsTreeProvider } from '../model/modelsTreeProvider';
import { VersionNode } from '../model/versionNode';
import { openReport, openScript, type ConversionDocuments } from './conversionDocuments';
import {
  askDestination, askRunner, askTensorRtOptions, askTfliteOptions, confirmTensorRtRunner, TENSORRT_UI_NOTE,
} from './conversionPrompts';
import { createRunner, type RunnerKind } from './conversionRunners';

/** Arguments that skip the prompts (tests, other commands). Missing fields take the defaults shown. */
export interface ConvertArgs {
  /** TFLite: none | dynamic (default) | float16 | int8. */
  readonly quantize?: TfliteConversionOptions['quantize'];
  readonly selectTfOps?: boolean;
  readonly representativeDataset?: string;
  readonly integerOnlyIo?: boolean;
  /** TF-TRT: FP32 | FP16 (default) | INT8. */
  readonly precision?: TensorRtConversionOptions['precision'];
  readonly maxWorkspaceBytes?: number;
  readonly minimumSegmentSize?: number;
  readonly calibrationInput?: string;
  readonly signatureKey?: string;
  /** TFLite only: local (default) or docker. TF-TRT always uses the GPU container. */
  readonly runner?: RunnerKind;
  /** 'next-version' (default) or a path. */
  readonly destination?: string;
  /** Cancels like the notification's Cancel button. */
  readonly signal?: AbortSignal;
}

export type ConvertOutcome =
  | { readonly ok: true; readonly outputPath: string; readonly publishedVersion?: number; readonly tensorflowVersion?: string;
      readonly report: ConversionReport; readonly reportUri: string; readonly script: string; readonly commandLine: string; readonly warnings: string[];
      readonly validation?: ConversionValidation }
  | { readonly ok: false; readonly kind: string; readonly message: string; readonly hint?: string };

export interface ConversionContext {
  readonly models: ModelsTreeProvider;
  readonly documents: ConversionDocuments;
  readonly log: vscode.OutputChannel;
}

function localVersionDir(node: unknown, command: string): string | undefined {
  if (!(node instanceof VersionNode)) {
    void vscode.window.showInformationMessage(`Run "${command}" from a SavedModel version in the Models view.`);
    return undefined;
  }
  if (node.location.scheme !== 'file') {
    void vscode.window.showInformationMessage(`"${command}" works on versions in local repositories; download this version first (Download Version…).`);
    return undefined;
  }
  return node.location.path;
}

function optionsFromArgs(target: 'tflite' | 'tensorrt', a: ConvertArgs): ConversionOptions {
  const signatureKey = a.signatureKey ?? DEFAULT_SIGNATURE_KEY;
  if (target === 'tflite') {
    return {
      target, signatureKey, quantize: a.quantize ?? (a.representativeDataset ? 'int8' : 'dynamic'), selectTfOps: a.selectTfOps ?? false,
      ...(a.integerOnlyIo ? { integerOnlyIo: true } : {}), ...(a.representativeDataset ? { representativeDataset: a.representativeDataset } : {}),
    };
  }
  return {
    target, signatureKey, precision: a.precision ?? 'FP16', maxWorkspaceBytes: a.maxWorkspaceBytes ?? DEFAULT_TRT_WORKSPACE_BYTES,
    minimumSegmentSize: a.minimumSegmentSize ?? DEFAULT_TRT_MINIMUM_SEGMENT_SIZE, ...(a.calibrationInput ? { calibrationInput: a.calibrationInput } : {}),
  };
}

/** Options, runner and destination from the arguments, or asked for; undefined when the user backs out. */
async function collect(target: 'tflite' | 'tensorrt', node: VersionNode, versionDir: string, args: ConvertArgs | undefined, title: string) {
  if (args) {
    const destination: ConversionDestination = !args.destination || args.destination === 'next-version' ? { kind: 'next-version' } : { kind: 'path', path: args.destination };
    return { options: optionsFromArgs(target, args), runnerKind: target === 'tensorrt' ? 'docker' as const : args.runner ?? 'local', destination };
  }
  const options = target === 'tflite' ? await askTfliteOptions(versionDir, title) : await askTensorRtOptions(versionDir, title);
  if (!options) return undefined;
  let runnerKind: RunnerKind | undefined = 'docker';
  if (target === 'tflite') runnerKind = await askRunner(title);
  else if (!(await confirmTensorRtRunner(title))) runnerKind = undefined;
  if (!runnerKind) return undefined;
  const next = await nextVersion(new LocalModelStore(), versionDir);
  const destination = await askDestination(title, node.model.name, next, target);
  if (!destination) return undefined;
  return { options, runnerKind, destination };
}

export async function convertVersion(ctx: ConversionContext, target: 'tflite' | 'tensorrt', node: unknown, args?: ConvertArgs): Promise<ConvertOutcome | undefined> {
  const command = target === 'tflite' ? 'Convert to TFLite…' : 'Convert to TensorRT (TF-TRT)…';
  const versionDir = localVersionDir(node, command);
  if (!versionDir) return undefined;
  const version = node as VersionNode;
  const what = `${version.model.name} version ${version.version.version}`;
  const title = target === 'tflite' ? `Convert ${what} to TFLite` : `Convert ${what} to TensorRT (TF-TRT)`;
  const chosen = await collect(target, version, versionDir, args, title);
  if (!chosen) return undefined;
  const { runner, description } = await createRunner(chosen.runnerKind, target);
  const log = ctx.log;
  log.appendLine('');
  log.appendLine(`=== ${title} — ${new Date().toISOString()}`);
  log.appendLine(`Options: ${describeOptions(chosen.options)}`);
  log.appendLine(`Runner: ${description}`);
  if (target === 'tensorrt') log.appendLine(TENSORRT_UI_NOTE);

  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => ctl.abort());
    const external = args?.signal;
    const onExternal = () => ctl.abort();
    if (external?.aborted) ctl.abort();
    external?.addEventListener('abort', onExternal, { once: true });
    try {
      const result = await runConversion({
        versionDir, options: chosen.options, runner, destination: chosen.destination, signal: ctl.signal,
        // Every TFLite conversion is checked against its SavedModel (TF-TRT needs the GPU it was built for).
        ...(target === 'tflite' ? { validate: validationSettings() } : {}),
        onStage: (stage, message) => {
          log.appendLine(`== ${stage}: ${message}`);
          progress.report({ message: stage === 'run' ? 'Converting (full log: TF Serving: Conversion)' : message });
        },
        onLine: (l) => log.appendLine(l.stream === 'stderr' ? `! ${l.text}` : l.text),
      });
      return { ok: true as const, result };
    } catch (e) {
      return { ok: false as const, error: e };
    } finally {
      external?.removeEventListener('abort', onExternal);
    }
  });

  if (!outcome.ok) return failed(ctx, title, outcome.error);
  const { result } = outcome;
  for (const w of result.warnings) log.appendLine(`note: ${w}`);
  if (result.publishedVersion !== undefined) ctx.models.refresh(version.model);
  const heading = result.publishedVersion !== undefined ? `${version.model.name} version ${result.publishedVersion} from version ${version.version.version}` : `${what} → ${result.outputPath}`;
  const markdown = renderConversionReport(result.report, `Conversion report: ${heading}`) +
    `\n## Conversion\n\n- Options: ${describeOptions(chosen.options)}\n- Runner: ${description}\n` +
    (result.tensorflowVersion ? `- TensorFlow ${result.tensorflowVersion}\n` : '') +
    (target === 'tensorrt' ? `- ${TENSORRT_UI_NOTE}\n` : '') +
    (result.validation ? `\n${renderConversionValidation(result.validation)}\n` : '') +
    '\nCheck the converted model\'s accuracy on your own data (Compare Outputs… with an input file) before deploying it.\n';
  const reportUri = await openReport(ctx.documents, `${version.model.name}-${version.version.version}-conversion.md`, markdown);
  log.appendLine(`Done: ${result.outputPath}${result.tensorflowVersion ? ` (TensorFlow ${result.tensorflowVersion})` : ''}`);
  const done = result.publishedVersion !== undefined ? `Published ${version.model.name} version ${result.publishedVersion}` : `Wrote ${result.outputPath}`;
  const sizes = result.report.findings[0] ?? '';
  const checked = result.validation ? ` ${validationSummary(result.validation)}` : '';
  const flagged = result.validation && !(result.validation.ok && result.validation.report.passed);
  void (flagged ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`${done}. ${sizes}${checked}${target === 'tensorrt' ? ` Serve it with ${TENSORRT_SERVING_IMAGE}.` : ''}`);
  return {
    ok: true, outputPath: result.outputPath, publishedVersion: result.publishedVersion, tensorflowVersion: result.tensorflowVersion,
    report: result.report, reportUri: reportUri.toString(), script: result.script, commandLine: result.commandLine, warnings: result.warnings,
    ...(result.validation ? { validation: result.validation } : {}),
  };
}

/** Thresholds and sample count from the tfServing.convert.validation.* settings. */
function validationSettings(): { samples: number; thresholds: ValidationThresholds } {
  const v = readConversionValidation();
  return { samples: v.samples, thresholds: { maxAbsDiff: v.maxAbsDiff, minTop1Percent: v.minTop1Percent } };
}

/** Arguments that skip the prompts of Compare Outputs…. */
export interface CompareOutputsArgs {
  /** .npy or TF Serving JSON rows; otherwise seeded inputs. */
  readonly inputsFile?: string;
  readonly samples?: number;
  readonly runner?: RunnerKind;
  readonly signal?: AbortSignal;
}

export type CompareOutcome =
  | { readonly ok: true; readonly report: ValidationReport; readonly markdown: string; readonly reportUri: string }
  | { readonly ok: false; readonly kind: string; readonly message: string; readonly hint?: string };

/** Runs a SavedModel version and a TFLite version (or file) of it on the same inputs and opens what differs. */
export async function compareOutputs(ctx: ConversionContext, node: unknown, other?: unknown, args?: CompareOutputsArgs): Promise<CompareOutcome | undefined> {
  const savedModelDir = localVersionDir(node, 'Compare Outputs…');
  if (!savedModelDir) return undefined;
  const version = node as VersionNode;
  const title = `Compare outputs of ${version.model.name} version ${version.version.version}`;
  let tflite: string | undefined;
  let tfliteLabel: string | undefined;
  if (other instanceof VersionNode) {
    tflite = other.location.path;
    tfliteLabel = `version ${other.version.version}`;
  } else if (typeof other === 'string') {
    tflite = other;
  } else {
    const siblings = ((await ctx.models.getChildren(version.model)) ?? [])
      .filter((n): n is VersionNode => n instanceof VersionNode && n.location.scheme === 'file' && n.version.format === 'tflite');
    const picked = await vscode.window.showQuickPick([
      ...siblings.map((s) => ({ label: `Version ${s.version.version}`, description: 'TFLite', value: s as VersionNode | 'browse' })),
      { label: '$(file) A .tflite file…', value: 'browse' as const },
    ], { title, placeHolder: 'The TFLite model to run beside the SavedModel' });
    if (!picked) return undefined;
    if (picked.value === 'browse') {
      tflite = (await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, openLabel: 'Compare', filters: { 'TFLite model': ['tflite'] } }))?.[0]?.fsPath;
    } else {
      tflite = picked.value.location.path;
      tfliteLabel = `version ${picked.value.version.version}`;
    }
  }
  if (!tflite) return undefined;
  let inputsFile = args?.inputsFile;
  if (!args) {
    const choice = await vscode.window.showQuickPick([
      { label: 'Seeded inputs generated from the signature', value: 'generate' },
      { label: '$(file) Inputs from a file (.npy, or JSON rows as TF Serving takes them)…', value: 'file' },
    ], { title, placeHolder: 'Which inputs?' });
    if (!choice) return undefined;
    if (choice.value === 'file') {
      inputsFile = (await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, openLabel: 'Use these inputs', filters: { 'Sample inputs': ['npy', 'json'] } }))?.[0]?.fsPath;
      if (!inputsFile) return undefined;
    }
  }
  const settings = validationSettings();
  const { runner, description } = await createRunner(args?.runner ?? 'local', 'tflite');
  ctx.log.appendLine('');
  ctx.log.appendLine(`=== ${title} with ${tfliteLabel ?? tflite} — ${new Date().toISOString()}`);
  ctx.log.appendLine(`Runner: ${description}`);
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const ctl = new AbortController();
    token.onCancellationRequested(() => ctl.abort());
    args?.signal?.addEventListener('abort', () => ctl.abort(), { once: true });
    progress.report({ message: 'Running both models on the same inputs (log: TF Serving: Conversion)' });
    try {
      const report = await runValidation({
        savedModelDir, tflite, runner, signal: ctl.signal, thresholds: settings.thresholds,
        ...(inputsFile ? { inputsFile } : { samples: args?.samples ?? settings.samples }),
        onLine: (l) => ctx.log.appendLine(l.stream === 'stderr' ? `! ${l.text}` : l.text),
      });
      return { ok: true as const, report };
    } catch (e) {
      return { ok: false as const, error: e };
    }
  });
  if (!outcome.ok) {
    const e = outcome.error;
    const failure = failed(ctx, title, e);
    return failure.ok ? undefined : failure;
  }
  const markdown = `# ${title} and ${tfliteLabel ?? path.basename(tflite)}\n\n${renderValidationReport(outcome.report)}\n`;
  const uri = await openReport(ctx.documents, `${version.model.name}-${version.version.version}-outputs.md`, markdown);
  const summary = validationSummary({ ok: true, report: outcome.report });
  void (outcome.report.passed ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(`${title}: ${summary}`);
  return { ok: true, report: outcome.report, markdown, reportUri: uri.toString() };
}

/** Shows a conversion failure in plain words (the core parsed the converter's output), the log one click away. */
function failed(ctx: ConversionContext, title: string, e: unknown): ConvertOutcome {
  const kind = e instanceof ConversionError ? e.kind : 'error';
  const message = e instanceof Error ? e.message : String(e);
  const hint = e instanceof ConversionError ? e.hint : (e as { hint?: string })?.hint;
  ctx.log.appendLine(`FAILED (${kind}): ${message}${hint ? `\n  ${hint}` : ''}`);
  if (kind === 'cancelled') {
    void vscode.window.showInformationMessage(`${title}: cancelled; nothing was published.`);
  } else {
    const actions = ['Show Log', ...(kind === 'python-missing' || kind === 'tensorflow-missing' ? ['Open Settings'] : [])];
    void vscode.window.showErrorMessage(`${title} failed: ${errorText(e)}`, ...actions).then((a) => {
      if (a === 'Show Log') ctx.log.show(true);
      if (a === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'tfServing.convert');
    });
  }
  return { ok: false, kind, message, ...(hint ? { hint } : {}) };
}

/** The script a conversion would run (for the local runner, writing into the next version), in a read-only editor. */
export async function showConversionScript(ctx: ConversionContext, node: unknown, args?: ConvertArgs & { target?: 'tflite' | 'tensorrt' }): Promise<string | undefined> {
  const versionDir = localVersionDir(node, 'Show Conversion Script');
  if (!versionDir) return undefined;
  const version = node as VersionNode;
  let target = args?.target;
  if (!target) {
    const picked = await vscode.window.showQuickPick([
      { label: 'TFLite', value: 'tflite' as const }, { label: 'TensorRT (TF-TRT)', description: TENSORRT_UI_NOTE, value: 'tensorrt' as const },
    ], { title: 'Show Conversion Script', placeHolder: 'Which conversion?' });
    if (!picked) return undefined;
    target = picked.value;
  }
  const title = `Conversion script for ${version.model.name} version ${version.version.version}`;
  const options = args ? optionsFromArgs(target, args)
    : target === 'tflite' ? await askTfliteOptions(versionDir, title) : await askTensorRtOptions(versionDir, title);
  if (!options) return undefined;
  const { runner } = await createRunner(target === 'tensorrt' ? 'docker' : args?.runner ?? 'local', target);
  const { mkdtemp, rm } = await import('fs/promises');
  const os = await import('os');
  const work = await mkdtemp(path.join(os.tmpdir(), 'tfss-script-'));
  try {
    const next = await nextVersion(new LocalModelStore(), versionDir);
    // Like the CLI's --dry-run: the script writes straight into the next version folder when run by hand.
    const prepared = await prepareConversion({ versionDir, options, runner, destination: { kind: 'next-version' } },
      { workDir: work, outputDir: path.join(path.dirname(versionDir), String(next)) });
    await openScript(ctx.documents, `convert_${version.model.name}_${version.version.version}_${target}.py`, prepared.script);
    return prepared.script;
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot generate the conversion script: ${errorText(e)}`);
    return undefined;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The conversion report for any two local versions (or a version and a folder/.tflite file). */
export async function compareVersions(ctx: ConversionContext, node: unknown, other?: unknown): Promise<{ reportUri: string; markdown: string; report: ConversionReport } | undefined> {
  const beforeDir = localVersionDir(node, 'Compare Versions…');
  if (!beforeDir) return undefined;
  const version = node as VersionNode;
  let afterDir: string | undefined;
  let afterLabel: string | undefined;
  if (other instanceof VersionNode) {
    if (other.location.scheme !== 'file') { void vscode.window.showInformationMessage('Both versions must be in local repositories.'); return undefined; }
    afterDir = other.location.path;
    afterLabel = `${other.model.name} version ${other.version.version}`;
  } else if (typeof other === 'string') {
    afterDir = other;
  } else {
    const siblings = ((await ctx.models.getChildren(version.model)) ?? []).filter((n): n is VersionNode => n instanceof VersionNode && n !== version && n.location.scheme === 'file');
    const picked = await vscode.window.showQuickPick([
      ...siblings.map((s) => ({ label: `Version ${s.version.version}`, description: s.version.format ?? '', value: s as VersionNode | 'browse' })),
      { label: '$(folder) Another version folder or .tflite file…', value: 'browse' as const },
    ], { title: `Compare ${version.model.name} version ${version.version.version} with…` });
    if (!picked) return undefined;
    if (picked.value === 'browse') {
      const uris = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: false, openLabel: 'Compare', filters: { 'TFLite model or version folder': ['tflite'] } });
      afterDir = uris?.[0]?.fsPath;
    } else {
      afterDir = picked.value.location.path;
      afterLabel = `${picked.value.model.name} version ${picked.value.version.version}`;
    }
  }
  if (!afterDir) return undefined;
  const beforeLabel = `${version.model.name} version ${version.version.version}`;
  try {
    const report = await buildConversionReport(beforeDir, afterDir, [beforeLabel, afterLabel ?? afterDir]);
    const markdown = renderConversionReport(report, `Comparison: ${beforeLabel} → ${afterLabel ?? path.basename(afterDir)}`);
    const uri = await openReport(ctx.documents, `${version.model.name}-${version.version.version}-comparison.md`, markdown);
    return { reportUri: uri.toString(), markdown, report };
  } catch (e) {
    void vscode.window.showErrorMessage(`Cannot compare: ${errorText(e)}`);
    return undefined;
  }
}
