// A failed gRPC call as a plain message: the status name and the server's text, e.g.
// "NOT_FOUND: Servable not found for request: Latest(resnet)" — the words TF Serving's logs and docs use.

/** google.rpc.Code / grpc status codes by number (the same numbering). */
export const GRPC_STATUS_NAMES = [
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED',
] as const;
export type GrpcStatusName = (typeof GRPC_STATUS_NAMES)[number];

export function grpcStatusName(code: number | undefined): GrpcStatusName | 'UNKNOWN' {
  return (code !== undefined && GRPC_STATUS_NAMES[code]) || 'UNKNOWN';
}

export class GrpcError extends Error {
  constructor(readonly status: GrpcStatusName | 'UNKNOWN', readonly details: string, readonly hint?: string) {
    super(`${status}: ${details}`);
  }
}

/** A grpc-js ServiceError (or anything thrown by a call) turned into a GrpcError naming what to do where we know. */
export function grpcErrorOf(e: unknown, target: string, method: string, timeoutMs: number): GrpcError {
  const any = e as { code?: number; details?: string; message?: string };
  const status = grpcStatusName(any?.code);
  const details = any?.details || any?.message || String(e);
  if (status === 'DEADLINE_EXCEEDED') return new GrpcError(status, `${method} on ${target} got no answer within ${timeoutMs} ms.`, 'Is the server up and its gRPC port published? Raise the timeout for big models.');
  if (status === 'UNAVAILABLE') return new GrpcError(status, `${method}: nothing answers gRPC at ${target} (${details}).`, 'Is the server running and its gRPC port (8500 in the container) published?');
  if (status === 'RESOURCE_EXHAUSTED' && /larger than/i.test(details)) {
    return new GrpcError(status, details, 'tensorflow_model_server accepts messages up to 2 GiB; a client (or a proxy in between) with a lower limit refuses bigger ones: raise its grpc.max_receive_message_length / grpc.max_send_message_length.');
  }
  return new GrpcError(status, details);
}
