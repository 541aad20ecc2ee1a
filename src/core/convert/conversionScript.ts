// Turns conversion options into one readable, self-contained Python script that only uses TensorFlow's documented
// converter APIs. The user can read it ("Show conversion script") and run it themselves with `python3 convert.py`.
//
// API names and arguments checked against TensorFlow's source (tensorflow/tensorflow):
//  - tensorflow/lite/python/lite.py: TFLiteConverterV2.from_saved_model(saved_model_dir, signature_keys=None,
//    tags=None); converter.optimizations = [Optimize.DEFAULT] (OPTIMIZE_FOR_SIZE / OPTIMIZE_FOR_LATENCY are
//    "Deprecated. Does the same as DEFAULT."); converter.target_spec.supported_types / supported_ops;
//    OpsSet.TFLITE_BUILTINS, TFLITE_BUILTINS_INT8, SELECT_TF_OPS; converter.representative_dataset;
//    converter.inference_input_type / inference_output_type; converter.convert() returns the flatbuffer bytes.
//  - tensorflow/lite/python/optimize/calibrator.py (_feed_tensors): a representative sample may be a list in input
//    order, a dict of signature input name -> array, or a (signature_key, dict) tuple; we yield dicts.
//  - tensorflow/python/compiler/tensorrt/trt_convert.py: TrtGraphConverterV2(input_saved_model_dir=,
//    input_saved_model_tags=, input_saved_model_signature_key=, use_dynamic_shape=, dynamic_shape_profile_strategy=,
//    max_workspace_size_bytes=, precision_mode=, minimum_segment_size=, maximum_cached_engines=, use_calibration=,
//    allow_build_at_runtime=, conversion_params=None); TrtPrecisionMode.FP32/FP16/INT8;
//    convert(calibration_input_fn=None) raises when INT8 calibration input is missing, and also when it is given
//    without INT8; build(input_fn) takes a generator of a list/tuple/dict per run; save(output_saved_model_dir).
//  - Error text: tensorflow/compiler/mlir/lite/flatbuffer_export.cc ("Some ops are not supported by the native
//    TFLite runtime, you can enable TF kernels fallback using TF Select. ... \nTF Select ops: A, B\nDetails:\n\ttf.A(...)",
//    "Some ops in the model are custom ops, ... \nCustom ops: C", "'tf.X' op is neither a custom op nor a flex op");
//    TF 2.2-2.4 printed "ops that can be supported by the flex runtime (enabled via setting the
//    -emit-select-tf-ops flag):\n\ttf.Erf {...}"; TOCO printed "... you will need custom implementations: Erf.".
import type { ConversionOptions, TensorRtConversionOptions, TfliteConversionOptions } from './conversionOptions';
import { TENSORFLOW_RUNNER_VERSION } from './conversionOptions';
import type { SampleSet } from './sampleInputs';
import { readSamplesFunction, sampleConstants } from './sampleReaderPython';
import { pythonCommentText, pythonInt, pythonName, pythonString as py } from './pythonLiteral';

/** Every structured line the script prints starts with this, followed by one JSON object. */
export const SCRIPT_EVENT_PREFIX = '@@tfserving-studio ';

/** Paths as the script sees them (host paths for the local runner, container paths for Docker). */
export interface ScriptPaths {
  readonly savedModelDir: string;
  /** TFLite: the .tflite file to write. TF-TRT: the SavedModel folder to write. */
  readonly output: string;
  readonly samplesFile?: string;
  /** Validation: the TFLite file and the folder for raw outputs. */
  readonly tfliteFile?: string;
  readonly outputDir?: string;
}

export interface ScriptContext {
  readonly paths: ScriptPaths;
  /** Sample inputs checked against the signature (int8 / TF-TRT calibration). */
  readonly samples?: SampleSet;
  /** Shown in the header comment. */
  readonly modelLabel?: string;
}

export function describeOptions(options: ConversionOptions): string {
  if (options.target === 'tflite') {
    const q = { none: 'float32, no quantization', dynamic: 'dynamic-range quantization', float16: 'float16 quantization', int8: 'full-integer int8 quantization' }[options.quantize];
    return `TFLite (${q}${options.selectTfOps ? ', with SELECT_TF_OPS' : ''})`;
  }
  return `TF-TRT (${options.precision}, workspace ${options.maxWorkspaceBytes} bytes, minimum segment ${options.minimumSegmentSize})`;
}

export function generateConversionScript(options: ConversionOptions, ctx: ScriptContext): string {
  refuseUnknownValues(options);
  if ((options.target === 'tflite' ? options.quantize === 'int8' : options.precision === 'INT8') && !ctx.samples) {
    throw new Error('int8 conversion needs checked sample inputs');
  }
  const parts = [
    header(options, ctx),
    constants(options, ctx),
    helpers,
    options.target === 'tensorrt' ? folderBytes : '',
    ctx.samples ? sampleGenerator(ctx.samples) : '',
    options.target === 'tflite' ? tfliteBody(options) : tensorRtBody(options, ctx),
    mainBlock(),
  ];
  return parts.filter(Boolean).join('\n\n\n') + '\n';
}

/** Enums and numbers reach the script as code (and its header comment), so only known values pass. */
function refuseUnknownValues(options: ConversionOptions): void {
  if (options.target === 'tflite') {
    pythonName(options.quantize, ['none', 'dynamic', 'float16', 'int8'], 'The quantization');
  } else {
    pythonName(options.precision, ['FP32', 'FP16', 'INT8'], 'The TF-TRT precision');
    pythonInt(options.maxWorkspaceBytes, 'The maximum workspace');
    pythonInt(options.minimumSegmentSize, 'The minimum segment size');
  }
}

function header(options: ConversionOptions, ctx: ScriptContext): string {
  return [
    '#!/usr/bin/env python3',
    // The label is a user's path: only its Python literal goes into the comment (a newline in it stays "\\n").
    `# Generated by TF Serving Studio: converts ${ctx.modelLabel === undefined ? 'a SavedModel' : pythonCommentText(ctx.modelLabel)} to ${describeOptions(options)}.`,
    `# Needs Python 3 with TensorFlow importable (written for TensorFlow ${TENSORFLOW_RUNNER_VERSION}). Run: python3 convert.py`,
    `# Progress goes to stdout/stderr; lines starting with "${SCRIPT_EVENT_PREFIX.trim()}" carry one JSON object each`,
    '# (tensorflow version, result, error) for the tool that started the script.',
    'import json',
    'import os',
    'import re',
    'import sys',
  ].join('\n');
}

function constants(options: ConversionOptions, ctx: ScriptContext): string {
  const lines = [
    `SAVED_MODEL_DIR = ${py(ctx.paths.savedModelDir)}`,
    `SIGNATURE_KEY = ${py(options.signatureKey)}`,
    options.target === 'tflite' ? `OUTPUT_FILE = ${py(ctx.paths.output)}` : `OUTPUT_DIR = ${py(ctx.paths.output)}`,
    `SELECT_TF_OPS = ${options.target === 'tflite' && options.selectTfOps ? 'True' : 'False'}`,
  ];
  if (ctx.samples) {
    if (!ctx.paths.samplesFile) throw new Error('samples need a samplesFile path');
    lines.push(...sampleConstants(ctx.samples, ctx.paths.samplesFile));
  }
  return lines.join('\n');
}

const helpers = String.raw`
def report(event, **fields):
    """One machine-readable line for the caller; everything else printed is plain log."""
    fields["event"] = event
    print("@@tfserving-studio " + json.dumps(fields), flush=True)


def unsupported_ops(text):
    """Op names from the converter's error text, and whether TF Select (Flex) can run them."""
    ops = []

    def add(names):
        for name in names:
            name = name.strip().strip(".")
            if name.startswith("tf."):
                name = name[3:]
            if name and name not in ops:
                ops.append(name)

    flex = False
    for match in re.finditer(r"TF Select ops: ([^\n]+)", text):
        flex = True
        add(match.group(1).split(","))
    for match in re.finditer(r"Custom ops: ([^\n]+)", text):
        add(match.group(1).split(","))
    for match in re.finditer(r"'tf\.(\w+)' op is neither a custom op nor a flex op", text):
        add([match.group(1)])
    # TensorFlow 2.2-2.4: a header line, then one tab-indented op per line.
    for match in re.finditer(r"ops that can be supported by the flex runtime[^\n]*\n((?:[ \t]+tf\.\w+[^\n]*\n?)+)", text):
        flex = True
        add(re.findall(r"tf\.(\w+)", match.group(1)))
    # TOCO (TensorFlow 1.x / early 2.x).
    for match in re.finditer(r"you will need custom implementations: ([^\n]+?)\.?(?:\n|$)", text):
        add(match.group(1).split(","))
    if not ops:
        for match in re.finditer(r"\n\s*tf\.(\w+)\(", text):
            add([match.group(1)])
    return ops, flex


def describe_error(error):
    """Turns a converter exception into {kind, message, hint, ops}."""
    text = str(error)
    ops, flex = unsupported_ops(text)
    if ops:
        if SELECT_TF_OPS:
            hint = ("SELECT_TF_OPS is already on, so these ops have no TensorFlow kernel in TFLite's Flex delegate either: "
                    "rewrite that part of the model, or register custom ops.")
        elif flex:
            hint = "Converting with SELECT_TF_OPS (TFLITE_BUILTINS + SELECT_TF_OPS) may help; it adds tens of MB at runtime."
        else:
            hint = "These are custom ops: TFLite needs your own kernels for them (allow_custom_ops), or try SELECT_TF_OPS."
        return {"kind": "unsupported-ops", "ops": ops, "flex": flex,
                "message": "TFLite cannot convert these ops: " + ", ".join(ops), "hint": hint}
    if "READ_VARIABLE" in text and "failed to invoke" in text:
        return {"kind": "converter-failed", "message": "Calibration stopped at a variable the converter left unfrozen (READ_VARIABLE): " + text.strip().splitlines()[-1],
                "hint": "Keras 3 models saved with tf.saved_model.save() do this; export the model with model.export(dir) and convert that."}
    first = text.strip().splitlines()[-1] if text.strip() else type(error).__name__
    return {"kind": "converter-failed", "message": type(error).__name__ + ": " + first, "hint": ""}`.trimStart();

const folderBytes = String.raw`
def folder_bytes(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total`.trimStart();

function sampleGenerator(samples: SampleSet): string {
  return [
    readSamplesFunction,
    '',
    '',
    'def sample_inputs():',
    `    """Yields the ${samples.count} sample(s) of ${samples.format === 'npy' ? 'the .npy file' : 'the JSON file'} as {signature input name: array}."""`,
    '    yield from read_samples()',
  ].join('\n');
}

/** The start of both convert() bodies: import TensorFlow, or report plainly that Python cannot. */
const IMPORT_TENSORFLOW = [
    'def convert():',
    '    try:',
    '        import tensorflow as tf',
    '    except ImportError as error:',
    '        report("error", kind="tensorflow-missing", message="Python cannot import TensorFlow: " + str(error),',
    `               hint="Install it (pip install tensorflow==${TENSORFLOW_RUNNER_VERSION}) or use the Docker runner.")`,
    '        sys.exit(2)',
    '    report("tensorflow", version=tf.__version__)',
];

function tfliteBody(o: TfliteConversionOptions): string {
  const lines = [
    ...IMPORT_TENSORFLOW,
    '    converter = tf.lite.TFLiteConverter.from_saved_model(SAVED_MODEL_DIR, signature_keys=[SIGNATURE_KEY])',
  ];
  if (o.quantize !== 'none') {
    lines.push('    # Optimize.DEFAULT quantizes weights; OPTIMIZE_FOR_SIZE/LATENCY are deprecated aliases of it.');
    lines.push('    converter.optimizations = [tf.lite.Optimize.DEFAULT]');
  }
  if (o.quantize === 'float16') {
    lines.push('    # Weights stored as float16 (dequantized to float32 on CPU, used as-is by GPU delegates).');
    lines.push('    converter.target_spec.supported_types = [tf.float16]');
  }
  if (o.quantize === 'int8') {
    lines.push('    # Activation ranges are measured on the sample inputs.');
    lines.push('    converter.representative_dataset = sample_inputs');
  }
  if (o.selectTfOps) {
    lines.push('    # Ops TFLite lacks run with TensorFlow kernels (Flex delegate, tens of MB at runtime).');
    lines.push('    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS, tf.lite.OpsSet.SELECT_TF_OPS]');
  } else if (o.quantize === 'int8') {
    lines.push('    # Integer-only kernels: conversion fails rather than silently keeping float ops.');
    lines.push('    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]');
  }
  if (o.integerOnlyIo) {
    lines.push('    converter.inference_input_type = tf.int8');
    lines.push('    converter.inference_output_type = tf.int8');
  }
  lines.push(
    '    tflite_model = converter.convert()',
    '    os.makedirs(os.path.dirname(OUTPUT_FILE) or ".", exist_ok=True)',
    '    with open(OUTPUT_FILE, "wb") as f:',
    '        f.write(tflite_model)',
    '    report("result", output=OUTPUT_FILE, bytes=os.path.getsize(OUTPUT_FILE))',
  );
  return lines.join('\n');
}

function tensorRtBody(o: TensorRtConversionOptions, ctx: ScriptContext): string {
  const int8 = o.precision === 'INT8';
  const lines = [
    ...IMPORT_TENSORFLOW,
    '    try:',
    '        from tensorflow.python.compiler.tensorrt import trt_convert as trt',
    '    except ImportError as error:',
    '        report("error", kind="tensorflow-version", message="This TensorFlow (" + tf.__version__ + ") has no TF-TRT: " + str(error),',
    `               hint="TF-TRT was removed after TensorFlow 2.17; use the tensorflow/tensorflow:${TENSORFLOW_RUNNER_VERSION}-gpu image.")`,
    '        sys.exit(2)',
    '    converter = trt.TrtGraphConverterV2(',
    '        input_saved_model_dir=SAVED_MODEL_DIR,',
    '        input_saved_model_signature_key=SIGNATURE_KEY,',
    `        precision_mode=trt.TrtPrecisionMode.${pythonName(o.precision, ['FP32', 'FP16', 'INT8'], 'The TF-TRT precision')},`,
    `        max_workspace_size_bytes=${pythonInt(o.maxWorkspaceBytes, 'The maximum workspace')},`,
    `        minimum_segment_size=${pythonInt(o.minimumSegmentSize, 'The minimum segment size')},`,
    `        use_calibration=${int8 ? 'True' : 'False'},`,
    '    )',
  ];
  if (int8) {
    lines.push('    # INT8: TensorRT measures activation ranges by running the sample inputs.');
    lines.push('    converter.convert(calibration_input_fn=sample_inputs)');
  } else {
    lines.push('    converter.convert()');
  }
  if (ctx.samples) {
    lines.push('    # Build the TensorRT engines now (for the sample shapes) instead of on the first request.');
    lines.push('    converter.build(input_fn=sample_inputs)');
  }
  lines.push(
    '    converter.save(OUTPUT_DIR)',
    '    report("result", output=OUTPUT_DIR, bytes=folder_bytes(OUTPUT_DIR))',
  );
  return lines.join('\n');
}

function mainBlock(): string {
  return [
    'if __name__ == "__main__":',
    '    try:',
    '        convert()',
    '    except Exception as error:  # the converter raises ConverterError, ValueError, RuntimeError...',
    '        import traceback',
    '',
    '        traceback.print_exc()',
    '        report("error", **describe_error(error))',
    '        sys.exit(1)',
  ].join('\n');
}
