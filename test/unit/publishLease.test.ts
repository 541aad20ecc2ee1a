import * as assert from 'assert';
import * as os from 'os';
import { LEASE_MS, leaseIsLive, newLease, parseLease, parseStagingFolder, renewLease, stagingFolder, unclaimedIsDead } from '../../src/core/storage/publishLease';

describe('Publish leases and staging folder names', () => {
  it('names one staging folder per version and reads earlier releases\' names as legacy', () => {
    assert.strictEqual(stagingFolder(12), '.staging-12');
    assert.deepStrictEqual(parseStagingFolder('.staging-12'), { version: 12, legacy: false });
    assert.deepStrictEqual(parseStagingFolder('.staging-3-1a2b3c4d'), { version: 3, legacy: true });
    assert.deepStrictEqual(parseStagingFolder('.staging-3-4242-1700000000000'), { version: 3, legacy: true });
    for (const name of ['staging-3', '.staging-', '.staging-x', '3', '.staging-99999999999999999999']) assert.strictEqual(parseStagingFolder(name), undefined, name);
  });

  it('a lease is live until it expires; on this machine, only while its process exists', () => {
    const now = Date.now();
    const mine = newLease(4, now);
    assert.strictEqual(mine.host, os.hostname());
    assert.strictEqual(mine.pid, process.pid);
    assert.ok(leaseIsLive(mine, now));
    assert.ok(!leaseIsLive(mine, now + LEASE_MS + 1), 'expired');
    assert.ok(leaseIsLive(renewLease(mine, now + LEASE_MS - 1), now + LEASE_MS + 1), 'renewed');
    const deadHere = { ...mine, pid: 2 ** 22 + 12345 };
    assert.ok(!leaseIsLive(deadHere, now), 'its process is gone');
    const elsewhere = { ...deadHere, host: 'another-machine.example' };
    assert.ok(leaseIsLive(elsewhere, now), 'another machine: only the expiry counts');
    assert.ok(!leaseIsLive(elsewhere, now + LEASE_MS + 1));
  });

  it('reads claims back, and treats unreadable ones as no claim', () => {
    const lease = newLease(1);
    assert.deepStrictEqual(parseLease(JSON.stringify(lease)), lease);
    assert.strictEqual(parseLease('{"id": 1}'), undefined);
    assert.strictEqual(parseLease('{"id": "x", "expires'), undefined);
    assert.strictEqual(parseLease(''), undefined);
  });

  it('a staging folder without a claim is dead once nothing changed in it for a whole lease', () => {
    const now = Date.now();
    assert.ok(!unclaimedIsDead(new Date(now - 1000), now));
    assert.ok(unclaimedIsDead(new Date(now - LEASE_MS - 1), now));
    assert.ok(unclaimedIsDead(undefined, now));
  });
});
