// Registry of CLI commands; each lives in its own file as `<name>Command.ts`.
import type { CliCommand } from './cliIo';
import { inspectCommand } from './inspectCommand';
import { versionsCommand } from './versionsCommand';
import { publishCommand } from './publishCommand';

export const cliCommands: CliCommand[] = [inspectCommand, versionsCommand, publishCommand];
