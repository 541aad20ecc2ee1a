// One line for a failure shown to a user: what is wrong, then what to do.
// Core errors (StoreError, DockerEngineError, …) carry an optional `hint` with the second half.
import { maskUrlCredentials } from './maskCredentials';

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const hint = (e as { hint?: unknown }).hint;
    return maskUrlCredentials(typeof hint === 'string' && hint ? `${e.message} ${hint}` : e.message);
  }
  return maskUrlCredentials(String(e));
}
