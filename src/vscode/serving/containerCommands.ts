// Actions on a serving container: stop, start, restart, remove, logs, open in browser, send a test request.
import * as vscode from 'vscode';
import { errorText } from '../errorText';
import type { ServingState } from './servingState';
import { ContainerNode, LinkNode } from './servingTreeProvider';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import type { ModelLocation } from '../../core/location';
import { COMMANDS } from '../contributions';

export function registerContainerCommands(state: ServingState, revealModel: (model: ModelLocation) => Promise<void>): vscode.Disposable[] {
  const logChannels = new Map<string, { channel: vscode.OutputChannel; follow?: { close(): void } }>();
  const pick = async (node?: ContainerNode | { containerId: string }, running?: boolean): Promise<ServingContainer | undefined> => {
    if (node instanceof ContainerNode) return node.container;
    const containers = state.containers.length ? state.containers : await state.reload();
    if (node && 'containerId' in node) return containers.find((c) => c.id === node.containerId || c.name === node.containerId);
    const candidates = containers.filter((c) => running === undefined || (c.state === 'running') === running);
    if (!candidates.length) {
      void vscode.window.showInformationMessage(running ? 'No TF Serving container is running.' : 'No TF Serving containers on this Docker engine.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(candidates.map((c) => ({ label: c.name, description: `${c.state} · ${c.image}`, c })), { title: 'Which server?' }))?.c;
  };
  const act = (verb: string, op: (id: string) => Promise<void>) => async (node?: ContainerNode | { containerId: string }) => {
    const c = await pick(node);
    if (!c) return false;
    try {
      await op(c.id);
      await state.reload();
      return true;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not ${verb} ${c.name}: ${errorText(e)}`);
      return false;
    }
  };

  return [
    vscode.commands.registerCommand(COMMANDS.refreshServing, () => state.reload()),
    vscode.commands.registerCommand(COMMANDS.stopServer, act('stop', async (id) => (await state.engine()).stop(id))),
    vscode.commands.registerCommand(COMMANDS.startContainer, act('start', async (id) => (await state.engine()).start(id))),
    vscode.commands.registerCommand(COMMANDS.restartServer, act('restart', async (id) => (await state.engine()).restart(id))),
    vscode.commands.registerCommand(COMMANDS.removeServer, async (node?: ContainerNode | { containerId: string }, confirmed?: boolean) => {
      const c = await pick(node);
      if (!c) return false;
      if (confirmed !== true) {
        const answer = await vscode.window.showWarningMessage(`Remove container ${c.name}?`, { modal: true, detail: `${c.state === 'running' ? 'It is running and will be stopped. ' : ''}The model files are not touched.` }, 'Remove');
        if (answer !== 'Remove') return false;
      }
      return act('remove', async (id) => (await state.engine()).remove(id, true))({ containerId: c.id });
    }),
    vscode.commands.registerCommand(COMMANDS.showServerLogs, async (node?: ContainerNode | { containerId: string }) => {
      const c = await pick(node);
      if (!c) return undefined;
      let entry = logChannels.get(c.id);
      if (!entry) {
        entry = { channel: vscode.window.createOutputChannel(`TF Serving: ${c.name}`, 'log') };
        logChannels.set(c.id, entry);
      }
      entry.channel.show(true);
      entry.follow?.close();
      entry.channel.clear();
      const channel = entry.channel;
      try {
        entry.follow = await (await state.engine()).followLogs(c.id, (l) => channel.appendLine(l.stream === 'stderr' ? `[stderr] ${l.text}` : l.text));
      } catch (e) {
        channel.appendLine(`Could not read the logs of ${c.name}: ${errorText(e)}`);
      }
      return channel;
    }),
    vscode.commands.registerCommand(COMMANDS.openServerInBrowser, async (node?: ContainerNode | LinkNode | { containerId: string }) => {
      const url = node instanceof LinkNode ? node.url : await (async () => {
        const c = await pick(node as ContainerNode | undefined, true);
        return c?.restUrl ? `${c.restUrl}/v1/models/${c.modelName ?? ''}` : undefined;
      })();
      if (url) await vscode.env.openExternal(vscode.Uri.parse(url));
      return url;
    }),
    vscode.commands.registerCommand(COMMANDS.revealServedModel, (model?: ModelLocation) => (model ? revealModel(model) : undefined)),
    { dispose: () => { for (const e of logChannels.values()) { e.follow?.close(); e.channel.dispose(); } } },
  ];
}
