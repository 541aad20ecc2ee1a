// TensorFlow's DataType enum (tensorflow/core/framework/types.proto): value → name, as proto3 JSON prints it.

const baseNames: readonly string[] = [
  'DT_INVALID', 'DT_FLOAT', 'DT_DOUBLE', 'DT_INT32', 'DT_UINT8', 'DT_INT16', 'DT_INT8', 'DT_STRING',
  'DT_COMPLEX64', 'DT_INT64', 'DT_BOOL', 'DT_QINT8', 'DT_QUINT8', 'DT_QINT32', 'DT_BFLOAT16', 'DT_QINT16',
  'DT_QUINT16', 'DT_UINT16', 'DT_COMPLEX128', 'DT_HALF', 'DT_RESOURCE', 'DT_VARIANT', 'DT_UINT32', 'DT_UINT64',
  'DT_FLOAT8_E5M2', 'DT_FLOAT8_E4M3FN', 'DT_FLOAT8_E4M3FNUZ', 'DT_FLOAT8_E4M3B11FNUZ', 'DT_FLOAT8_E5M2FNUZ',
  'DT_INT4', 'DT_UINT4', 'DT_INT2', 'DT_UINT2',
];

/** Reference types are the base value + 100 (DT_FLOAT_REF = 101…). */
const refOffset = 100;

/** The enum name, or undefined for a value this table does not know. */
export function dataTypeName(value: number): string | undefined {
  if (value >= 0 && value < baseNames.length) return baseNames[value];
  if (value > refOffset && value - refOffset < baseNames.length) return `${baseNames[value - refOffset]}_REF`;
  return undefined;
}

/** proto3 JSON prints unknown enum values as their number. */
export function dataTypeJson(value: number): string | number {
  return dataTypeName(value) ?? value;
}

/** "DT_FLOAT" → "float", for readable reports. */
export function shortDataTypeName(value: number): string {
  const name = dataTypeName(value);
  return name ? name.replace(/^DT_/, '').toLowerCase() : `dtype(${value})`;
}

/** Name → value, for the text format, which spells enums by name. */
export function dataTypeValue(name: string): number | undefined {
  const i = baseNames.indexOf(name);
  if (i >= 0) return i;
  if (name.endsWith('_REF')) {
    const j = baseNames.indexOf(name.slice(0, -4));
    if (j > 0) return j + refOffset;
  }
  return undefined;
}
