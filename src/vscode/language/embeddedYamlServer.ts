// Our own yaml-language-server (bundled as dist/yamlServer.js), used only when Red Hat YAML is not installed.
// It gets its schemas from the SchemaContributor through yaml-language-server's custom schema requests, and its
// settings from us (never the user's yaml.* settings, which belong to Red Hat YAML): no SchemaStore, no formatter.
// It sees every YAML document, but its diagnostics, completions and hovers reach the editor only for files we
// handle (Prometheus configs, manifests with a kind we have a schema for), so other YAML files stay untouched; on
// Prometheus configs only its completions and hovers do.
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { SchemaContributor } from './schemaContributor';

const SERVER_SETTINGS = {
  validate: true,
  hover: true,
  completion: true,
  format: { enable: false },
  schemaStore: { enable: false, url: '' },
  kubernetesCRDStore: { enable: false },
  schemas: {},
  customTags: [],
  yamlVersion: '1.2',
  keyOrdering: false,
  maxItemsComputed: 5000,
  style: { flowMapping: 'allow', flowSequence: 'allow' },
  suggest: { parentSkeletonSelectedFirst: false },
};

export async function startEmbeddedYamlServer(extensionPath: string, contributor: SchemaContributor, output: vscode.OutputChannel): Promise<LanguageClient> {
  const module = path.join(extensionPath, 'dist', 'yamlServer.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const ours = (uri: vscode.Uri) => contributor.requestSchema(uri.toString()) !== undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }],
    outputChannel: output,
    initializationOptions: { l10nPath: path.join(extensionPath, 'dist', 'yaml-l10n') },
    synchronize: {},
    middleware: {
      workspace: {
        configuration: (params) => params.items.map((item) => (item.section === 'yaml' ? SERVER_SETTINGS : item.section === 'files' ? { associations: {} } : {})),
      },
      // Prometheus configs get our validator's findings only (syntax included); the schema there serves
      // completion and hover.
      handleDiagnostics: (uri, diagnostics, next) => next(uri, ours(uri) && !contributor.isPrometheus(uri.toString()) ? diagnostics : []),
      provideCompletionItem: (document, position, context, token, next) => (ours(document.uri) ? next(document, position, context, token) : undefined),
      provideHover: (document, position, token, next) => (ours(document.uri) ? next(document, position, token) : undefined),
    },
  };
  const client = new LanguageClient('tfServing.yaml', 'TF Serving YAML', serverOptions, clientOptions);
  client.onRequest('custom/schema/request', (resource: string) => contributor.requestSchema(resource) ?? []);
  client.onRequest('custom/schema/content', (uri: string) => contributor.requestSchemaContent(uri));
  await client.start();
  await client.sendNotification('yaml/registerCustomSchemaRequest');
  return client;
}
