// What a conversion can be asked to do: TFLite post-training quantization or TF-TRT, with the facts a user needs
// to choose (and the ones that bite later, like TF-TRT's end after TensorFlow 2.17).
import { ConversionError } from './conversionError';

export type ConversionTarget = 'tflite' | 'tensorrt';

/** none: float32 as trained; dynamic: Optimize.DEFAULT alone; float16: supported_types=[float16]; int8: full integer. */
export type TfliteQuantization = 'none' | 'dynamic' | 'float16' | 'int8';

export type TrtPrecision = 'FP32' | 'FP16' | 'INT8';

export interface TfliteConversionOptions {
  readonly target: 'tflite';
  readonly quantize: TfliteQuantization;
  /** The SavedModel signature to convert (default serving_default). */
  readonly signatureKey: string;
  /** Sample inputs (.npy or .json) for int8 calibration; required for int8, refused otherwise. */
  readonly representativeDataset?: string;
  /** Also allow TensorFlow kernels (Flex) for ops TFLite lacks. */
  readonly selectTfOps: boolean;
  /** int8 only: make the model's inputs and outputs int8 too (inference_input_type/output_type). */
  readonly integerOnlyIo?: boolean;
}

export interface TensorRtConversionOptions {
  readonly target: 'tensorrt';
  readonly precision: TrtPrecision;
  readonly signatureKey: string;
  /** TensorRT's scratch GPU memory per engine. */
  readonly maxWorkspaceBytes: number;
  /** Fewest TensorFlow nodes worth one TRTEngineOp. */
  readonly minimumSegmentSize: number;
  /** Sample inputs (.npy or .json); required for INT8 (calibration), optional otherwise (prebuilds engines). */
  readonly calibrationInput?: string;
}

export type ConversionOptions = TfliteConversionOptions | TensorRtConversionOptions;

/** The TensorFlow the project's conversion and validation scripts are tested with (scripts/python/requirements.txt). */
export const TENSORFLOW_RUNNER_VERSION = '2.21.0';
export const TFLITE_RUNNER_IMAGE = `tensorflow/tensorflow:${TENSORFLOW_RUNNER_VERSION}`;
/** TF-TRT lives in TensorFlow up to 2.17, so its runner image stays there. */
export const TENSORRT_RUNNER_IMAGE = 'tensorflow/tensorflow:2.17.0-gpu';
/** TF Serving 2.18 dropped TF-TRT: a converted model only loads in this image (or older GPU images). */
export const TENSORRT_SERVING_IMAGE = 'tensorflow/serving:2.17.0-gpu';
/** TensorFlow's own default for max_workspace_size_bytes (DEFAULT_TRT_MAX_WORKSPACE_SIZE_BYTES = 1 << 30). */
export const DEFAULT_TRT_WORKSPACE_BYTES = 1 << 30;
/** TensorFlow's default minimum_segment_size. */
export const DEFAULT_TRT_MINIMUM_SEGMENT_SIZE = 3;
export const DEFAULT_SIGNATURE_KEY = 'serving_default';

export const optimizeModesExplanation =
  'TFLite\'s Optimize enum also lists OPTIMIZE_FOR_SIZE and OPTIMIZE_FOR_LATENCY, but TensorFlow marks both as ' +
  'deprecated and they do the same as Optimize.DEFAULT: weights are quantized, and activations too when a ' +
  'representative dataset is given. What changes the result is the quantization choice (dynamic range, float16, ' +
  'int8), so those are the only choices offered.';

export const selectTfOpsWarning =
  'SELECT_TF_OPS lets the model use TensorFlow kernels for ops TFLite lacks. The model then needs the Flex ' +
  'delegate at runtime, which adds tens of MB to the app or server binary; TF Serving\'s TFLite path does not ' +
  'include it. Use it only when the converter names ops it cannot convert.';

export const tensorRtNotes = [
  `TF-TRT was removed from TensorFlow after 2.17: the conversion runs in ${TENSORRT_RUNNER_IMAGE}.`,
  `TF Serving 2.18 cannot load TF-TRT models: serve the result with ${TENSORRT_SERVING_IMAGE}.`,
  'TF-TRT needs an NVIDIA GPU with the NVIDIA Container Toolkit on the Docker host.',
  'TensorRT engines are specific to the GPU model and TensorRT version they were built for.',
];

export const quantizationDescriptions: Record<TfliteQuantization, string> = {
  none: 'No quantization: float32 weights and activations, as trained.',
  dynamic: 'Dynamic range (Optimize.DEFAULT): weights stored as int8, activations stay float; about 4x smaller, no sample data needed.',
  float16: 'Float16 (Optimize.DEFAULT + supported_types=[float16]): weights stored as float16; about 2x smaller, GPU-friendly.',
  int8: 'Full integer (Optimize.DEFAULT + representative dataset + TFLITE_BUILTINS_INT8): weights and activations int8; needs sample inputs.',
};

export const trtPrecisionDescriptions: Record<TrtPrecision, string> = {
  FP32: 'FP32: TensorRT engines in float32 (fusion and kernel tuning only).',
  FP16: 'FP16: engines may run in half precision on GPUs with fast float16.',
  INT8: 'INT8: engines in int8, calibrated on sample inputs you provide.',
};

export function isTrtPrecision(v: string): v is TrtPrecision {
  return v === 'FP32' || v === 'FP16' || v === 'INT8';
}

export function isTfliteQuantization(v: string): v is TfliteQuantization {
  return v === 'none' || v === 'dynamic' || v === 'float16' || v === 'int8';
}

/** The sample-input file of a conversion, if any. */
export function sampleInputFile(options: ConversionOptions): string | undefined {
  return options.target === 'tflite' ? options.representativeDataset : options.calibrationInput;
}

/** Checks combinations that can never work; throws ConversionError('invalid-options'). Returns warnings. */
export function checkConversionOptions(options: ConversionOptions): string[] {
  const fail = (message: string, hint?: string): never => {
    throw new ConversionError('invalid-options', message, hint);
  };
  const warnings: string[] = [];
  if (!options.signatureKey) fail('A signature key is required.', `Use ${DEFAULT_SIGNATURE_KEY} unless the model exports another.`);
  if (options.target === 'tflite') {
    if (!isTfliteQuantization(options.quantize)) fail(`Unknown quantization "${options.quantize}".`, 'Choose none, dynamic, float16 or int8.');
    if (options.quantize === 'int8' && !options.representativeDataset) {
      fail('Full-integer (int8) quantization needs a representative dataset.', 'Point at a .npy or .json file of 100-500 typical inputs.');
    }
    if (options.quantize !== 'int8' && options.representativeDataset) {
      fail(`A representative dataset is only used by int8 quantization, not "${options.quantize}".`, 'Drop the dataset, or choose int8.');
    }
    if (options.integerOnlyIo && options.quantize !== 'int8') fail('int8 inputs and outputs need int8 quantization.');
    if (options.integerOnlyIo && options.selectTfOps) {
      fail('int8-only inputs and outputs cannot be combined with SELECT_TF_OPS.', 'Without SELECT_TF_OPS the converter uses TFLITE_BUILTINS_INT8 only.');
    }
    if (options.selectTfOps) warnings.push(selectTfOpsWarning);
    return warnings;
  }
  if (!isTrtPrecision(options.precision)) fail(`Unknown TF-TRT precision "${options.precision}".`, 'Choose FP32, FP16 or INT8.');
  if (options.precision === 'INT8' && !options.calibrationInput) {
    fail('TF-TRT INT8 needs calibration input.', 'Point at a .npy or .json file of typical inputs; TensorRT measures activation ranges on them.');
  }
  if (!Number.isSafeInteger(options.maxWorkspaceBytes) || options.maxWorkspaceBytes <= 0) {
    fail(`The maximum workspace must be a positive number of bytes, not ${options.maxWorkspaceBytes}.`, `TensorFlow's default is ${DEFAULT_TRT_WORKSPACE_BYTES} (1 GiB).`);
  }
  if (!Number.isSafeInteger(options.minimumSegmentSize) || options.minimumSegmentSize < 1) {
    fail(`The minimum segment size must be a whole number of nodes, at least 1, not ${options.minimumSegmentSize}.`, `TensorFlow's default is ${DEFAULT_TRT_MINIMUM_SEGMENT_SIZE}.`);
  }
  warnings.push(...tensorRtNotes.slice(0, 2));
  return warnings;
}

/** Parses a byte size like 1073741824, 1GiB, 512MiB, 2G, 256M. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)\s*$/i.exec(text);
  if (!m) throw new ConversionError('invalid-options', `"${text}" is not a size.`, 'Write bytes (1073741824) or a size with a unit (1GiB, 512MiB).');
  const unit = m[2].toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * mult);
}
