// Where TF Serving's protos come from for the gRPC client and its message conversions: the include directory for
// @grpc/proto-loader and a protobufjs Root (for the Any inside GetModelMetadataResponse). Loaded once, on first use.
// TODO(merge): delegate to src/core/protos/ once the shipped protos/ land on main.
import * as fs from 'fs';
import * as path from 'path';
import type * as protobuf from 'protobufjs';

/** The files that define both services (and import everything else they need). */
export const SERVICE_PROTO_FILES = ['tensorflow_serving/apis/prediction_service.proto', 'tensorflow_serving/apis/model_service.proto'] as const;

/** The folder holding tensorflow_serving/… and tensorflow/…: $TFS_PROTO_DIR, else the nearest protos/ above this file. */
export function protoIncludeDir(): string {
  const env = process.env.TFS_PROTO_DIR;
  if (env) return env;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'protos');
    if (fs.existsSync(path.join(candidate, SERVICE_PROTO_FILES[0]))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`TF Serving's protos were not found above ${__dirname} (set TFS_PROTO_DIR to the folder holding tensorflow_serving/apis).`);
  }
}

let root: Promise<protobuf.Root> | undefined;
export function tfServingRoot(): Promise<protobuf.Root> {
  root ??= (async () => {
    const pb = await import('protobufjs');
    const include = protoIncludeDir();
    const r = new pb.Root();
    r.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(include, target));
    r.loadSync([...SERVICE_PROTO_FILES], { keepCase: true });
    r.resolveAll();
    return r;
  })();
  return root;
}
