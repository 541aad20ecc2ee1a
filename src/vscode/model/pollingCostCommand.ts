// "Show Polling Cost": what TF Serving's polling of this bucket model costs per hour, measured from a real
// listing of the prefix (the same one-level listing the server makes on every poll).
import * as vscode from 'vscode';
import { formatLocation } from '../../core/location';
import { formatBytes } from '../../core/format';
import { costAt, DEFAULT_POLL_WAIT_SECONDS, type PollingCostAt, type PollMeasurable } from '../../core/storage/pollingCost';
import { errorText } from '../errorText';
import { ModelNode } from './modelNode';
import { COMMANDS } from '../contributions';

export interface PollingCostReport {
  readonly requestsPerPoll: number;
  readonly bytesPerPoll: number;
  readonly rows: PollingCostAt[];
  readonly text: string;
}

export function registerPollingCostCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showPollingCost, async (node?: ModelNode, options?: { quiet?: boolean }) => {
    if (!(node instanceof ModelNode) || node.location.scheme === 'file') {
      void vscode.window.showInformationMessage('Polling cost applies to models in S3 or GCS: run it on a bucket model in the Models view.');
      return undefined;
    }
    const uri = formatLocation(node.location);
    try {
      const store = (await node.repository.openStore()) as unknown as Partial<PollMeasurable>;
      if (typeof store.measureLevelListing !== 'function') throw new Error('this store cannot measure its listings');
      const perPoll = await store.measureLevelListing(node.location);
      // The interval this model was last served with from here, the server's default, and the 120 s we suggest.
      const remembered = context.workspaceState.get<{ pollSeconds?: number }>(`tfServing.start:${uri}`)?.pollSeconds;
      const intervals = [...new Set([remembered ?? DEFAULT_POLL_WAIT_SECONDS, DEFAULT_POLL_WAIT_SECONDS, 120])];
      const rows = intervals.map((s) => costAt(perPoll, s));
      const lines = rows.map((r) => `every ${r.pollSeconds} s: ${r.requestsPerHour.toLocaleString('en-US')} list requests and ${formatBytes(r.responseBytesPerHour)} per hour`);
      const text = `TF Serving polling ${uri} makes ${perPoll.requests} list request${perPoll.requests === 1 ? '' : 's'} (${formatBytes(perPoll.responseBytes)}) per poll — ${lines.join('; ')}.`;
      if (!options?.quiet) void vscode.window.showInformationMessage(text, { modal: false });
      return { requestsPerPoll: perPoll.requests, bytesPerPoll: perPoll.responseBytes, rows, text } satisfies PollingCostReport;
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not measure the polling cost of ${uri}: ${errorText(e)}`);
      return undefined;
    }
  });
}
