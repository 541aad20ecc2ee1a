import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ExpositionParseError, histogramSeries, parseExposition, parseSampleValue } from '../../src/core/monitoring/expositionParser';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/monitoring');

function parseError(text: string): ExpositionParseError {
  try {
    parseExposition(text);
  } catch (e) {
    assert.ok(e instanceof ExpositionParseError, String(e));
    return e;
  }
  assert.fail(`parsed without an error:\n${text}`);
}

describe('exposition parser', () => {
  it('reads HELP and TYPE metadata, comments, counters, gauges and untyped samples', () => {
    const fams = parseExposition([
      '# A plain comment',
      '#another comment without a space',
      '# HELP http_requests_total The total number of HTTP requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"}    3 1395066363000',
      '',
      '# TYPE temperature gauge',
      'temperature -3.5e2',
      'no_metadata 42',
      '   ',
    ].join('\n'));
    assert.deepStrictEqual(fams.map((f) => [f.name, f.type, f.help]), [
      ['http_requests_total', 'counter', 'The total number of HTTP requests.'],
      ['temperature', 'gauge', undefined],
      ['no_metadata', 'untyped', undefined],
    ]);
    assert.deepStrictEqual(fams[0].samples[1], { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3, timestampMs: 1395066363000 });
    assert.strictEqual(fams[1].samples[0].value, -350);
    assert.strictEqual(fams[1].samples[0].timestampMs, undefined);
  });

  it('unescapes label values (\\\\, \\", \\n) and HELP text (\\\\, \\n)', () => {
    const [f] = parseExposition([
      '# HELP msdos_file_access_time_seconds Seconds since\\nepoch, path C:\\\\DIR',
      'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9',
    ].join('\n'));
    assert.strictEqual(f.help, 'Seconds since\nepoch, path C:\\DIR');
    assert.deepStrictEqual(f.samples[0].labels, { path: 'C:\\DIR\\FILE.TXT', error: 'Cannot find file:\n"FILE.TXT"' });
    assert.strictEqual(f.samples[0].value, 1458255915);
  });

  it('keeps braces, commas, equals signs, # and spaces inside label values', () => {
    const [f] = parseExposition('m{a="x{y}=z, w",b="# not a comment",c=""} 1\n');
    assert.deepStrictEqual(f.samples[0].labels, { a: 'x{y}=z, w', b: '# not a comment', c: '' });
  });

  it('accepts NaN, +Inf, -Inf (any case), a trailing comma, {} and blanks around tokens', () => {
    const fams = parseExposition([
      'a NaN',
      'b{} +Inf',
      'c{x="1",} -Inf',
      'd { x = "1" , y="2" }\t7\t-12',
      'e inf',
      'f 0.5e-3',
      'g .5',
      'h -0',
    ].join('\n'));
    const v = (name: string) => fams.find((f) => f.name === name)!.samples[0];
    assert.ok(Number.isNaN(v('a').value));
    assert.strictEqual(v('b').value, Infinity);
    assert.strictEqual(v('c').value, -Infinity);
    assert.deepStrictEqual(v('c').labels, { x: '1' });
    assert.deepStrictEqual(v('d'), { name: 'd', labels: { x: '1', y: '2' }, value: 7, timestampMs: -12 });
    assert.strictEqual(v('e').value, Infinity);
    assert.strictEqual(v('f').value, 0.0005);
    assert.strictEqual(v('g').value, 0.5);
    assert.strictEqual(v('h').value, -0);
  });

  it('tolerates CRLF line ends and a missing final newline', () => {
    const fams = parseExposition('# TYPE a counter\r\na{x="1"} 2\r\na{x="2"} 3');
    assert.deepStrictEqual(fams[0].samples.map((s) => s.value), [2, 3]);
    assert.strictEqual(fams[0].type, 'counter');
  });

  it('groups histogram _bucket/_sum/_count lines into one family and one series per label set', () => {
    const fams = parseExposition([
      '# HELP rpc_duration_seconds A histogram of RPC durations.',
      '# TYPE rpc_duration_seconds histogram',
      'rpc_duration_seconds_bucket{svc="a",le="0.1"} 2',
      'rpc_duration_seconds_bucket{svc="a",le="1"} 5',
      'rpc_duration_seconds_bucket{svc="a",le="+Inf"} 6',
      'rpc_duration_seconds_sum{svc="a"} 4.5',
      'rpc_duration_seconds_count{svc="a"} 6',
      'rpc_duration_seconds_bucket{le="1e+06",svc="b"} 1',
      'rpc_duration_seconds_bucket{le="+Inf",svc="b"} 1',
      'rpc_duration_seconds_sum{svc="b"} 0.25',
      'rpc_duration_seconds_count{svc="b"} 1',
    ].join('\n'));
    assert.strictEqual(fams.length, 1);
    assert.strictEqual(fams[0].samples.length, 9);
    const hs = histogramSeries(fams[0]);
    assert.deepStrictEqual(hs, [
      { labels: { svc: 'a' }, buckets: [{ le: 0.1, count: 2 }, { le: 1, count: 5 }, { le: Infinity, count: 6 }], sum: 4.5, count: 6 },
      { labels: { svc: 'b' }, buckets: [{ le: 1e6, count: 1 }, { le: Infinity, count: 1 }], sum: 0.25, count: 1 },
    ]);
  });

  it('groups summaries (quantile samples, _sum, _count)', () => {
    const [f] = parseExposition([
      '# TYPE rpc_latency summary',
      'rpc_latency{quantile="0.5"} 0.01',
      'rpc_latency{quantile="0.99"} NaN',
      'rpc_latency_sum 17',
      'rpc_latency_count 2',
    ].join('\n'));
    assert.strictEqual(f.type, 'summary');
    assert.deepStrictEqual(f.samples.map((s) => s.name), ['rpc_latency', 'rpc_latency', 'rpc_latency_sum', 'rpc_latency_count']);
  });

  it('without # TYPE, x_bucket, x_sum and x_count are separate untyped metrics (as Prometheus sees them)', () => {
    const fams = parseExposition('x_bucket{le="1"} 1\nx_sum 2\nx_count 3\n');
    assert.deepStrictEqual(fams.map((f) => [f.name, f.type]), [['x_bucket', 'untyped'], ['x_sum', 'untyped'], ['x_count', 'untyped']]);
  });

  it("parses TF Serving's own page: colon metric names, exponent bucket bounds, every family", () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'tfserving-metrics.txt'), 'utf8');
    const fams = parseExposition(text);
    const byName = new Map(fams.map((f) => [f.name, f]));
    assert.strictEqual(byName.get(':tensorflow:serving:request_count')?.type, 'counter');
    assert.deepStrictEqual(byName.get(':tensorflow:serving:request_count')!.samples.map((s) => [s.labels, s.value]), [
      [{ model_name: 'hpt', status: 'OK' }, 7],
      [{ model_name: 'hpt', status: 'INVALID_ARGUMENT' }, 2],
      [{ model_name: 'resnet', status: 'OK' }, 3],
    ]);
    const latency = histogramSeries(byName.get(':tensorflow:serving:request_latency')!);
    assert.deepStrictEqual(latency.map((h) => [h.labels.model_name, h.labels.status, h.count]), [['hpt', 'OK', 7], ['hpt', 'INVALID_ARGUMENT', 2], ['resnet', 'OK', 3]]);
    assert.strictEqual(latency[0].buckets.length, 33);
    assert.strictEqual(latency[0].buckets[31].le, 8.19309e+08);
    assert.strictEqual(latency[0].buckets[32].le, Infinity);
    assert.strictEqual(latency[0].sum, 120 + 150 + 160 + 300 + 310 + 900 + 5000);
    assert.strictEqual(byName.get(':tensorflow:cc:saved_model:load_latency')!.samples[0].labels.model_path, '/models/hpt/00000123');
  });

  describe('errors name the line and column', () => {
    const cases: [string, string, number, RegExp][] = [
      ['unterminated label value', 'ok 1\nm{a="x} 1\n', 2, /unterminated value of label a/],
      ['bad escape', 'm{a="\\t"} 1', 1, /invalid escape "\\t"/],
      ['missing value', 'a 1\nb 2\nc\n', 3, /missing sample value/],
      ['bad value', 'm 1O', 1, /invalid sample value "1O"/],
      ['hex value', 'm 0x10', 1, /invalid sample value "0x10"/],
      ['fractional timestamp', 'm 1 1.5', 1, /invalid timestamp "1.5"/],
      ['text after timestamp', 'm 1 2 3', 1, /unexpected text after the timestamp/],
      ['bad metric name', '0abc 1', 1, /expected a metric name/],
      ['bad char in name', 'a-b 1', 1, /unexpected character "-"/],
      ['bad label name', 'm{0a="1"} 1', 1, /invalid label name/],
      ['label name without =', 'm{a} 1', 1, /expected "=" after label name a/],
      ['unquoted label value', 'm{a=1} 1', 1, /expected a quoted value for label a/],
      ['missing comma', 'm{a="1" b="2"} 1', 1, /expected "," or "}"/],
      ['missing }', 'm{a="1"', 1, /missing "}"|expected "," or "}"/],
      ['duplicate label', 'm{a="1",a="2"} 1', 1, /label a appears twice/],
      ['unknown type', '# TYPE m histgram', 1, /unknown metric type "histgram"/],
      ['second TYPE', '# TYPE m counter\n# TYPE m gauge', 2, /second # TYPE line for m/],
      ['second HELP', '# HELP m a\n# HELP m b', 2, /second # HELP line for m/],
      ['TYPE after samples', 'm 1\n# TYPE m counter', 2, /after its samples/],
      ['bucket without le', '# TYPE h histogram\nh_bucket{a="1"} 1', 2, /without an "le" label/],
      ['bucket with bad le', '# TYPE h histogram\nh_bucket{le="big"} 1', 2, /le="big", not a number/],
      ['histogram sample without suffix', '# TYPE h histogram\nh 1', 2, /without _bucket, _sum or _count/],
      ['histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1', 2, /without an le="\+Inf" bucket/],
      ['summary without quantile', '# TYPE s summary\ns 1', 2, /without a "quantile" label/],
      ['bad name after TYPE', '# TYPE 9m counter', 1, /invalid metric name after # TYPE/],
    ];
    for (const [title, text, line, message] of cases) {
      it(title, () => {
        const e = parseError(text);
        assert.strictEqual(e.line, line, e.message);
        assert.match(e.message, message);
        assert.match(e.message, new RegExp(`^line ${line}, column \\d+: `));
      });
    }

    it('points the column at the offending character', () => {
      const e = parseError('metric{a="1",b=2} 1');
      assert.strictEqual(e.column, 16);
      assert.match(e.message, /in "metric\{a="1",b=2\} 1"/);
    });
  });

  it('parseSampleValue follows the format, not JavaScript', () => {
    for (const bad of ['', ' 1', '1_000', 'Infinityx', '0b1', '1e', '--1']) assert.throws(() => parseSampleValue(bad), bad);
    assert.strictEqual(parseSampleValue('1E3'), 1000);
    assert.strictEqual(parseSampleValue('+1.5'), 1.5);
    assert.strictEqual(parseSampleValue('-Inf'), -Infinity);
  });
});
