// The scale-out commands: Kubernetes manifests, version labels, label comparison.
import type * as vscode from 'vscode';
import type { ServingState } from '../serving/servingState';
import { registerCompareLabelsCommand } from './compareLabelsCommand';
import { registerGenerateManifestsCommand } from './generateManifestsCommand';
import { registerLabelCommands } from './labelCommands';

export function registerScaleCommands(state: ServingState): vscode.Disposable[] {
  return [registerGenerateManifestsCommand(), ...registerLabelCommands(state), ...registerCompareLabelsCommand(state)];
}
