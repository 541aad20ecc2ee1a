import * as assert from 'node:assert/strict';
import { modelReadiness } from '../../src/core/serving/modelReadiness';
import type { ModelVersionStatus } from '../../src/core/serving/tfServingClient';

const ok = { error_code: 'OK', error_message: '' };
// As the real clients do, a call that gets no answer fails at its own timeout.
function client(versions: ModelVersionStatus[] | 'hang' | 'refused') {
  return {
    status: (_model: string, _sel?: unknown, timeoutMs?: number) => (versions === 'hang'
      ? new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs ?? 30_000))
      : versions === 'refused' ? Promise.reject(new Error('ECONNREFUSED')) : Promise.resolve({ value: versions, millis: 1 })),
  };
}

describe('modelReadiness', () => {
  it('is true when a version is AVAILABLE, false while versions load or the server does not answer', async () => {
    assert.equal(await modelReadiness(client([{ version: '2', state: 'AVAILABLE', status: ok }, { version: '1', state: 'END', status: { error_code: 'UNKNOWN', error_message: 'x' } }]), 'm'), true);
    assert.equal(await modelReadiness(client([{ version: '1', state: 'LOADING', status: ok }]), 'm'), false);
    assert.equal(await modelReadiness(client([]), 'm'), false);
    assert.equal(await modelReadiness(client('refused'), 'm'), false);
    assert.equal(await modelReadiness(client('hang'), 'm'), false);
  });

  it('names every version that ended in an error; a version unloaded cleanly (END, OK) is no failure', async () => {
    assert.deepEqual(await modelReadiness(client([
      { version: '2', state: 'END', status: { error_code: 'DATA_LOSS', error_message: 'corrupted record at 0' } },
      { version: '1', state: 'END', status: { error_code: 'NOT_FOUND', error_message: 'Could not find SavedModel .pb' } },
    ]), 'm'), { failed: 'version 2: DATA_LOSS: corrupted record at 0; version 1: NOT_FOUND: Could not find SavedModel .pb' });
    assert.equal(await modelReadiness(client([
      { version: '2', state: 'END', status: { error_code: 'DATA_LOSS', error_message: 'x' } },
      { version: '1', state: 'END', status: ok },
    ]), 'm'), false);
  });
});
