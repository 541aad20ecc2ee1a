// What the doctor says about a failure: the cause, the fix, the TF Serving line it read, and a fix it can apply.

export type CauseId =
  | 'no-versions'
  | 'base-path-missing'
  | 's3-not-implemented'
  | 'op-not-registered'
  | 'gpu-no-runtime'
  | 'signature-not-found'
  | 'rest-payload'
  | 'metrics-not-enabled'
  | 'grpc-message-too-large'
  | 'label-unavailable';

/** A fix the doctor can apply itself; each names what it changes in its label. */
export type DoctorAction =
  /** Re-create the container with its model mount moved from a version folder to the model folder above it. */
  | { readonly kind: 'serve-parent-folder'; readonly label: string; readonly hostDir: string; readonly parentDir: string }
  /** Rename a non-numeric version folder (v1, 1.0) to the number TF Serving looks for. */
  | { readonly kind: 'rename-version-folder'; readonly label: string; readonly dir: string; readonly to: string }
  /** Re-create the container with one model server flag more. */
  | { readonly kind: 'restart-with-flag'; readonly label: string; readonly flag: string; readonly value: string }
  | { readonly kind: 'restart-with-monitoring'; readonly label: string }
  /** Re-create the container with one environment variable changed (MODEL_NAME naming the mounted folder). */
  | { readonly kind: 'restart-with-env'; readonly label: string; readonly name: string; readonly value: string }
  /** Re-create the container from another tag of tensorflow/serving (2.6.0: the last one that reads s3://). */
  | { readonly kind: 'use-image-tag'; readonly label: string; readonly tag: string }
  /** Start the same model again on the CPU image. */
  | { readonly kind: 'start-on-cpu'; readonly label: string }
  /** Send the corrected predict request. */
  | { readonly kind: 'resend-request'; readonly label: string; readonly body: unknown };

export interface Diagnosis {
  readonly id: CauseId;
  /** One line: what is wrong, in TF Serving's terms. */
  readonly title: string;
  /** Why it happens here. */
  readonly cause: string;
  /** What to do. */
  readonly fix: string;
  /** The TF Serving (or Docker, or gRPC) line this was read from. */
  readonly evidence: string;
  readonly action?: DoctorAction;
  /** A corrected predict request, for payload errors. */
  readonly correctedRequest?: unknown;
}

/** A folder the doctor could look into: what is in it, as TF Serving would see it. */
export interface FolderListing {
  /** The path the server used (inside the container). */
  readonly servedPath: string;
  /** The same folder on this machine, when it is one. */
  readonly hostDir?: string;
  /** Names in the folder, folders with a trailing '/'. */
  readonly entries: readonly string[];
}

/** A tensor of a served signature as the metadata answer gives it. */
export interface SignatureInputs {
  readonly [signature: string]: { readonly inputs: Readonly<Record<string, { readonly dtype?: string }>> };
}

/** Everything the doctor reads: lines first, then what it could find out about the server around them. */
export interface Evidence {
  /** Log lines, status messages, error texts, in the order they happened. */
  readonly lines: readonly string[];
  readonly container?: {
    readonly name: string;
    readonly image: string;
    readonly cmd: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly mounts: readonly { readonly source: string; readonly target: string }[];
    readonly gpu: boolean;
    readonly running: boolean;
    readonly exitCode?: number;
  };
  /** Listings of the base paths the lines name (keyed by served path). */
  readonly folders?: readonly FolderListing[];
  /** The signatures the model has, when a request failed. */
  readonly signatures?: SignatureInputs;
  /** The predict body that failed, and the signature it named. */
  readonly request?: { readonly body: unknown };
}
