// The one command-line parser every CLI command uses, so each rejects unknown flags, missing values and wrong
// argument counts the same way: a UsageError, printed with the command's usage line, exit code 2.

/** What a command accepts: flags that take a value, flags that do not, and how many positional arguments. */
export interface ArgsSpec {
  readonly values?: readonly string[];
  readonly booleans?: readonly string[];
  /** [min, max] positional arguments; max may be Infinity. Default [0, 0]. */
  readonly positional?: readonly [number, number];
}

export interface ParsedArgs {
  readonly positional: string[];
  /** Every value given per flag, in order (booleans hold "true", or what followed `=`). */
  readonly flags: Map<string, string[]>;
}

/** Wrong usage: cli.ts prints the message and the command's usage line, and exits 2. */
export class UsageError extends Error {}

/** `--help` after a command: cli.ts prints its usage and exits 0. */
export class HelpRequested extends Error {}

/** `--name value`, `--name=value`, boolean `--flag`; repeated flags are collected; `--` ends the flags. */
export function parseArgs(args: readonly string[], spec: ArgsSpec): ParsedArgs {
  const values = new Set(spec.values ?? []);
  const booleans = new Set(spec.booleans ?? []);
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  let flagsEnded = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (flagsEnded || a === '-' || !a.startsWith('-')) { positional.push(a); continue; }
    if (a === '--') { flagsEnded = true; continue; }
    if (a === '--help' || a === '-h') throw new HelpRequested();
    if (!a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    let value: string;
    if (booleans.has(name)) value = eq < 0 ? 'true' : a.slice(eq + 1);
    else if (values.has(name)) {
      if (eq >= 0) value = a.slice(eq + 1);
      else if (i + 1 < args.length && !args[i + 1].startsWith('--')) value = args[++i];
      else throw new UsageError(`--${name} needs a value`);
    } else throw new UsageError(`unknown option --${name}`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  const [min, max] = spec.positional ?? [0, 0];
  if (positional.length < min || positional.length > max) {
    throw new UsageError(positional.length > max ? `unexpected argument "${positional[max]}"` : `missing argument${min - positional.length > 1 ? 's' : ''}`);
  }
  return { positional, flags };
}

/** The last value given for a flag. */
export function lastValue(flags: Map<string, string[]>, name: string): string | undefined {
  return flags.get(name)?.at(-1);
}

/** A whole-number flag, or undefined when absent. */
export function wholeNumberFlag(flags: Map<string, string[]>, name: string): number | undefined {
  const v = lastValue(flags, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} needs a whole number (got "${v}")`);
  return Number(v);
}
