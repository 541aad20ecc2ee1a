// `tfserving-studio predict <server> <model> --body FILE|-`: TF Serving's REST predict body ({"instances": …} or
// {"inputs": …}) sent over REST or (--grpc) PredictionService/Predict, the answer printed as REST prints it.
import * as fs from 'fs';
import * as path from 'path';
import type { CliCommand } from './cliIo';
import { lastValue, parseArgs, UsageError } from './cliArgs';
import { SERVING_REQUEST_BOOLEANS, SERVING_REQUEST_USAGE, SERVING_REQUEST_VALUES, servingRequestOf } from './servingRequestFlags';

export const predictCommand: CliCommand = {
  name: 'predict',
  usage: `predict <host:port> <model> --body FILE|- ${SERVING_REQUEST_USAGE}`,
  summary: 'Send a predict request (the REST JSON body) to a running TF Serving over REST, or gRPC Predict with --grpc; prints the answer.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: [...SERVING_REQUEST_VALUES, 'body'], booleans: SERVING_REQUEST_BOOLEANS, positional: [2, 2] });
    const file = lastValue(flags, 'body');
    if (!file) throw new UsageError('--body FILE (or - for stdin) is required');
    const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    let body: unknown;
    try { body = JSON.parse(text); } catch (e) { throw new Error(`${file === '-' ? 'stdin' : file} is not JSON: ${(e as Error).message}`); }
    const { client, sel } = await servingRequestOf(positional[0], flags);
    const r = await client.predict(positional[1], body, sel);
    io.out(JSON.stringify(r.value, null, flags.has('json') ? 0 : 2));
    io.err(`${client.describe('predict', positional[1], sel)}: ${r.millis.toFixed(1)} ms`);
    return 0;
  },
};
