// Registry of CLI commands; each lives in its own file as `<name>Command.ts`.
import type { CliCommand } from './cliIo';
import { serveCommand } from './serveCommand';

export const cliCommands: CliCommand[] = [
  serveCommand,
];
