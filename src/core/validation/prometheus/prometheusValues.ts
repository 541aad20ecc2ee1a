// How Prometheus reads the scalar types of prometheus.yml (durations, sizes, label names, regular expressions,
// URLs, host:port targets), each as a function returning undefined when the value is fine or the reason in plain
// words. The rules are Prometheus' (common/model, alecthomas/units, model/relabel, config.go); the code is ours.
import { RE2JS } from 're2js';

const DURATION_UNITS: readonly [string, number][] = [['y', 31_536_000_000], ['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
const MAX_DURATION_MS = 2 ** 63 / 1e6; // Go's time.Duration is int64 nanoseconds

/** Milliseconds of a Prometheus duration ("1h30m", "0"), or an error in plain words. */
export function parseDuration(s: string): { ms: number } | { error: string } {
  if (s === '0') return { ms: 0 };
  if (s === '') return { error: 'an empty duration' };
  let rest = s;
  let ms = 0;
  let lastUnit = -1;
  while (rest) {
    const m = /^(\d+)([^\d]*)/.exec(rest);
    if (!m || !m[2]) return { error: `"${s}" is not a duration` };
    const unit = DURATION_UNITS.findIndex(([u]) => u === m[2]);
    if (unit < 0) return { error: `unknown unit "${m[2]}" in duration "${s}"` };
    if (unit <= lastUnit) return { error: `"${s}" is not a duration: units must go from the largest to the smallest, each once` };
    lastUnit = unit;
    ms += Number(m[1]) * DURATION_UNITS[unit][1];
    rest = rest.slice(m[0].length);
  }
  if (ms > MAX_DURATION_MS) return { error: `duration "${s}" is out of range (at most about 292 years)` };
  return { ms };
}

const SIZE_UNITS = new Set(['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']);

/** Why a size ("512MB", "1GB512MB", "0") is not one Prometheus reads, or undefined. Negative sizes parse here;
 * the caller decides whether they are allowed. */
export function sizeError(s: string): string | undefined {
  let rest = s.startsWith('-') ? s.slice(1) : s;
  if (rest === '0') return undefined;
  if (rest === '') return 'an empty size';
  while (rest) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([^\d.]*)/.exec(rest);
    if (!m) return `"${s}" is not a size`;
    if (!m[2]) return `"${s}" has no unit: write e.g. ${m[1]}MB (units B, KB, MB, GB, TB, PB, EB)`;
    if (!SIZE_UNITS.has(m[2])) return `unknown unit "${m[2]}" in size "${s}" (units B, KB, MB, GB, TB, PB, EB)`;
    rest = rest.slice(m[0].length);
  }
  return undefined;
}

export type NameValidationScheme = 'utf8' | 'legacy';

const LEGACY_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Legacy label names plus `$1` / `${name}` references, as Prometheus allows in relabel targets. */
const LEGACY_LABEL_WITH_VARS = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

/** Whether a label name (as UTF-8 bytes decoded by the caller, `valid` false when they were not UTF-8) is valid. */
export function labelNameError(name: string, scheme: NameValidationScheme, validUtf8 = true, allowVars = false): string | undefined {
  if (name === '') return 'a label name cannot be empty';
  if (!validUtf8) return `"${name}" is not a valid label name: it is not valid UTF-8`;
  if (scheme === 'utf8') return undefined;
  if ((allowVars ? LEGACY_LABEL_WITH_VARS : LEGACY_LABEL).test(name)) return undefined;
  return `"${name}" is not a valid label name under the legacy name validation (letters, digits and _, not starting with a digit)`;
}

/** Why a relabel or drop regex does not compile as Prometheus compiles it (RE2, anchored `^(?s:…)$`), or undefined. */
export function regexError(source: string): string | undefined {
  try {
    RE2JS.compile(`^(?s:${source})$`);
    return undefined;
  } catch (e) {
    // RE2JS quotes the anchored form; show the user's own text instead.
    const msg = (e instanceof Error ? e.message : String(e)).replace(/:\s*`[\s\S]*`$/, '');
    return `regular expression "${source}" does not compile (RE2 syntax, as Prometheus reads it): ${msg}`;
  }
}

export interface UrlRules {
  /** Only http and https are accepted (what Prometheus' HTTP-based discoveries and clients require). */
  httpOnly?: boolean;
  /** A host is required. */
  needsHost?: boolean;
}

/** Why a URL is not usable, or undefined. Go's url.Parse is lenient, so most checks only apply with rules. */
export function urlError(value: string, rules: UrlRules = {}): string | undefined {
  if (/[\x00-\x1f\x7f]/.test(value)) return `URL "${value}" contains a control character`;
  if (/\s/.test(value.trim()) || value !== value.trim()) return `URL "${value}" contains a space`;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value)?.[1];
  if (rules.httpOnly && scheme?.toLowerCase() !== 'http' && scheme?.toLowerCase() !== 'https') {
    return `URL "${value}" must start with http:// or https://`;
  }
  if (scheme && /^\/\//.test(value.slice(scheme.length + 1))) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return `"${value}" is not a valid URL`;
    }
    if (rules.needsHost && !parsed.hostname) return `URL "${value}" has no host`;
  } else if (rules.needsHost) return `URL "${value}" has no host`;
  return undefined;
}

/** Why a static target is not a host[:port] Prometheus can scrape, or undefined (a scheme or path belongs in
 * `scheme` / `metrics_path`). */
export function targetError(address: string): string | undefined {
  if (address.includes('/')) return `"${address}" is not a valid host: a target is host:port; put the scheme in "scheme" and the path in "metrics_path"`;
  return undefined;
}

/** Whether a byte sequence is valid UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
