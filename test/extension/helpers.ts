// Helpers for tests that run inside the VS Code extension host.
import * as net from 'net';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/trees/treeNode';

export const EXTENSION_ID = 'tfserving-studio.tfserving-studio';

export async function activateExtension(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  return ext.activate();
}

export async function labelOf(provider: vscode.TreeDataProvider<TreeNode>, node: TreeNode): Promise<string> {
  const item = await provider.getTreeItem(node);
  const l = item.label;
  return typeof l === 'string' ? l : l?.label ?? '';
}

/** Finds the child whose label matches, failing with the labels that were there. */
export async function childByLabel(provider: vscode.TreeDataProvider<TreeNode>, parent: TreeNode | undefined, label: string | RegExp): Promise<TreeNode> {
  const kids = (await provider.getChildren(parent)) ?? [];
  const labels: string[] = [];
  for (const k of kids) {
    const l = await labelOf(provider, k);
    labels.push(l);
    if (typeof label === 'string' ? l === label : label.test(l)) return k;
  }
  throw new Error(`no child ${label} among [${labels.join(', ')}]`);
}

export async function labelsOf(provider: vscode.TreeDataProvider<TreeNode>, parent: TreeNode | undefined): Promise<string[]> {
  const kids = (await provider.getChildren(parent)) ?? [];
  return Promise.all(kids.map((k) => labelOf(provider, k)));
}

/** Polls until check() returns a value (not undefined), or fails after timeoutMs with the last error. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A port free on 127.0.0.1 right now, for servers a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
