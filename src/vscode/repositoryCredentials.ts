// Access keys a user types live in VS Code's SecretStorage, keyed by repository, and nowhere else:
// not in settings, logs, output channels or messages.
import * as vscode from 'vscode';
import type { ModelLocation } from '../core/location';
import { formatLocation } from '../core/location';
import type { RepositoryOptions } from '../core/storage/storeRegistry';

export interface S3Keys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface StoredCredentials {
  readonly s3?: S3Keys;
  /** A GCS service-account key's JSON, when the user pasted it instead of pointing at a file. */
  readonly gcsServiceAccountJson?: string;
}

export class RepositoryCredentials {
  private readonly changed = new vscode.EventEmitter<ModelLocation>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(location: ModelLocation): string {
    return `tfServing.repository:${formatLocation(location)}`;
  }

  async get(location: ModelLocation): Promise<StoredCredentials | undefined> {
    const raw = await this.secrets.get(this.key(location));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as StoredCredentials;
    } catch {
      return undefined;
    }
  }

  async set(location: ModelLocation, credentials: StoredCredentials): Promise<void> {
    await this.secrets.store(this.key(location), JSON.stringify(credentials));
    this.changed.fire(location);
  }

  async forget(location: ModelLocation): Promise<boolean> {
    const had = (await this.secrets.get(this.key(location))) !== undefined;
    await this.secrets.delete(this.key(location));
    this.changed.fire(location);
    return had;
  }

  /** Adds stored secrets to a repository's options for opening its store. */
  async withSecrets(location: ModelLocation, options: RepositoryOptions): Promise<RepositoryOptions> {
    const stored = await this.get(location);
    if (!stored) return options;
    return {
      ...options,
      ...(stored.s3 ? { credentials: stored.s3 } : {}),
      ...(stored.gcsServiceAccountJson ? { serviceAccountJson: stored.gcsServiceAccountJson } : {}),
    };
  }

  dispose(): void {
    this.changed.dispose();
  }
}
