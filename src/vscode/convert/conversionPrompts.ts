// The questions before a conversion: quantization or TF-TRT precision, sample inputs (checked against the
// signature before anything runs), SELECT_TF_OPS, runner and destination. Each returns undefined when dismissed.
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DEFAULT_SIGNATURE_KEY, DEFAULT_TRT_MINIMUM_SEGMENT_SIZE, DEFAULT_TRT_WORKSPACE_BYTES, optimizeModesExplanation, parseByteSize,
  quantizationDescriptions, selectTfOpsWarning, tensorRtNotes, TENSORRT_SERVING_IMAGE, trtPrecisionDescriptions,
  type TensorRtConversionOptions, type TfliteConversionOptions, type TfliteQuantization, type TrtPrecision,
} from '../../core/convert/conversionOptions';
import type { ConversionDestination } from '../../core/convert/conversionJob';
import { inspectVersion, type SavedModelSummary } from '../../core/model/modelInspector';
import { loadSampleSet } from '../../core/convert/sampleInputs';
import { formatBytes } from '../../core/format';
import { errorText } from '../errorText';
import { describeInterpreter, findPythonInterpreter } from './pythonInterpreter';
import { runnerImage, type RunnerKind } from './conversionRunners';

type Pick<T> = vscode.QuickPickItem & { value: T };

export const TENSORRT_UI_NOTE =
  `TF-TRT needs TensorFlow / TF Serving 2.17 or older; serving the result pins ${TENSORRT_SERVING_IMAGE}.`;

/** Quantization choices, plus an item that explains why OPTIMIZE_FOR_SIZE/LATENCY are not offered. */
export async function askQuantization(title: string): Promise<TfliteQuantization | undefined> {
  const order: TfliteQuantization[] = ['dynamic', 'float16', 'int8', 'none'];
  const labels: Record<TfliteQuantization, string> = {
    none: 'No quantization (float32)', dynamic: 'Dynamic range (Optimize.DEFAULT)', float16: 'Float16', int8: 'Full integer (int8)',
  };
  for (;;) {
    const items: Pick<TfliteQuantization | 'why'>[] = [
      ...order.map((q) => ({ label: labels[q], detail: quantizationDescriptions[q], value: q })),
      { label: '', kind: vscode.QuickPickItemKind.Separator, value: 'why' },
      { label: '$(question) Why no "optimize for size" or "optimize for latency"?', value: 'why' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Quantization', matchOnDetail: true });
    if (!picked) return undefined;
    if (picked.value !== 'why') return picked.value;
    await vscode.window.showInformationMessage('Why only these choices?', { modal: true, detail: optimizeModesExplanation });
  }
}

export async function askSelectTfOps(title: string): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick<Pick<boolean>>([
    { label: 'TFLite built-in ops only', description: 'recommended', detail: 'The model runs on any TFLite runtime, including TF Serving\'s.', value: false },
    { label: '$(warning) Also allow TensorFlow ops (SELECT_TF_OPS)', description: 'adds tens of MB', detail: selectTfOpsWarning, value: true },
  ], { title, placeHolder: 'Operator sets' });
  return picked?.value;
}

/** Checks a sample file against the version's signature; returns a message when it does not fit. */
export async function checkSampleFile(versionDir: string, signatureKey: string, file: string): Promise<string | undefined> {
  try {
    const summary = await inspectVersion(versionDir);
    const meta = summary.format === 'tflite' ? undefined : (summary as SavedModelSummary).servingMetaGraph;
    const signature = meta?.signatures.find((s) => s.key === signatureKey);
    if (!signature) return `The model has no signature "${signatureKey}".`;
    await loadSampleSet(file, signature);
    return undefined;
  } catch (e) {
    return errorText(e);
  }
}

/** Picks a .npy/.json sample file and checks it before anything runs; asks again after a mismatch. */
export async function askSampleFile(title: string, purpose: string, versionDir: string, signatureKey: string): Promise<string | undefined> {
  for (;;) {
    const uris = await vscode.window.showOpenDialog({
      title: `${title}: ${purpose}`, canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
      filters: { 'Sample inputs': ['npy', 'json'] }, openLabel: 'Use These Samples',
    });
    const file = uris?.[0]?.fsPath;
    if (!file) return undefined;
    const problem = await checkSampleFile(versionDir, signatureKey, file);
    if (!problem) return file;
    const again = await vscode.window.showErrorMessage(`${path.basename(file)} does not fit signature "${signatureKey}": ${problem}`, 'Pick Another File');
    if (again !== 'Pick Another File') return undefined;
  }
}

export async function askTfliteOptions(versionDir: string, title: string): Promise<TfliteConversionOptions | undefined> {
  const quantize = await askQuantization(title);
  if (!quantize) return undefined;
  let representativeDataset: string | undefined;
  if (quantize === 'int8') {
    representativeDataset = await askSampleFile(title, 'representative dataset (.npy or .json of typical inputs)', versionDir, DEFAULT_SIGNATURE_KEY);
    if (!representativeDataset) return undefined;
  }
  const selectTfOps = await askSelectTfOps(title);
  if (selectTfOps === undefined) return undefined;
  return { target: 'tflite', quantize, signatureKey: DEFAULT_SIGNATURE_KEY, selectTfOps, ...(representativeDataset ? { representativeDataset } : {}) };
}

export async function askTensorRtOptions(versionDir: string, title: string): Promise<TensorRtConversionOptions | undefined> {
  const precisions: TrtPrecision[] = ['FP16', 'FP32', 'INT8'];
  const picked = await vscode.window.showQuickPick<Pick<TrtPrecision>>(
    precisions.map((p) => ({ label: p, detail: trtPrecisionDescriptions[p], value: p })),
    { title, placeHolder: `Precision. ${TENSORRT_UI_NOTE}` },
  );
  if (!picked) return undefined;
  let calibrationInput: string | undefined;
  if (picked.value === 'INT8') {
    calibrationInput = await askSampleFile(title, 'calibration input for INT8 (.npy or .json)', versionDir, DEFAULT_SIGNATURE_KEY);
    if (!calibrationInput) return undefined;
  }
  const workspace = await vscode.window.showInputBox({
    title, prompt: 'Maximum TensorRT workspace per engine (GPU scratch memory), e.g. 1GiB or 512MiB', value: '1GiB',
    validateInput: (v) => { try { parseByteSize(v); return undefined; } catch (e) { return errorText(e); } },
  });
  if (workspace === undefined) return undefined;
  const segment = await vscode.window.showInputBox({
    title, prompt: 'Minimum segment size: the fewest TensorFlow nodes worth one TensorRT engine', value: String(DEFAULT_TRT_MINIMUM_SEGMENT_SIZE),
    validateInput: (v) => (/^\s*[1-9]\d*\s*$/.test(v) ? undefined : 'A whole number, at least 1.'),
  });
  if (segment === undefined) return undefined;
  return {
    target: 'tensorrt', precision: picked.value, signatureKey: DEFAULT_SIGNATURE_KEY,
    maxWorkspaceBytes: workspace ? parseByteSize(workspace) : DEFAULT_TRT_WORKSPACE_BYTES, minimumSegmentSize: Number(segment),
    ...(calibrationInput ? { calibrationInput } : {}),
  };
}

export async function askRunner(title: string): Promise<RunnerKind | undefined> {
  const interpreter = await findPythonInterpreter();
  const picked = await vscode.window.showQuickPick<Pick<RunnerKind>>([
    { label: '$(terminal) Local Python', detail: `${describeInterpreter(interpreter)}; TensorFlow must be importable there.`, value: 'local' },
    { label: '$(package) Docker', detail: `${runnerImage('tflite')} (setting tfServing.convert.tensorflowImage); pulled if missing.`, value: 'docker' },
  ], { title, placeHolder: 'Where should the conversion run?' });
  return picked?.value;
}

/** The TF-TRT runner is the GPU container only; this confirms it and says what the result needs. */
export async function confirmTensorRtRunner(title: string): Promise<boolean> {
  const answer = await vscode.window.showInformationMessage(`${title} runs in ${runnerImage('tensorrt')} with all NVIDIA GPUs.`, {
    modal: true, detail: [...tensorRtNotes, 'Change the image with the tfServing.convert.tensorrtImage setting.'].join('\n'),
  }, 'Convert');
  return answer === 'Convert';
}

export async function askDestination(title: string, modelName: string, next: number, target: 'tflite' | 'tensorrt'): Promise<ConversionDestination | undefined> {
  const picked = await vscode.window.showQuickPick<Pick<'next' | 'folder'>>([
    { label: `$(versions) Version ${next} of ${modelName}`, detail: target === 'tflite' ? 'model.tflite alone in the new version folder, as TF Serving expects' : 'the TF-TRT SavedModel as the new version', value: 'next' },
    { label: '$(folder) Another folder…', detail: target === 'tflite' ? 'model.tflite is written into it' : 'the SavedModel is written into it (it must not exist yet)', value: 'folder' },
  ], { title, placeHolder: 'Where should the result go?' });
  if (!picked) return undefined;
  if (picked.value === 'next') return { kind: 'next-version' };
  const uris = await vscode.window.showOpenDialog({ title, canSelectFolders: true, canSelectFiles: false, openLabel: 'Write Here' });
  const dir = uris?.[0]?.fsPath;
  if (!dir) return undefined;
  return { kind: 'path', path: target === 'tflite' ? dir : path.join(dir, `${modelName}-tftrt`) };
}

export function sizeLine(before: number, after: number): string {
  return `${formatBytes(before)} → ${formatBytes(after)}`;
}
