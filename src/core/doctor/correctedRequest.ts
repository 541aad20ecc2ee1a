// A predict body TF Serving refused (json_tensor.cc), corrected where the fix is mechanical: the one input's
// name, one of 'instances'/'inputs', standard base64 for URL-safe, {"b64": …} wrapping for string inputs.
import type { Evidence } from './diagnosis';
import { REST_PAYLOAD } from './tfServingMessages';

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface Correction {
  readonly cause: string;
  readonly fix: string;
  /** The corrected body; undefined when no mechanical correction exists. */
  readonly body?: Json;
}

/** The inputs (name → dtype) of the signature the body names, when the evidence has them. */
function inputsOf(body: Json, e: Evidence): Record<string, string> | undefined {
  const sig = isObj(body) && typeof body.signature_name === 'string' ? body.signature_name : 'serving_default';
  const inputs = e.signatures?.[sig]?.inputs;
  return inputs ? Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.dtype ?? ''])) : undefined;
}

/** URL-safe base64 (-, _, no padding) → the standard alphabet TF Serving decodes. */
export function standardBase64(s: string): string {
  const std = s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  return std + '='.repeat((4 - (std.length % 4)) % 4);
}

function mapB64(v: Json, f: (s: string) => string): Json {
  if (Array.isArray(v)) return v.map((x) => mapB64(x, f));
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'b64' && typeof x === 'string' ? f(x) : mapB64(x, f)]));
  return v;
}

/** {"b64": [a, b]} → [{"b64": a}, {"b64": b}]; {"B64"|"base64"|…: s} → {"b64": s}. */
function rewrapB64(v: Json): Json {
  if (Array.isArray(v)) return v.map(rewrapB64);
  if (!isObj(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && /^(b64|base64)$/i.test(keys[0])) {
    const x = v[keys[0]];
    if (typeof x === 'string') return { b64: x };
    if (Array.isArray(x)) return x.map((s) => (typeof s === 'string' ? { b64: s } : rewrapB64(s)));
  }
  if ('b64' in v && typeof v.b64 === 'string') return { b64: v.b64 };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewrapB64(x)]));
}

/** Renames the keys of a single-input request (rows or columns) to the signature's one input. */
function renameSingleInput(body: Obj, wanted: string): Json | undefined {
  if (isObj(body.inputs) && Object.keys(body.inputs).length === 1) return { ...body, inputs: { [wanted]: Object.values(body.inputs)[0] } };
  if (Array.isArray(body.instances) && body.instances.every((r) => isObj(r) && Object.keys(r).length === 1)) {
    return { ...body, instances: body.instances.map((r) => ({ [wanted]: Object.values(r as Obj)[0] })) };
  }
  return undefined;
}

export function correctedPredictRequest(kind: keyof typeof REST_PAYLOAD, line: string, e: Evidence): Correction {
  const body = e.request?.body;
  const inputs = inputsOf(body, e);
  const names = inputs ? Object.keys(inputs) : [];
  const obj = isObj(body) ? body : undefined;
  switch (kind) {
    case 'bothKeys': {
      const { inputs: _columns, ...rows } = obj ?? {};
      return { cause: 'The body has both "instances" (row format) and "inputs" (columnar format); TF Serving reads exactly one.',
        fix: 'Keep one of them: "instances" for a list of examples, or "inputs" for whole tensors.', body: obj ? rows : undefined };
    }
    case 'noKey':
      return { cause: 'The body has neither "instances" nor "inputs".', fix: 'Send {"instances": [...]} (one entry per example) or {"inputs": ...}.',
        body: obj && names.length === 1 && obj[names[0]] !== undefined ? { ...Object.fromEntries(Object.entries(obj).filter(([k]) => k !== names[0])), instances: obj[names[0]] } : undefined };
    case 'missingNamedInput':
    case 'noNamedInput':
    case 'objectKeysDiffer': {
      const m = REST_PAYLOAD[kind].exec(line);
      const named = kind === 'objectKeysDiffer' ? m?.[2] : m?.[1];
      const corrected = obj && names.length === 1 ? renameSingleInput(obj, names[0]) : undefined;
      return { cause: kind === 'missingNamedInput' ? `The signature's input "${named}" is not in the request.`
          : kind === 'noNamedInput' ? `The request names "${named}", which the signature has no input for.` : `Each instance must have exactly the keys ${named}.`,
        fix: names.length ? `Name the signature's inputs exactly: ${names.join(', ')}.` : 'Use the input names the model metadata lists (GET /v1/models/<model>/metadata).', body: corrected };
    }
    case 'base64Decode':
      return { cause: 'A "b64" value is not standard base64: TF Serving decodes the standard alphabet (+ and /), not the URL-safe one (- and _).',
        fix: 'Encode with base64.b64encode (Python) or Buffer.toString("base64"), not the URL-safe variant.', body: body === undefined ? undefined : mapB64(body, standardBase64) };
    case 'base64Format':
      return { cause: 'Binary values of a string input must each be an object with exactly one key, "b64", holding a base64 string.',
        fix: 'Wrap every value alone: {"b64": "<base64>"} (a list is a list of such objects).', body: body === undefined ? undefined : rewrapB64(body) };
    case 'typeMismatch': {
      const m = REST_PAYLOAD.typeMismatch.exec(line);
      const [, value, got, want] = m ?? [];
      if (got === 'Object' && /"b64"/.test(value ?? '')) {
        return { cause: `A {"b64": …} value was sent to a ${want} input; "b64" is only for string (DT_STRING) inputs.`,
          fix: `Send numbers for ${want} inputs, or decode the bytes into numbers in the client first.` };
      }
      return { cause: `A value of JSON type ${got} was sent to a ${want} input.`, fix: `Send ${want === 'DT_STRING' || want === 'string' ? 'strings (binary data as {"b64": …})' : 'numbers'} for that input.` };
    }
  }
}
