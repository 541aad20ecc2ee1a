// Registry of CLI commands; each lives in its own file as `<name>Command.ts`.
import type { CliCommand } from './cliIo';
import { inspectCommand } from './inspectCommand';
import { serveCommand } from './serveCommand';

export const cliCommands: CliCommand[] = [inspectCommand, serveCommand];
