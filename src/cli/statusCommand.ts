// `tfserving-studio status <server> <model>`: the state of each version a server has, over REST or (--grpc)
// ModelService/GetModelStatus, in the same words either way.
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';
import { versionStatusError } from '../core/serving/tfServingClient';
import { SERVING_REQUEST_BOOLEANS, SERVING_REQUEST_USAGE, SERVING_REQUEST_VALUES, servingRequestOf } from './servingRequestFlags';

export const statusCommand: CliCommand = {
  name: 'status',
  usage: `status <host:port> <model> ${SERVING_REQUEST_USAGE}`,
  summary: 'Versions of a model on a running TF Serving and their state (REST, or gRPC GetModelStatus with --grpc); exit 1 when none is AVAILABLE.',
  async run(args, io) {
    const { positional, flags } = parseArgs(args, { values: SERVING_REQUEST_VALUES, booleans: SERVING_REQUEST_BOOLEANS, positional: [2, 2] });
    const { client, sel } = await servingRequestOf(positional[0], flags);
    const r = await client.status(positional[1], sel);
    if (flags.has('json')) io.out(JSON.stringify({ model_version_status: r.value }, null, 2));
    else {
      for (const v of r.value) {
        const error = versionStatusError(v);
        io.out(`version ${v.version}: ${v.state}${error ? ` (${error})` : ''}`);
      }
      io.err(`${client.describe('status', positional[1], sel)}: ${r.millis.toFixed(1)} ms`);
    }
    return r.value.some((v) => v.state === 'AVAILABLE') ? 0 : 1;
  },
};
