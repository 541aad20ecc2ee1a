// Failures of the Docker side of serving, each with what happened and what the user can do.

export type DockerEngineErrorKind =
  | 'unreachable'
  | 'image-missing'
  | 'port-taken'
  | 'name-clash'
  | 'gpu-unavailable'
  | 'exited-at-start'
  | 'model-failed'
  | 'no-valid-version'
  | 'not-found'
  | 'failed';

export class DockerEngineError extends Error {
  constructor(
    readonly kind: DockerEngineErrorKind,
    message: string,
    readonly hint?: string,
    readonly details: {
      readonly suggestedPort?: number;
      readonly port?: number;
      readonly suggestedName?: string;
      readonly exitCode?: number;
      readonly lastLogLines?: string[];
    } = {},
  ) {
    super(message);
  }
}
