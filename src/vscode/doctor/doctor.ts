// The editor's doctor: watches the serving state for a container that exits, a model with no AVAILABLE version and
// failed requests, asks core's doctor why, keeps the diagnoses for the Serving view and shows each new one as a
// notification whose button applies its fix. Matching and fixes are core's; this file only shows and runs them.
import * as vscode from 'vscode';
import type { ServingContainer } from '../../core/serving/dockerEngine';
import type { Diagnosis, DoctorAction, Evidence } from '../../core/doctor/diagnosis';
import type { ServingState } from '../serving/servingState';
import { errorText } from '../errorText';
import { COMMANDS } from '../contributions';

/** A notification the doctor showed, and the function its buttons call (tests press them through `run`). */
export interface DoctorNotice {
  readonly containerName?: string;
  readonly diagnosis: Diagnosis;
  readonly message: string;
  readonly buttons: readonly string[];
  /** Runs what the button does; resolves to the fix's outcome (true when applied). */
  run(button: string): Promise<unknown>;
}

export const SHOW_DIAGNOSIS = 'Show Diagnosis';

/** How to retry a start that failed before any container existed (the GPU case). */
export type StartRetry = (action: DoctorAction) => Promise<unknown>;

export class Doctor implements vscode.Disposable {
  readonly notices: DoctorNotice[] = [];
  private readonly byContainer = new Map<string, { key: string; diagnoses: Diagnosis[] }>();
  private readonly noticed = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly examining = new Map<string, Promise<Diagnosis[]>>();
  private readonly subscription: { dispose(): void };
  private output?: vscode.OutputChannel;

  constructor(private readonly state: ServingState) {
    this.subscription = state.onDidChange(() => void this.examineTroubled());
  }

  diagnosesOf(containerId: string): readonly Diagnosis[] {
    return this.byContainer.get(containerId)?.diagnoses ?? [];
  }

  /** What makes a container worth a look, as one comparable key; undefined when it looks healthy. */
  private troubleKey(c: ServingContainer): string | undefined {
    if (c.state === 'exited' || c.state === 'dead') return /\(0\)/.test(c.status) ? undefined : `exited:${c.status.replace(/\).*$/, ')')}`;
    if (c.state !== 'running') return undefined;
    const s = this.state.statuses.get(c.id);
    if (!s) return undefined;
    if (s.error) return 'not-answering';
    const failed = s.versions?.filter((v) => v.state === 'END' && v.status?.error_message) ?? [];
    if (failed.length) return `end:${failed.map((v) => `${v.version}:${v.status.error_message}`).join('|')}`;
    return undefined;
  }

  /** Containers already stopped when the doctor first looked: diagnosed in the view, but not announced. */
  private stoppedBefore?: Set<string>;

  private async examineTroubled(): Promise<void> {
    this.stoppedBefore ??= new Set(this.state.containers.filter((c) => c.state !== 'running').map((c) => c.id));
    for (const c of this.state.containers) {
      if (c.state === 'running') this.stoppedBefore.delete(c.id); // started again: its next failure is news
      const key = this.troubleKey(c);
      const known = this.byContainer.get(c.id);
      if (!key) {
        if (known) { this.byContainer.delete(c.id); this.changed.fire(); }
        continue;
      }
      // A server that keeps failing the same way is read once; "not answering" is read again as its log grows.
      if (known?.key === key && key !== 'not-answering') continue;
      if (this.examining.has(c.id)) continue;
      void this.examine(c, { key, quiet: this.stoppedBefore.has(c.id) && c.state !== 'running' });
    }
    for (const id of [...this.byContainer.keys()]) if (!this.state.containers.some((c) => c.id === id)) this.byContainer.delete(id);
  }

  /** Reads a container (log, inspect, model status, folders) and keeps and notifies what core's doctor finds. */
  examine(c: ServingContainer, options: { key?: string; extra?: Partial<Evidence> & { lines?: readonly string[] }; probeMetrics?: boolean; notifyAgain?: boolean; quiet?: boolean } = {}): Promise<Diagnosis[]> {
    const running = this.examining.get(c.id);
    if (running && !options.extra && !options.probeMetrics) return running;
    const job = (async () => {
      const { diagnoseContainer } = await import('../../core/doctor/containerEvidence');
      const found = await diagnoseContainer(await this.state.engine(), c.id, { probeMetrics: options.probeMetrics, extra: options.extra });
      const key = options.key ?? this.troubleKey(c) ?? 'asked';
      this.byContainer.set(c.id, { key, diagnoses: found });
      // A server not answering yet may still be starting, or may log its reason later: look again a few times.
      if (key === 'not-answering' && !found.length) this.lookAgain(c.id);
      this.changed.fire();
      if (!options.quiet) for (const d of found) this.notify(d, c, undefined, options.notifyAgain);
      return found;
    })().catch((e) => {
      this.log(`Could not examine ${c.name}: ${errorText(e)}`);
      return [] as Diagnosis[];
    }).finally(() => this.examining.delete(c.id));
    this.examining.set(c.id, job);
    return job;
  }

  private readonly lookedAgain = new Map<string, number>();
  private lookAgain(id: string): void {
    const n = (this.lookedAgain.get(id) ?? 0) + 1;
    this.lookedAgain.set(id, n);
    if (n > 20) return;
    setTimeout(() => void this.examineTroubled(), 3000).unref?.();
  }

  /** A predict (or other) request to a served model failed: diagnose its error with the model's signatures. */
  async requestFailed(c: ServingContainer, error: string, body: unknown): Promise<Diagnosis[]> {
    const { diagnose } = await import('../../core/doctor/diagnose');
    let signatures: Evidence['signatures'];
    try {
      const client = await this.state.clientOf(c, 5000);
      if (client && c.modelName) signatures = (await client.metadata(c.modelName)).value.metadata.signature_def.signature_def as Evidence['signatures'];
    } catch { /* the diagnosis says less without them */ }
    const found = diagnose({ lines: [error], signatures, request: { body } });
    for (const d of found) this.notify(d, c, undefined, true);
    return found;
  }

  /** Starting a server failed before a container existed (Docker refused it). */
  async startFailed(error: string, retry: StartRetry): Promise<Diagnosis[]> {
    const { diagnose } = await import('../../core/doctor/diagnose');
    const found = diagnose({ lines: [error] });
    for (const d of found) this.notify(d, undefined, retry, true);
    return found;
  }

  private notify(d: Diagnosis, c: ServingContainer | undefined, retry?: StartRetry, again = false): void {
    const key = `${c?.name ?? ''}\n${d.id}\n${d.title}`;
    if (this.noticed.has(key) && !again) return;
    this.noticed.add(key);
    const buttons = [...(d.action ? [d.action.label] : []), SHOW_DIAGNOSIS];
    const message = `${c ? `${c.name}: ` : ''}${d.title}. ${d.cause} ${d.fix}`;
    const notice: DoctorNotice = {
      containerName: c?.name, diagnosis: d, message, buttons,
      run: (button) => (button === SHOW_DIAGNOSIS ? Promise.resolve(this.show(d, c)) : d.action && button === d.action.label ? this.applyFix(d.action, c, { retry }) : Promise.resolve(undefined)),
    };
    this.notices.push(notice);
    void vscode.window.showErrorMessage(message, ...buttons).then((b) => (b ? notice.run(b) : undefined));
  }

  show(d: Diagnosis, c?: ServingContainer): vscode.OutputChannel {
    const out = this.channel();
    void import('../../core/doctor/diagnosisText').then(({ diagnosisText }) => {
      out.appendLine(`${c ? `[${c.name}] ` : ''}${diagnosisText(d)}`);
      out.show(true);
    });
    return out;
  }

  /** Applies a diagnosis' fix. Renaming a folder of the user's model asks first unless `confirmed`. */
  async applyFix(action: DoctorAction, c: ServingContainer | undefined, options: { confirmed?: boolean; retry?: StartRetry } = {}): Promise<unknown> {
    try {
      switch (action.kind) {
        case 'start-on-cpu':
          if (!options.retry) throw new Error('Start the model again and pick CPU.');
          return await options.retry(action);
        case 'resend-request':
          return await vscode.commands.executeCommand(COMMANDS.sendTestRequest, undefined, { containerId: c?.id, body: action.body });
        case 'rename-version-folder': {
          if (!options.confirmed) {
            const ok = await vscode.window.showWarningMessage(`Rename ${action.dir} to ${action.to}?`, { modal: true, detail: 'The server loads it at its next poll.' }, 'Rename');
            if (ok !== 'Rename') return false;
          }
          const { renameVersionFolder } = await import('../../core/doctor/doctorFixes');
          await renameVersionFolder(action.dir, action.to);
          return true;
        }
        case 'restart-with-monitoring': {
          if (!c) throw new Error('No container to restart.');
          const { restartWithMonitoring } = await import('../../core/serving/restartWithMonitoring');
          const started = await restartWithMonitoring(await this.state.engine(), c, this.state.clientFor);
          await this.state.reload();
          return started;
        }
        default: {
          if (!c) throw new Error('No container to re-create.');
          const { applyContainerFix } = await import('../../core/doctor/doctorFixes');
          const started = await applyContainerFix(await this.state.engine(), c.id, action);
          await this.state.reload();
          return started;
        }
      }
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not apply "${action.label}": ${errorText(e)}`);
      return false;
    }
  }

  private channel(): vscode.OutputChannel {
    this.output ??= vscode.window.createOutputChannel('TF Serving Doctor');
    return this.output;
  }

  private log(line: string): void {
    this.channel().appendLine(line);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
    this.output?.dispose();
  }
}
