// Output read as lines, whatever the chunks: a line split across two chunks arrives once, whole; "\r\n" ends a
// line like "\n". Used for child processes and Docker streams alike.

/** Splits a byte stream into lines; call flush() at the end for a last line without newline. */
export function lineSplitter(onLine: (text: string) => void): { push(chunk: Buffer | string): void; flush(): void } {
  let rest = '';
  return {
    push(chunk) {
      rest += chunk.toString();
      const parts = rest.split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p.replace(/\r$/, ''));
    },
    flush() {
      if (rest) onLine(rest.replace(/\r$/, ''));
      rest = '';
    },
  };
}
