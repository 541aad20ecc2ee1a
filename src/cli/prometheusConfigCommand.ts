// `tfserving-studio prometheus-config --target HOST:PORT …`: the prometheus.yml "Start Prometheus" writes, for a
// Prometheus the user runs themselves.
import * as fs from 'fs';
import { resolve } from 'path';
import type { CliCommand } from './cliIo';
import { parseArgs } from './cliArgs';
import { DEFAULT_JOB_NAME, DEFAULT_PROMETHEUS_PATH, DEFAULT_SCRAPE_INTERVAL, prometheusConfigText } from '../core/monitoring/prometheusConfigWriter';

const VALUE_FLAGS = ['target', 'metrics-path', 'job', 'scrape-interval', 'out'];
const BOOLEAN_FLAGS = ['force'];

export const prometheusConfigCommand: CliCommand = {
  name: 'prometheus-config',
  usage: 'prometheus-config --target HOST:PORT [--metrics-path PATH] [--job NAME] [--scrape-interval D] [--out FILE [--force]]',
  summary: `Write a prometheus.yml scraping a TF Serving server (metrics path ${DEFAULT_PROMETHEUS_PATH}, job ${DEFAULT_JOB_NAME}, every ${DEFAULT_SCRAPE_INTERVAL}).`,
  async run(args, io) {
    const { flags } = parseArgs(args, { values: VALUE_FLAGS, booleans: BOOLEAN_FLAGS });
    const one = (name: string) => flags.get(name)?.at(-1);
    const target = one('target');
    if (!target) {
      io.err('tfserving-studio prometheus-config: --target HOST:PORT is required (the server\'s REST address, e.g. 127.0.0.1:8501).');
      return 2;
    }
    const text = await prometheusConfigText({
      target,
      metricsPath: one('metrics-path'),
      jobName: one('job'),
      scrapeInterval: one('scrape-interval'),
    });
    const out = one('out');
    if (!out) {
      io.out(text);
      return 0;
    }
    const file = resolve(io.cwd, out);
    try {
      // 'wx' fails when the file exists, so a concurrent writer cannot slip in between a check and the write.
      fs.writeFileSync(file, text, { flag: flags.has('force') ? 'w' : 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        io.err(`tfserving-studio prometheus-config: ${out} already exists; add --force to overwrite it.`);
        return 1;
      }
      throw e;
    }
    io.err(`Wrote ${out}. Check it with: promtool check config ${out}`);
    return 0;
  },
};
