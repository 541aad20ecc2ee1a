// TF Serving's API protos (protos/ at the extension's root, printed from the 2.21 wheels; see protos/README.md),
// found on disk and parsed once, on first use: the warmup writer and reader encode with the protobufjs Root, the
// gRPC client hands the same folder to @grpc/proto-loader. Field names keep the .proto spelling (snake_case), as
// TF Serving's JSON and the Python API spell them.
import { existsSync } from 'fs';
import * as path from 'path';
import type { Root } from 'protobufjs';

/** The proto files every user of the protos starts from; their imports are found under the include folder. */
export const TF_SERVING_API_PROTOS = [
  'tensorflow_serving/apis/prediction_service.proto',
  'tensorflow_serving/apis/model_service.proto',
  'tensorflow_serving/apis/prediction_log.proto',
] as const;

const MARKER = path.join('protos', 'tensorflow_serving', 'apis', 'predict.proto');
let includeDir: string | undefined;

/**
 * The folder to pass as an include path (`protos/`). Searched upwards from this file, because the same code runs
 * bundled in dist/ (extension and CLI) and compiled in out/src/core/protos/ (tests).
 */
export function protoIncludeDir(): string {
  if (includeDir) return includeDir;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, MARKER))) return (includeDir = path.join(dir, 'protos'));
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`TF Serving's protos were not found above ${__dirname} (looked for ${MARKER}); the installation is incomplete — reinstall the extension or run \`npm run build\`.`);
}

let root: Promise<Root> | undefined;

/** All of TF Serving's API messages and services, parsed once (protobufjs loads lazily, on first call). */
export function tfServingProtoRoot(): Promise<Root> {
  root ??= loadRoot().catch((error: unknown) => {
    root = undefined;
    throw error;
  });
  return root;
}

async function loadRoot(): Promise<Root> {
  const protobuf = await import('protobufjs');
  const dir = protoIncludeDir();
  const parsed = new protobuf.Root();
  // google/protobuf/*.proto come bundled with protobufjs; everything else from protos/.
  parsed.resolvePath = (_origin, target) =>
    path.isAbsolute(target) || target.startsWith('google/protobuf/') ? target : path.join(dir, target);
  parsed.loadSync(TF_SERVING_API_PROTOS.map((file) => path.join(dir, file)), { keepCase: true });
  parsed.resolveAll();
  return parsed;
}
