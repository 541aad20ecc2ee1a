// Registry of CLI commands; each lives in its own file as `<name>Command.ts`.
import type { CliCommand } from './cliIo';
import { inspectCommand } from './inspectCommand';
import { manifestsCommand } from './manifestsCommand';
import { modelConfigCommand } from './modelConfigCommand';
import { serveCommand } from './serveCommand';
import { validateCommand } from './validateCommand';

export const cliCommands: CliCommand[] = [inspectCommand, serveCommand, validateCommand, manifestsCommand, modelConfigCommand];
