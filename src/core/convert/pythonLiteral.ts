// Values that enter generated Python (paths, signature keys, labels, numbers) go through these encoders and
// nothing else: a folder name may hold a newline, quotes, backslashes or any Unicode, and must stay data.
// The literal is pure printable ASCII: every other character is escaped (\n, \xNN, \uNNNN, \UNNNNNNNN), so no
// line break (not even U+2028 or a form feed) and no byte the tokenizer could read as code reaches the source.

/** A double-quoted Python str literal for any JavaScript string (lone surrogates included, as \udXXX). */
export function pythonString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** A Python int literal; refuses anything that is not a safe integer (NaN, 1e400, 1.5, "3; import os"). */
export function pythonInt(value: number, what: string): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`${what} must be a whole number, not ${String(value)}`);
  return String(value);
}

/** One of a fixed set of Python names (enum members); anything else is refused. */
export function pythonName<T extends string>(value: T, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value)) throw new Error(`${what} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  return value;
}

/** Text for a `#` comment: the value's literal, so a newline in it cannot end the comment. */
export function pythonCommentText(value: string): string {
  return pythonString(value);
}
