// `tfserving-studio doctor <container|logfile> [--json]`: reads a TF Serving container (its log, how it was run,
// its model status) or a saved log, and prints the known causes it finds with their fixes, as the editor shows them.
// Exit code 1 when it found a known failure, 0 when it found none.
import * as fs from 'fs';
import { resolve } from 'node:path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';
import { diagnose } from '../core/doctor/diagnose';
import { diagnosesText } from '../core/doctor/diagnosisText';
import type { Diagnosis } from '../core/doctor/diagnosis';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  usage: 'doctor <container|logfile> [--json]',
  summary: 'Match a TF Serving container\'s log and status (or a saved log) to known causes; print cause, fix and corrected request.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { booleans: ['json'], positional: [1, 1] });
    const subject = positional[0];
    const file = resolve(io.cwd, subject);
    let found: Diagnosis[];
    if (fs.existsSync(file) && fs.statSync(file).isFile()) {
      const { logFileEvidence } = await import('../core/doctor/containerEvidence');
      found = diagnose(logFileEvidence(fs.readFileSync(file, 'utf8')));
    } else {
      const { DockerEngine } = await import('../core/serving/dockerEngine');
      const { diagnoseContainer } = await import('../core/doctor/containerEvidence');
      const engine = await DockerEngine.connect();
      const info = await engine.inspect(subject).catch((e: Error) => {
        throw new Error(`${subject} is neither a file nor a container on this Docker engine (${e.message}).`);
      });
      found = await diagnoseContainer(engine, info.Id, { probeMetrics: true });
    }
    io.out(flags.has('json') ? JSON.stringify(found, null, 2) : diagnosesText(found, subject));
    return found.length ? 1 : 0;
  },
};
