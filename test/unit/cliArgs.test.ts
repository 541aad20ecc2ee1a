import * as assert from 'assert';
import { HelpRequested, parseArgs, UsageError, wholeNumberFlag } from '../../src/cli/cliArgs';

describe('CLI argument parser (shared by every command)', () => {
  const spec = { values: ['tag', 'label'], booleans: ['json'], positional: [1, 2] as const };

  it('reads values, booleans, repeats and positionals', () => {
    const { positional, flags } = parseArgs(['m', '--tag', '2.19.0', '--json', '--label=a=1', '--label', 'b=2', 'x'], spec);
    assert.deepStrictEqual(positional, ['m', 'x']);
    assert.deepStrictEqual([...flags.entries()], [['tag', ['2.19.0']], ['json', ['true']], ['label', ['a=1', 'b=2']]]);
  });

  it('rejects unknown flags, missing values and wrong counts as usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['m', '--tga', '1'], /^unknown option --tga$/],
      [['m', '-t'], /^unknown option -t$/],
      [['m', '--tag'], /^--tag needs a value$/],
      [['m', '--tag', '--json'], /^--tag needs a value$/],
      [[], /^missing argument$/],
      [['a', 'b', 'c'], /^unexpected argument "c"$/],
    ];
    for (const [args, message] of cases) {
      assert.throws(() => parseArgs(args, spec), (e: Error) => e instanceof UsageError && message.test(e.message), args.join(' '));
    }
  });

  it('treats --help as a request for usage, and -- as the end of flags', () => {
    assert.throws(() => parseArgs(['--help'], spec), HelpRequested);
    assert.deepStrictEqual(parseArgs(['--', '--json'], spec).positional, ['--json']);
  });

  it('checks whole-number flags', () => {
    const { flags } = parseArgs(['m', '--tag', '12'], spec);
    assert.strictEqual(wholeNumberFlag(flags, 'tag'), 12);
    assert.strictEqual(wholeNumberFlag(flags, 'label'), undefined);
    assert.throws(() => wholeNumberFlag(parseArgs(['m', '--tag', '1.5'], spec).flags, 'tag'), /--tag needs a whole number \(got "1.5"\)/);
  });
});
