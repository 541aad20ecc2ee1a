// The oracle: `protoc --encode=<message>` (Debian protobuf-compiler) parses each corpus file with TF Serving's
// protos; our validator must agree on valid/invalid for every file.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectTextProtoMessage, topLevelMessages, validateTextProto } from '../../src/core/configs/textProtoValidator';

const root = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const protos = join(root, 'tf-serving', 'protos');
// protoc's well-known types (wrappers.proto, any.proto) ship with protobuf-compiler under /usr/include.
const wellKnown = ['/usr/include', '/usr/local/include'].find((d) => existsSync(join(d, 'google', 'protobuf', 'wrappers.proto')));

function protocAccepts(file: string, message: keyof typeof topLevelMessages): { ok: boolean; stderr: string } {
  const r = spawnSync('protoc', [`--encode=${message}`, `-I${protos}`, `-I${wellKnown}`, topLevelMessages[message]], {
    input: readFileSync(file),
    encoding: 'buffer',
    timeout: 30000,
  });
  if (r.error) throw new Error(`protoc not runnable (${r.error.message}); install it with: apt-get install protobuf-compiler`);
  return { ok: r.status === 0, stderr: r.stderr.toString() };
}

describe('text-format validator agrees with protoc --encode (integration)', function () {
  this.timeout(60000);
  before(() => assert.ok(wellKnown, 'google/protobuf/wrappers.proto not found; install protobuf-compiler (libprotobuf-dev)'));
  const tally = { agree: 0 };
  for (const dir of ['valid', 'invalid']) {
    for (const name of readdirSync(join(root, 'textproto', dir))) {
      const file = join(root, 'textproto', dir, name);
      it(`${dir}/${name}`, () => {
        const text = readFileSync(file, 'utf8');
        const message = detectTextProtoMessage(file, text);
        assert.ok(message, 'message type not detected');
        // Warnings (deprecated fields) are not failures, for protoc either.
        const ours = validateTextProto(file, text, message).filter((f) => f.severity === 'error');
        const theirs = protocAccepts(file, message);
        assert.equal(ours.length === 0, theirs.ok, `ours: ${JSON.stringify(ours.map((f) => f.message))}\nprotoc: ${theirs.stderr}`);
        assert.equal(theirs.ok, dir === 'valid', `corpus folder disagrees with protoc: ${theirs.stderr}`);
        if (!theirs.ok) {
          // Near protoc's first error ("input:LINE:COL: …", 1-based). protoc reports some value errors at the token
          // after the bad value, so its line may be one further down.
          const m = /:(\d+):(\d+): /.exec(theirs.stderr);
          if (m) {
            const gap = Number(m[1]) - (ours[0].range.start.line + 1);
            assert.ok(gap === 0 || gap === 1, `line differs; ours ${ours[0].range.start.line + 1}, protoc: ${theirs.stderr}`);
          }
        }
        tally.agree++;
      });
    }
  }
  after(() => console.log(`      protoc agreement: ${tally.agree} files`));
});
