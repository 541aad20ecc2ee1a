// A live Docker engine with the stand-in tensorflow/serving and prom/prometheus test images, for the extension
// tests and the demo: the one DOCKER_HOST already names, or the project's private engine (test/docker/engine-up.sh), which
// is then stopped by stop().
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');
const { REPO } = require('./codeServer');

function engineAnswers(dockerHost) {
  try {
    execFileSync('docker', ['version'], { env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: 'ignore', timeout: 15000 });
    return true;
  } catch {
    return false;
  }
}

/** Resolves to { dockerHost, started, stop() }; logs go to stderr. */
function ensureDockerEngine({ log = (l) => console.error(l) } = {}) {
  let dockerHost = process.env.DOCKER_HOST;
  let started = false;
  if (!dockerHost || !engineAnswers(dockerHost)) {
    log('[docker] starting the private engine (test/docker/engine-up.sh)');
    const out = execFileSync('sh', [path.join(REPO, 'test/docker/engine-up.sh')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600000 });
    const m = /export DOCKER_HOST=(\S+)/.exec(out);
    if (!m) throw new Error(`engine-up.sh printed no DOCKER_HOST: ${out}`);
    dockerHost = m[1];
    started = true;
  }
  for (const script of ['buildStandinImage.sh', 'buildPrometheusImage.sh']) {
    // The stand-in tensorflow/serving, and prom/prometheus holding Debian's binary (for "Start Prometheus").
    execFileSync('sh', [path.join(REPO, 'test/docker', script)],
      { env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600000 });
  }
  const stop = () => {
    if (started) execFileSync('sh', [path.join(REPO, 'test/docker/engine-down.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  };
  return { dockerHost, started, stop };
}

module.exports = { ensureDockerEngine };
