// One YAML engine per window for our schemas, never two: Red Hat YAML when it is installed (we hand it our
// schemas through its contributor API; package.json's yamlValidation also maps prometheus.yml for it), otherwise
// our embedded yaml-language-server, started when the first YAML file of ours opens. Re-decided whenever
// extensions are installed or removed.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PrometheusFileMatcher } from './prometheusFiles';
import type { SchemaContributor } from './schemaContributor';
import { loadLanguageServices } from './loadLanguageServices';

export const RED_HAT_YAML = 'redhat.vscode-yaml';
export type YamlEngineMode = 'red-hat' | 'embedded' | 'idle';

export class YamlEngine implements vscode.Disposable {
  private contributor?: SchemaContributor;
  private client?: LanguageClient;
  private pending: Promise<void> = Promise.resolve();
  /** The Red Hat YAML exports we registered with (a reinstall gives new exports). */
  private registeredWith?: unknown;
  private readonly disposables: vscode.Disposable[] = [];
  private wanted = false;

  constructor(private readonly extensionPath: string, private readonly prometheus: PrometheusFileMatcher, private readonly output: vscode.OutputChannel) {
    this.disposables.push(vscode.extensions.onDidChange(() => this.update()));
  }

  get mode(): YamlEngineMode {
    if (this.client) return 'embedded';
    return this.registeredWith ? 'red-hat' : 'idle';
  }

  /** The contributor, created on first use (it loads the yaml parser). */
  async schemas(): Promise<SchemaContributor> {
    if (!this.contributor) {
      const { SchemaContributor } = loadLanguageServices();
      this.contributor = new SchemaContributor({
        textOf: (resource) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource)?.getText(),
        isPrometheus: (resource) => this.prometheus.matches(vscode.Uri.parse(resource).path),
        readSchema: (rel) => fs.readFileSync(path.join(this.extensionPath, 'schemas', rel), 'utf8'),
      });
    }
    return this.contributor;
  }

  /** Called when a YAML document of ours is open: makes sure an engine serves it. */
  ensure(): Promise<void> {
    this.wanted = true;
    return this.update();
  }

  /** After the Prometheus globs changed: the engine re-asks for every open file's schema. */
  async schemasChanged(): Promise<void> {
    await this.pending;
    if (this.client) await this.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
  }

  private update(): Promise<void> {
    this.pending = this.pending.then(() => this.apply()).catch((e) => this.output.appendLine(`YAML engine: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    return this.pending;
  }

  private async apply(): Promise<void> {
    const redHat = vscode.extensions.getExtension(RED_HAT_YAML);
    if (redHat) {
      if (this.client) {
        this.output.appendLine('Red Hat YAML is installed: stopping the embedded YAML server.');
        const c = this.client;
        this.client = undefined;
        await c.stop();
      }
      if (!this.wanted) return;
      const api = redHat.isActive ? redHat.exports : await redHat.activate();
      if (api === this.registeredWith) return;
      const { registerWithRedHatYaml } = loadLanguageServices();
      const ok = registerWithRedHatYaml(api, await this.schemas());
      this.registeredWith = api;
      this.output.appendLine(ok ? 'Schemas handed to Red Hat YAML.' : 'Red Hat YAML did not accept our schema contributor; it still maps prometheus.yml through yamlValidation.');
      return;
    }
    this.registeredWith = undefined;
    if (!this.wanted || this.client) return;
    const { startEmbeddedYamlServer } = loadLanguageServices();
    this.client = await startEmbeddedYamlServer(this.extensionPath, await this.schemas(), this.output);
    await this.client.sendNotification('workspace/didChangeConfiguration', { settings: null });
    this.output.appendLine('Embedded YAML server started.');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.client?.stop();
    this.client = undefined;
  }
}
