// Registry of CLI commands; each lives in its own file as `<name>Command.ts`.
import type { CliCommand } from './cliIo';

export const cliCommands: CliCommand[] = [];
