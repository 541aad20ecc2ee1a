// Lines in, diagnoses out: every known cause tried on every line; a cause repeated by a polling server is told once.
import type { Diagnosis, Evidence } from './diagnosis';
import { KNOWN_CAUSES } from './knownCauses';
import { maskUrlCredentials } from '../maskCredentials';

export function diagnose(evidence: Evidence): Diagnosis[] {
  const found = new Map<string, Diagnosis>();
  for (const line of evidence.lines) {
    for (const cause of KNOWN_CAUSES) {
      const d = cause(line, evidence);
      if (!d) continue;
      // The latest wording wins (a server that keeps polling says the same thing again, maybe about a newer state).
      const key = `${d.id}\n${d.title}`;
      found.delete(key);
      // A log line may quote a URL with keys in it (http://KEY:SECRET@host): never repeat them.
      found.set(key, { ...d, title: maskUrlCredentials(d.title), cause: maskUrlCredentials(d.cause), fix: maskUrlCredentials(d.fix), evidence: maskUrlCredentials(d.evidence) });
      break;
    }
  }
  return [...found.values()];
}

/** Paths the lines name that the doctor should look into (base paths, version folders). */
export function pathsNamed(lines: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const l of lines) {
    for (const re of [/found under base path (.+?)\. Did you forget/, /Could not find base path (.+?) for servable/, /at supplied export directory path: (\S+?)\.?(?: |$)/]) {
      const m = re.exec(l);
      if (m && m[1].startsWith('/')) paths.add(m[1]);
    }
  }
  return [...paths];
}
