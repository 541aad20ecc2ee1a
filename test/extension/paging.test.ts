// Every level of the Models view pages: a bucket with 2,500 models and a version with 2,500 files, on the local S3
// server, show every item through "Load more…" (S3 returns at most 1,000 per request).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { activateExtension, childByLabel, eventually, labelsOf } from './helpers';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/trees/treeNode';

const env = (name: string) => {
  const v = process.env[name];
  assert.ok(v, `${name} must be set by the test harness`);
  return v;
};

const COUNT = 2500;
const pad = (i: number) => String(i).padStart(4, '0');

/** Clicks "Load more…" until the level is whole; returns every label and how many clicks it took. */
async function loadEverything(api: ExtensionApi, parent: TreeNode): Promise<{ labels: string[]; clicks: number }> {
  let clicks = 0;
  for (;;) {
    const children = (await api.models.getChildren(parent))!;
    const last = children.at(-1);
    if (!last || (await api.models.getTreeItem(last)).contextValue !== 'loadMore') return { labels: await labelsOf(api.models, parent), clicks };
    await vscode.commands.executeCommand('tfServing.loadMore', last);
    clicks++;
  }
}

describe('Paging at every level of the Models view (local S3 server)', function () {
  this.timeout(300_000);
  const bucket = 'paging';
  const uri = `s3://${bucket}`;
  let api: ExtensionApi;

  before(async () => {
    api = await activateExtension();
    const s3 = new S3Client({ region: 'us-east-1', endpoint: env('TFS_TEST_S3_ENDPOINT'), forcePathStyle: true, credentials: { accessKeyId: env('TFS_TEST_S3_ACCESS_KEY'), secretAccessKey: env('TFS_TEST_S3_SECRET') } });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = [
      ...Array.from({ length: COUNT }, (_, i) => `m${pad(i)}/1/model.tflite`),
      ...Array.from({ length: COUNT }, (_, i) => `m0000/1/assets/f${pad(i)}.txt`),
    ];
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < keys.length) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: keys[next++], Body: 'x' }));
    }));
    s3.destroy();
    await vscode.commands.executeCommand('tfServing.addRepository', { uri, endpoint: env('TFS_TEST_S3_ENDPOINT'), region: 'us-east-1' });
    const repo = await eventually(async () => childByLabel(api.models, undefined, uri), 10_000, 'the paging repository');
    await vscode.commands.executeCommand('tfServing.setRepositoryCredentials', repo, { accessKeyId: env('TFS_TEST_S3_ACCESS_KEY'), secretAccessKey: env('TFS_TEST_S3_SECRET') });
  });

  after(async () => {
    const roots = (await api.models.getChildren(undefined)) ?? [];
    for (const r of roots) if ((await api.models.getTreeItem(r)).label === uri) await vscode.commands.executeCommand('tfServing.removeRepository', r);
  });

  it('shows all 2,500 models of a repository through Load more', async () => {
    const repo = await childByLabel(api.models, undefined, uri);
    const first = await labelsOf(api.models, repo);
    assert.strictEqual(first.length, 1001, 'one page of 1,000 and the Load more node');
    assert.strictEqual(first.at(-1), 'Load more…');
    const { labels, clicks } = await loadEverything(api, repo);
    assert.strictEqual(clicks, 2);
    assert.deepStrictEqual(labels, Array.from({ length: COUNT }, (_, i) => `m${pad(i)}`));
  });

  it('shows all 2,500 files of a version folder through Load more', async () => {
    const repo = await childByLabel(api.models, undefined, uri);
    const model = await childByLabel(api.models, repo, 'm0000');
    const version = await childByLabel(api.models, model, '1');
    const assets = await childByLabel(api.models, await childByLabel(api.models, version, 'Files'), 'assets');
    const { labels, clicks } = await loadEverything(api, assets);
    assert.strictEqual(clicks, 2);
    assert.deepStrictEqual(labels, Array.from({ length: COUNT }, (_, i) => `f${pad(i)}.txt`));
  });
});
