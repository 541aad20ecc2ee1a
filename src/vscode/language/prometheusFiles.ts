// Which files are Prometheus configs: the built-in names (prometheus.yml, prometheus.yaml, prometheus/*.yml) and
// the globs of `tfServing.validation.prometheusFiles`. No vscode import: unit-tested.

/** The built-in names; the same rule as core's isPrometheusConfigPath, which we do not import here because its
 * module loads the schema and ajv (a unit test checks that the two agree). */
export function isBuiltInPrometheusPath(p: string): boolean {
  return /(^|\/)prometheus\.ya?ml$/i.test(p) || /(^|\/)prometheus\/[^/]+\.ya?ml$/i.test(p);
}

/** Glob → RegExp: `**` any folders, `*` and `?` within one segment, `{a,b}` alternatives. A glob without `/`
 * matches the file name in any folder, as yaml.schemas / files.associations globs do. */
export function globToRegExp(glob: string): RegExp {
  let g = glob.replace(/\\/g, '/');
  if (!g.includes('/')) g = `**/${g}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      i++;
      if (g[i + 1] === '/') { i++; re += '(?:.*/)?'; } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',' && re.lastIndexOf('(?:') > re.lastIndexOf(')')) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${re.replace(/^\(\?:\.\*\/\)\?/, '(?:.*/)?')}$`, 'i');
}

export class PrometheusFileMatcher {
  private patterns: RegExp[] = [];

  setUserGlobs(globs: readonly string[]): void {
    this.patterns = globs.filter((g) => typeof g === 'string' && g.trim()).map(globToRegExp);
  }

  /** `path` is a file path or a URI's path. */
  matches(path: string): boolean {
    const p = path.replace(/\\/g, '/');
    if (!/\.ya?ml$/i.test(p)) return false;
    return isBuiltInPrometheusPath(p) || this.patterns.some((r) => r.test(p));
  }
}
