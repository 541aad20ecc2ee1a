import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';
import { COMMANDS, SETTINGS } from '../../src/vscode/contributions';
import { SETTING_READERS } from '../../src/vscode/settings';

describe('Contributions', () => {
  it('registers every command declared in package.json', async () => {
    await activateExtension();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const declared: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    // The code names every command once (contributions.ts), and names exactly what package.json declares.
    assert.deepStrictEqual([...declared].sort(), Object.values(COMMANDS).sort());
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('has a provider behind every declared view', async () => {
    const api = await activateExtension();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const views: string[] = Object.values(pkg.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id);
    assert.deepStrictEqual(Object.keys(api.views).sort(), [...views].sort());
    for (const id of views) {
      assert.strictEqual(typeof api.views[id].getChildren, 'function', id);
      // The view's focus command exists only for views VS Code knows about.
      await vscode.commands.executeCommand(`${id}.focus`);
    }
  });

  it('menus only name declared commands and use contextValue patterns', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const declared = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command: string; when?: string }[]>)) {
      for (const e of entries) {
        assert.ok(declared.has(e.command), `${menu} names undeclared ${e.command}`);
        if (menu === 'view/item/context') assert.match(e.when ?? '', /viewItem/, `${e.command} in ${menu} is not driven by contextValue`);
      }
    }
  });

  it('reads every declared setting through settings.ts, and declares every setting it reads', async () => {
    await activateExtension();
    const properties = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.configuration.properties as Record<string, { type: string; default: unknown }>;
    assert.deepStrictEqual(Object.keys(properties).sort(), Object.values(SETTINGS).sort());
    assert.deepStrictEqual(Object.keys(SETTING_READERS).sort(), Object.keys(properties).sort());
    // Each reader sees a change of its setting (a setting declared and never read fails here).
    const changed: Record<string, unknown> = { boolean: false, integer: 7, number: 0.5, string: '/tmp/tfss-setting-probe', array: ['/tmp/tfss-setting-probe'] };
    const config = vscode.workspace.getConfiguration();
    for (const [key, p] of Object.entries(properties)) {
      const value = p.type === 'boolean' ? !p.default : changed[p.type];
      assert.notStrictEqual(value, undefined, `${key}: no probe value for type ${p.type}`);
      const before = JSON.stringify(SETTING_READERS[key as keyof typeof SETTING_READERS]());
      const saved = config.inspect(key)?.workspaceValue;
      await config.update(key, value, vscode.ConfigurationTarget.Workspace);
      try {
        const after = JSON.stringify(SETTING_READERS[key as keyof typeof SETTING_READERS]());
        assert.notStrictEqual(after, before, `${key} is declared but its reader does not see it change`);
      } finally {
        await config.update(key, saved, vscode.ConfigurationTarget.Workspace);
      }
    }
  });
});
