// Registry of CLI commands; each lives in its own file as `<name>Command.ts`.
import type { CliCommand } from './cliIo';
import { inspectCommand } from './inspectCommand';
import { manifestsCommand } from './manifestsCommand';
import { modelConfigCommand } from './modelConfigCommand';
import { serveCommand } from './serveCommand';
import { validateCommand } from './validateCommand';
import { versionsCommand } from './versionsCommand';
import { publishCommand } from './publishCommand';
import { repairCommand } from './repairCommand';
import { convertCommand } from './convertCommand';
import { compareCommand } from './compareCommand';
import { prometheusConfigCommand } from './prometheusConfigCommand';
import { warmupCommand } from './warmupCommand';
import { doctorCommand } from './doctorCommand';
import { loadtestCommand } from './loadtestCommand';
import { statusCommand } from './statusCommand';
import { predictCommand } from './predictCommand';

export const cliCommands: CliCommand[] = [
  inspectCommand, versionsCommand, publishCommand, repairCommand, serveCommand, convertCommand, compareCommand, prometheusConfigCommand, validateCommand, manifestsCommand, modelConfigCommand, warmupCommand, doctorCommand, loadtestCommand,
  statusCommand, predictCommand,
];
