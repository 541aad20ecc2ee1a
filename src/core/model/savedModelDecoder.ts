// Decodes saved_model.pb (tensorflow.SavedModel) far enough to answer "what does this model take and return":
// meta graphs, their tags, signature defs, and an op histogram of the graph (for TF-TRT reports).
// Field numbers come from TensorFlow's saved_model.proto, meta_graph.proto, graph.proto, node_def.proto,
// function.proto, tensor.proto and tensor_shape.proto.

import { ProtobufReader, WireType, type FieldTag } from './protobufReader';
import { asModelDecodeError, ModelDecodeError } from './modelDecodeError';

export interface TensorDim {
  /** -1 means unknown. */
  readonly size: number;
  readonly name: string;
}

export interface TensorShape {
  readonly dims: TensorDim[];
  readonly unknownRank: boolean;
}

export type TensorEncoding =
  | { readonly kind: 'name'; readonly name: string }
  | {
      readonly kind: 'cooSparse';
      readonly valuesTensorName: string;
      readonly indicesTensorName: string;
      readonly denseShapeTensorName: string;
    }
  | {
      readonly kind: 'compositeTensor';
      /** TypeSpecProto.type_spec_class enum value and type_spec_class_name; type_state is not decoded. */
      readonly typeSpecClass: number;
      readonly typeSpecClassName: string;
      readonly components: TensorInfo[];
    }
  | { readonly kind: 'none' };

export interface TensorInfo {
  readonly encoding: TensorEncoding;
  /** DataType enum value (1 = DT_FLOAT…). */
  readonly dtype: number;
  /** Absent when the producer did not record a shape (distinct from an unknown-rank shape). */
  readonly shape?: TensorShape;
}

export interface NamedTensorInfo extends TensorInfo {
  /** The signature's key for this tensor ("x", "inputs"…). */
  readonly key: string;
}

/** A TensorProto, kept close to the wire so it can be printed as proto3 JSON. 64-bit integers are decimal strings. */
export interface TensorValue {
  readonly dtype: number;
  readonly shape?: TensorShape;
  readonly versionNumber: number;
  readonly tensorContent: Uint8Array;
  readonly halfVal: number[];
  readonly floatVal: number[];
  readonly doubleVal: number[];
  readonly intVal: number[];
  readonly stringVal: Uint8Array[];
  readonly scomplexVal: number[];
  readonly int64Val: string[];
  readonly boolVal: boolean[];
  readonly dcomplexVal: number[];
  /** ResourceHandleProto / VariantTensorDataProto values are counted, not decoded. */
  readonly resourceHandleCount: number;
  readonly variantCount: number;
  readonly uint32Val: number[];
  readonly uint64Val: string[];
  readonly float8Val: Uint8Array;
}

export interface SignatureDef {
  readonly key: string;
  readonly inputs: NamedTensorInfo[];
  readonly outputs: NamedTensorInfo[];
  readonly methodName: string;
  readonly defaults: { readonly key: string; readonly value: TensorValue }[];
}

export interface GraphSummary {
  /** NodeDefs directly in graph_def. */
  readonly nodeCount: number;
  /** op name → count, over graph_def's nodes. */
  readonly opHistogram: Record<string, number>;
  /** FunctionDefs in graph_def.library (TF2 models keep most of their graph there). */
  readonly functionCount: number;
  /** op name → count, over the nodes of every library function. */
  readonly functionOpHistogram: Record<string, number>;
  /** VersionDef.producer: the GraphDef version of the TensorFlow that wrote it (0 when absent). */
  readonly producer: number;
}

export interface MetaGraph {
  readonly tags: string[];
  readonly tensorflowVersion: string;
  readonly tensorflowGitVersion: string;
  readonly metaGraphVersion: string;
  readonly signatures: SignatureDef[];
  readonly graph: GraphSummary;
  readonly assetFileCount: number;
  readonly hasObjectGraph: boolean;
  /** A TF1 Saver's restore recipe (meta_graph.saver_def): loading restores variables from variables/. */
  readonly hasSaverDef: boolean;
}

export interface SavedModel {
  readonly schemaVersion: number;
  readonly metaGraphs: MetaGraph[];
}

/** Decodes the bytes of saved_model.pb. Throws ModelDecodeError (kind 'corrupt') on anything that is not a SavedModel. */
export function decodeSavedModel(bytes: Uint8Array, fileLabel = 'saved_model.pb'): SavedModel {
  let model: SavedModel;
  try {
    model = readSavedModel(new ProtobufReader(bytes));
  } catch (e) {
    throw asModelDecodeError(e, fileLabel, 'SavedModel');
  }
  if (model.metaGraphs.length === 0) {
    throw new ModelDecodeError('corrupt', `${fileLabel} is not a valid SavedModel: it holds no MetaGraphDef`);
  }
  return model;
}

/** Decodes one serialized SignatureDef (TFLite files keep TF Serving signatures this way, one per key). */
export function decodeSignatureDef(bytes: Uint8Array, key: string, fileLabel = 'SignatureDef'): SignatureDef {
  try {
    return readSignature(new ProtobufReader(bytes), key);
  } catch (e) {
    throw asModelDecodeError(e, fileLabel, 'SignatureDef');
  }
}

/** The meta graph TF Serving loads for `tags` (default {"serve"}): the one whose tag set is exactly that set. */
export function findMetaGraph(model: SavedModel, tags: readonly string[] = ['serve']): MetaGraph | undefined {
  const want = [...new Set(tags)].sort().join('\u0000');
  return model.metaGraphs.find((m) => [...new Set(m.tags)].sort().join('\u0000') === want);
}

/** Like findMetaGraph, but with an error that lists the tag-sets that do exist. */
export function requireMetaGraph(model: SavedModel, tags: readonly string[] = ['serve']): MetaGraph {
  const found = findMetaGraph(model, tags);
  if (found) return found;
  const available = model.metaGraphs.map((m) => `{${m.tags.join(',')}}`).join(', ');
  throw new ModelDecodeError('unsupported', `no MetaGraphDef with tags {${tags.join(',')}}; the SavedModel has ${available}`);
}

/** Total count of an op (e.g. "TRTEngineOp") over the graph and its function library. */
export function countOp(graph: GraphSummary, op: string): number {
  return (graph.opHistogram[op] ?? 0) + (graph.functionOpHistogram[op] ?? 0);
}

function readSavedModel(r: ProtobufReader): SavedModel {
  let schemaVersion = 0;
  const metaGraphs: MetaGraph[] = [];
  while (!r.done) {
    const t = r.readTag();
    if (t.field === 1) {
      r.expect(t, WireType.varint, 'saved_model_schema_version');
      schemaVersion = r.readInt64();
    } else if (t.field === 2) {
      r.expect(t, WireType.lengthDelimited, 'meta_graphs');
      metaGraphs.push(readMetaGraph(r.readMessage()));
    } else r.skipField(t);
  }
  return { schemaVersion, metaGraphs };
}

function readMetaGraph(r: ProtobufReader): MetaGraph {
  const tags: string[] = [];
  let tensorflowVersion = '';
  let tensorflowGitVersion = '';
  let metaGraphVersion = '';
  const signatures = new KeyedList<SignatureDef>();
  let graph: GraphSummary = emptyGraph();
  let assetFileCount = 0;
  let hasObjectGraph = false;
  let hasSaverDef = false;
  while (!r.done) {
    const t = r.readTag();
    switch (t.field) {
      case 1: {
        r.expect(t, WireType.lengthDelimited, 'meta_info_def');
        const m = r.readMessage();
        while (!m.done) {
          const mt = m.readTag();
          if (mt.field === 1) metaGraphVersion = readString(m, mt, 'meta_graph_version');
          else if (mt.field === 4) tags.push(readString(m, mt, 'tags'));
          else if (mt.field === 5) tensorflowVersion = readString(m, mt, 'tensorflow_version');
          else if (mt.field === 6) tensorflowGitVersion = readString(m, mt, 'tensorflow_git_version');
          else m.skipField(mt);
        }
        break;
      }
      case 2:
        r.expect(t, WireType.lengthDelimited, 'graph_def');
        // A singular message field seen twice is merged, as protobuf parsers do: nodes and functions add up.
        graph = readGraph(r.readMessage(), graph);
        break;
      case 3:
        r.expect(t, WireType.lengthDelimited, 'saver_def');
        r.skipField(t);
        hasSaverDef = true;
        break;
      case 5: {
        r.expect(t, WireType.lengthDelimited, 'signature_def');
        const [key, sig] = readMapEntry(r.readMessage(), 'signature_def', (v, k) => readSignature(v, k));
        signatures.set(key, sig ?? emptySignature(key));
        break;
      }
      case 6:
        r.expect(t, WireType.lengthDelimited, 'asset_file_def');
        r.skipField(t);
        assetFileCount++;
        break;
      case 7:
        r.expect(t, WireType.lengthDelimited, 'object_graph_def');
        r.skipField(t);
        hasObjectGraph = true;
        break;
      default:
        r.skipField(t);
    }
  }
  return { tags, tensorflowVersion, tensorflowGitVersion, metaGraphVersion, signatures: signatures.values(), graph, assetFileCount, hasObjectGraph, hasSaverDef };
}

function emptyGraph(): GraphSummary {
  return { nodeCount: 0, opHistogram: {}, functionCount: 0, functionOpHistogram: {}, producer: 0 };
}

function readGraph(r: ProtobufReader, mergeInto: GraphSummary): GraphSummary {
  let { nodeCount, functionCount, producer } = mergeInto;
  const opHistogram: Record<string, number> = Object.assign(Object.create(null), mergeInto.opHistogram);
  const functionOpHistogram: Record<string, number> = Object.assign(Object.create(null), mergeInto.functionOpHistogram);
  while (!r.done) {
    const t = r.readTag();
    if (t.field === 1) {
      r.expect(t, WireType.lengthDelimited, 'node');
      countNodeOp(r.readMessage(), opHistogram);
      nodeCount++;
    } else if (t.field === 2) {
      r.expect(t, WireType.lengthDelimited, 'library');
      const lib = r.readMessage();
      while (!lib.done) {
        const lt = lib.readTag();
        if (lt.field !== 1) {
          lib.skipField(lt);
          continue;
        }
        lib.expect(lt, WireType.lengthDelimited, 'function');
        functionCount++;
        const fn = lib.readMessage();
        while (!fn.done) {
          const ft = fn.readTag();
          if (ft.field === 3) {
            fn.expect(ft, WireType.lengthDelimited, 'node_def');
            countNodeOp(fn.readMessage(), functionOpHistogram);
          } else fn.skipField(ft);
        }
      }
    } else if (t.field === 4) {
      r.expect(t, WireType.lengthDelimited, 'versions');
      const v = r.readMessage();
      while (!v.done) {
        const vt = v.readTag();
        if (vt.field === 1) {
          v.expect(vt, WireType.varint, 'producer');
          producer = v.readInt32();
        } else v.skipField(vt);
      }
    } else r.skipField(t);
  }
  return { nodeCount, opHistogram: { ...opHistogram }, functionCount, functionOpHistogram: { ...functionOpHistogram }, producer };
}

function countNodeOp(node: ProtobufReader, histogram: Record<string, number>): void {
  let op = '';
  while (!node.done) {
    const t = node.readTag();
    if (t.field === 2) op = readString(node, t, 'op');
    else node.skipField(t);
  }
  histogram[op] = (histogram[op] ?? 0) + 1;
}

function emptySignature(key: string): SignatureDef {
  return { key, inputs: [], outputs: [], methodName: '', defaults: [] };
}

function readSignature(r: ProtobufReader, key: string): SignatureDef {
  const inputs = new KeyedList<NamedTensorInfo>();
  const outputs = new KeyedList<NamedTensorInfo>();
  const defaults = new KeyedList<{ key: string; value: TensorValue }>();
  let methodName = '';
  while (!r.done) {
    const t = r.readTag();
    if (t.field === 1 || t.field === 2) {
      r.expect(t, WireType.lengthDelimited, t.field === 1 ? 'inputs' : 'outputs');
      const [k, info] = readMapEntry(r.readMessage(), 'TensorInfo map', (v) => readTensorInfo(v));
      (t.field === 1 ? inputs : outputs).set(k, { key: k, ...(info ?? emptyTensorInfo()) });
    } else if (t.field === 3) methodName = readString(r, t, 'method_name');
    else if (t.field === 4) {
      r.expect(t, WireType.lengthDelimited, 'defaults');
      const [k, value] = readMapEntry(r.readMessage(), 'defaults', (v) => readTensorValue(v));
      defaults.set(k, { key: k, value: value ?? readTensorValue(new ProtobufReader(new Uint8Array(0))) });
    } else r.skipField(t);
  }
  return { key, inputs: inputs.values(), outputs: outputs.values(), methodName, defaults: defaults.values() };
}

function emptyTensorInfo(): TensorInfo {
  return { encoding: { kind: 'none' }, dtype: 0 };
}

/** map<string, V> entries are messages {key = 1; value = 2}; a missing value is the default instance. */
function readMapEntry<V>(r: ProtobufReader, what: string, readValue: (v: ProtobufReader, key: string) => V): [string, V | undefined] {
  let key = '';
  let valueReader: ProtobufReader | undefined;
  while (!r.done) {
    const t = r.readTag();
    if (t.field === 1) key = readString(r, t, `${what} key`);
    else if (t.field === 2) {
      r.expect(t, WireType.lengthDelimited, `${what} value`);
      valueReader = r.readMessage();
    } else r.skipField(t);
  }
  return [key, valueReader ? readValue(valueReader, key) : undefined];
}

export function readTensorInfo(r: ProtobufReader): TensorInfo {
  let encoding: TensorEncoding = { kind: 'none' };
  let dtype = 0;
  let shape: TensorShape | undefined;
  while (!r.done) {
    const t = r.readTag();
    switch (t.field) {
      case 1:
        encoding = { kind: 'name', name: readString(r, t, 'name') };
        break;
      case 2:
        r.expect(t, WireType.varint, 'dtype');
        dtype = r.readInt32();
        break;
      case 3:
        r.expect(t, WireType.lengthDelimited, 'tensor_shape');
        shape = readShape(r.readMessage());
        break;
      case 4: {
        r.expect(t, WireType.lengthDelimited, 'coo_sparse');
        const c = r.readMessage();
        const names = ['', '', ''];
        while (!c.done) {
          const ct = c.readTag();
          if (ct.field >= 1 && ct.field <= 3) names[ct.field - 1] = readString(c, ct, 'coo_sparse name');
          else c.skipField(ct);
        }
        encoding = { kind: 'cooSparse', valuesTensorName: names[0], indicesTensorName: names[1], denseShapeTensorName: names[2] };
        break;
      }
      case 5: {
        r.expect(t, WireType.lengthDelimited, 'composite_tensor');
        const c = r.readMessage();
        let typeSpecClass = 0;
        let typeSpecClassName = '';
        const components: TensorInfo[] = [];
        while (!c.done) {
          const ct = c.readTag();
          if (ct.field === 1) {
            c.expect(ct, WireType.lengthDelimited, 'type_spec');
            const s = c.readMessage();
            while (!s.done) {
              const st = s.readTag();
              if (st.field === 1) {
                s.expect(st, WireType.varint, 'type_spec_class');
                typeSpecClass = s.readInt32();
              } else if (st.field === 3) typeSpecClassName = readString(s, st, 'type_spec_class_name');
              else s.skipField(st);
            }
          } else if (ct.field === 2) {
            c.expect(ct, WireType.lengthDelimited, 'components');
            components.push(readTensorInfo(c.readMessage()));
          } else c.skipField(ct);
        }
        encoding = { kind: 'compositeTensor', typeSpecClass, typeSpecClassName, components };
        break;
      }
      default:
        r.skipField(t);
    }
  }
  return shape ? { encoding, dtype, shape } : { encoding, dtype };
}

export function readShape(r: ProtobufReader): TensorShape {
  const dims: TensorDim[] = [];
  let unknownRank = false;
  while (!r.done) {
    const t = r.readTag();
    if (t.field === 2) {
      r.expect(t, WireType.lengthDelimited, 'dim');
      const d = r.readMessage();
      let size = 0;
      let name = '';
      while (!d.done) {
        const dt = d.readTag();
        if (dt.field === 1) {
          d.expect(dt, WireType.varint, 'dim.size');
          size = d.readInt64();
        } else if (dt.field === 2) name = readString(d, dt, 'dim.name');
        else d.skipField(dt);
      }
      dims.push({ size, name });
    } else if (t.field === 3) {
      r.expect(t, WireType.varint, 'unknown_rank');
      unknownRank = r.readBool();
    } else r.skipField(t);
  }
  return { dims, unknownRank };
}

export function readTensorValue(r: ProtobufReader): TensorValue {
  let dtype = 0;
  let shape: TensorShape | undefined;
  let versionNumber = 0;
  let tensorContent: Uint8Array = new Uint8Array(0);
  let float8Val: Uint8Array = new Uint8Array(0);
  let resourceHandleCount = 0;
  let variantCount = 0;
  const v = {
    halfVal: [] as number[], floatVal: [] as number[], doubleVal: [] as number[], intVal: [] as number[],
    stringVal: [] as Uint8Array[], scomplexVal: [] as number[], int64Val: [] as string[], boolVal: [] as boolean[],
    dcomplexVal: [] as number[], uint32Val: [] as number[], uint64Val: [] as string[],
  };
  const f32 = (x: ProtobufReader) => x.readFloat();
  const f64 = (x: ProtobufReader) => x.readDouble();
  while (!r.done) {
    const t = r.readTag();
    switch (t.field) {
      case 1: r.expect(t, WireType.varint, 'dtype'); dtype = r.readInt32(); break;
      case 2: r.expect(t, WireType.lengthDelimited, 'tensor_shape'); shape = readShape(r.readMessage()); break;
      case 3: r.expect(t, WireType.varint, 'version_number'); versionNumber = r.readInt32(); break;
      case 4: r.expect(t, WireType.lengthDelimited, 'tensor_content'); tensorContent = r.readBytes(); break;
      case 5: r.readRepeated(t.wireType, WireType.fixed32, f32, v.floatVal); break;
      case 6: r.readRepeated(t.wireType, WireType.fixed64, f64, v.doubleVal); break;
      case 7: r.readRepeated(t.wireType, WireType.varint, (x) => x.readInt32(), v.intVal); break;
      case 8: r.expect(t, WireType.lengthDelimited, 'string_val'); v.stringVal.push(r.readBytes()); break;
      case 9: r.readRepeated(t.wireType, WireType.fixed32, f32, v.scomplexVal); break;
      case 10: r.readRepeated(t.wireType, WireType.varint, (x) => x.readVarintBig(true).toString(), v.int64Val); break;
      case 11: r.readRepeated(t.wireType, WireType.varint, (x) => x.readBool(), v.boolVal); break;
      case 12: r.readRepeated(t.wireType, WireType.fixed64, f64, v.dcomplexVal); break;
      case 13: r.readRepeated(t.wireType, WireType.varint, (x) => x.readInt32(), v.halfVal); break;
      case 14: r.expect(t, WireType.lengthDelimited, 'resource_handle_val'); r.skipField(t); resourceHandleCount++; break;
      case 15: r.expect(t, WireType.lengthDelimited, 'variant_val'); r.skipField(t); variantCount++; break;
      case 16: r.readRepeated(t.wireType, WireType.varint, (x) => x.readUint32(), v.uint32Val); break;
      case 17: r.readRepeated(t.wireType, WireType.varint, (x) => x.readVarintBig(false).toString(), v.uint64Val); break;
      case 18: r.expect(t, WireType.lengthDelimited, 'float8_val'); float8Val = r.readBytes(); break;
      default: r.skipField(t);
    }
  }
  return { dtype, ...(shape ? { shape } : {}), versionNumber, tensorContent, ...v, resourceHandleCount, variantCount, float8Val };
}

function readString(r: ProtobufReader, t: FieldTag, name: string): string {
  r.expect(t, WireType.lengthDelimited, name);
  return r.readString();
}

/** Insertion-ordered list where a repeated key replaces the earlier value in place (protobuf map semantics). */
class KeyedList<T> {
  private readonly map = new Map<string, T>();
  set(key: string, value: T): void {
    this.map.set(key, value);
  }
  values(): T[] {
    return [...this.map.values()];
  }
}
