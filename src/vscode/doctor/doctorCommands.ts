// "Diagnose Server" on a container and "Apply Fix" on a diagnosis; the doctor's diagnoses as Serving-view nodes.
import * as vscode from 'vscode';
import type { Diagnosis } from '../../core/doctor/diagnosis';
import { ContainerNode, type ContainerDiagnoses } from '../serving/servingTreeProvider';
import type { ServingState } from '../serving/servingState';
import { COMMANDS } from '../contributions';
import type { Doctor } from './doctor';
import { DiagnosisNode } from './diagnosisNode';

export function diagnosisChildren(doctor: Doctor): ContainerDiagnoses {
  return {
    children: (node: ContainerNode) => doctor.diagnosesOf(node.container.id).map((d) => new DiagnosisNode(node, node.container, d)),
    onDidChange: doctor.onDidChange,
  };
}

export function registerDoctorCommands(state: ServingState, doctor: Doctor): vscode.Disposable[] {
  const containerOf = async (ref?: ContainerNode | { containerId: string }) => {
    if (ref instanceof ContainerNode) return ref.container;
    const containers = state.containers.length ? state.containers : await state.reload();
    if (ref) return containers.find((c) => c.id === ref.containerId || c.name === ref.containerId);
    return (await vscode.window.showQuickPick(containers.map((c) => ({ label: c.name, description: `${c.state} · ${c.status}`, c })), { title: 'Diagnose which server?' }))?.c;
  };
  return [
    vscode.commands.registerCommand(COMMANDS.diagnoseServer, async (ref?: ContainerNode | { containerId: string }): Promise<Diagnosis[] | undefined> => {
      const c = await containerOf(ref);
      if (!c) return undefined;
      const found = await doctor.examine(c, { probeMetrics: true, notifyAgain: true });
      if (!found.length) void vscode.window.showInformationMessage(`${c.name}: no known TF Serving failure in its log, model status or metrics page.`);
      return found;
    }),
    vscode.commands.registerCommand(COMMANDS.applyDoctorFix, async (ref?: DiagnosisNode | { containerId: string; cause: Diagnosis['id'] }, confirmed?: boolean) => {
      const c = ref instanceof DiagnosisNode ? ref.container : await containerOf(ref);
      const d = ref instanceof DiagnosisNode ? ref.diagnosis : c && doctor.diagnosesOf(c.id).find((x) => x.id === (ref as { cause: string }).cause);
      if (!d?.action) {
        void vscode.window.showInformationMessage('This diagnosis has no fix to apply; follow its "Fix" line.');
        return false;
      }
      return doctor.applyFix(d.action, c, { confirmed: confirmed === true });
    }),
  ];
}
