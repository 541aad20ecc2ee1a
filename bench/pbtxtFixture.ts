// A saved_model.pbtxt of a given size shaped like the ones TensorFlow writes: a graph of Const nodes whose
// tensor_content holds float bytes as C escapes, attrs, a function library, and a serving signature.
export function savedModelText(targetBytes: number): string {
  const parts: string[] = ['saved_model_schema_version: 1\nmeta_graphs {\n  meta_info_def {\n    tags: "serve"\n    tensorflow_version: "2.17.0"\n  }\n  graph_def {\n'];
  let size = parts[0].length;
  const escape = (b: number) => (b >= 32 && b < 127 && b !== 34 && b !== 92 ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`);
  for (let i = 0; size < targetBytes; i++) {
    let content = '';
    for (let j = 0; j < 256; j++) content += escape((i * 31 + j * 7) & 0xff);
    const node = `    node {\n      name: "dense_${i}/kernel"\n      op: "Const"\n      attr {\n        key: "dtype"\n        value {\n          type: DT_FLOAT\n        }\n      }\n      attr {\n        key: "value"\n        value {\n          tensor {\n            dtype: DT_FLOAT\n            tensor_shape {\n              dim {\n                size: 8\n              }\n              dim {\n                size: 8\n              }\n            }\n            tensor_content: "${content}"\n          }\n        }\n      }\n    }\n`;
    parts.push(node);
    size += node.length;
  }
  parts.push('    versions {\n      producer: 1882\n    }\n  }\n  signature_def {\n    key: "serving_default"\n    value {\n      inputs {\n        key: "x"\n        value {\n          name: "serving_default_x:0"\n          dtype: DT_FLOAT\n          tensor_shape {\n            dim {\n              size: -1\n            }\n            dim {\n              size: 8\n            }\n          }\n        }\n      }\n      outputs {\n        key: "y"\n        value {\n          name: "StatefulPartitionedCall:0"\n          dtype: DT_FLOAT\n          tensor_shape {\n            dim {\n              size: -1\n            }\n          }\n        }\n      }\n      method_name: "tensorflow/serving/predict"\n    }\n  }\n}\n');
  return parts.join('');
}
