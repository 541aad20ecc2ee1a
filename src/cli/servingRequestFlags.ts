// The flags the server-asking commands share (status, predict): which server, which API, which version or label.
import type { ServingClient } from '../core/serving/servingClient';
import { servingClientFor } from '../core/serving/servingEndpoint';
import type { VersionSelector } from '../core/serving/tfServingClient';
import { lastValue, UsageError, wholeNumberFlag } from './cliArgs';

export const SERVING_REQUEST_VALUES = ['version', 'label', 'timeout-ms'] as const;
export const SERVING_REQUEST_BOOLEANS = ['grpc', 'json'] as const;
export const SERVING_REQUEST_USAGE = '[--grpc] [--version N | --label L] [--timeout-ms N] [--json]';

export async function servingRequestOf(target: string, flags: Map<string, string[]>): Promise<{ client: ServingClient; sel: VersionSelector }> {
  const version = wholeNumberFlag(flags, 'version');
  const label = lastValue(flags, 'label');
  if (version !== undefined && label !== undefined) throw new UsageError('give --version or --label, not both');
  const client = await servingClientFor(target, flags.has('grpc') ? 'grpc' : 'rest', wholeNumberFlag(flags, 'timeout-ms'));
  return { client, sel: version !== undefined ? { version } : label !== undefined ? { label } : undefined };
}
