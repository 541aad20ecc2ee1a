// "Use gRPC" / "Use REST" on a server in the Serving view: which API Send Test Request, Compare Predictions,
// Compare Labels and the view's model state use for it. Remembered per server (by container name) across sessions.
import * as vscode from 'vscode';
import type { ServingProtocol } from '../../core/serving/servingClient';
import { protocolLabel } from '../../core/serving/servingClient';
import type { ServingProtocolChoices } from '../../core/serving/servingState';
import type { ServingState } from './servingState';
import { ContainerNode } from './servingTreeProvider';
import { COMMANDS } from '../contributions';

const KEY = 'tfServing.servingProtocols';

/** The choices kept in the editor's global state: containers are the machine's, not a workspace's. */
export function rememberedProtocols(memento: vscode.Memento): ServingProtocolChoices {
  const all = () => memento.get<Record<string, ServingProtocol>>(KEY) ?? {};
  return {
    get: (name) => all()[name],
    set: (name, protocol) => memento.update(KEY, { ...all(), [name]: protocol }),
  };
}

export function registerServingProtocolCommands(state: ServingState): vscode.Disposable[] {
  const use = (protocol: ServingProtocol) => async (node?: ContainerNode, args: { containerId?: string } = {}) => {
    if (!state.containers.length) await state.reload();
    const c = node instanceof ContainerNode ? node.container : state.containers.find((x) => x.id === args.containerId || x.name === args.containerId);
    if (!c) {
      void vscode.window.showInformationMessage(`Choose a server in the Serving view to use ${protocolLabel(protocol)} with.`);
      return undefined;
    }
    if (protocol === 'grpc' && !c.grpcAddress) {
      void vscode.window.showWarningMessage(`${c.name} does not publish its gRPC port (8500 in the container); restart it with the port published to use gRPC.`);
      return undefined;
    }
    await state.setProtocol(c, protocol);
    void vscode.window.setStatusBarMessage(`${c.name}: requests and model state over ${protocolLabel(protocol)} (${protocol === 'grpc' ? c.grpcAddress : c.restUrl})`, 5000);
    return protocol;
  };
  return [
    vscode.commands.registerCommand(COMMANDS.useGrpc, use('grpc')),
    vscode.commands.registerCommand(COMMANDS.useRest, use('rest')),
  ];
}
