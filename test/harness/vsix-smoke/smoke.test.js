// The installed extension, as a user gets it from the .vsix: found, the installed copy, activates,
// registers every command it contributes, and its views open.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const ID = 'tfserving-studio.tfserving-studio';

describe('TF Serving Studio installed from the VSIX', () => {
  let ext;

  it('is installed from the extensions folder, not loaded from the repository', () => {
    ext = vscode.extensions.getExtension(ID);
    assert.ok(ext, `${ID} is not installed`);
    const installedIn = path.resolve(process.env.TFS_VSIX_EXTENSIONS_DIR || '');
    assert.ok(ext.extensionPath.startsWith(installedIn + path.sep),
      `${ext.extensionPath} is not under the extensions folder ${installedIn}`);
    assert.strictEqual(ext.packageJSON.version, process.env.TFS_VSIX_VERSION);
  });

  it('activates', async () => {
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (ext.packageJSON.contributes?.commands || []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no commands');
    assert.deepStrictEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });

  it('loads every lazily required SDK bundle without the repository\'s node_modules', () => {
    const sdkDir = path.join(ext.extensionPath, 'dist', 'sdk');
    const bundles = fs.existsSync(sdkDir) ? fs.readdirSync(sdkDir).filter((f) => f.endsWith('.js')) : [];
    for (const b of bundles) {
      // The installed copy lives outside the repository, so an import esbuild left external fails here.
      assert.doesNotThrow(() => require(path.join(sdkDir, b)), `dist/sdk/${b}`);
    }
  });

  it('opens its TF Serving views', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.tfServing');
    await vscode.commands.executeCommand('tfServing.models.focus');
    await vscode.commands.executeCommand('tfServing.serving.focus');
  });
});
