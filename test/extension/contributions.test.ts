import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

describe('Contributions', () => {
  it('registers every command declared in package.json', async () => {
    await activateExtension();
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const declared: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(declared.length >= 5);
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
});
