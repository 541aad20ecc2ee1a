// `tfserving-studio <command>`: the same core the extension uses, for terminals and CI pipelines.
import { cliCommands } from './cli/commands';
import type { CliIo } from './cli/cliIo';
import { ensureMaintainedNode } from '../scripts/maintainedNode';

const io: CliIo = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : s + '\n'),
  env: process.env,
  cwd: process.cwd(),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out('Usage: tfserving-studio <command> [options]\n\nCommands:');
    // Long usages get their summary on the next line, so the list stays readable in 100 columns.
    for (const c of cliCommands) io.out(c.usage.length <= 58 ? `  ${c.usage.padEnd(60)}${c.summary}` : `  ${c.usage}\n      ${c.summary}`);
    return name ? 0 : 2;
  }
  const command = cliCommands.find((c) => c.name === name);
  if (!command) {
    io.err(`tfserving-studio: unknown command "${name}"; run "tfserving-studio --help" for the list.`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // One line, never a stack: the message already says what is wrong and what to do.
    io.err(`tfserving-studio ${name}: ${e instanceof Error ? e.message : String(e)}`.split('\n')[0]);
    return 1;
  }
}

// Output piped into `head` and the like: a closed pipe ends the command quietly instead of with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
// On a Node past its end of life this re-runs the command under the Node 24 set-up installed, or says what to do.
ensureMaintainedNode('tfserving-studio');
main(process.argv.slice(2)).then((code) => process.exit(code));
