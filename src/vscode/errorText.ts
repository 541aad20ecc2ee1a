// One line for a failure shown in the tree or a notification: what is wrong, then what to do.
import { StoreError } from '../core/storage/modelStore';

export function errorText(e: unknown): string {
  if (e instanceof StoreError) return e.hint ? `${e.message} ${e.hint}` : e.message;
  return e instanceof Error ? e.message : String(e);
}
