// Where the cursor is in a TF Serving text-format config: the message open there, the field under the cursor,
// the field whose value is being typed. Feeds hover and value completion; field-name completion is the core's
// completeFieldsAt. No vscode import: unit-tested.
import { enums, messages, type FieldSpec, type MessageSpec, type TopLevelMessage } from '../../core/configs/textProtoSchema';
import { tokenize, type Token } from '../../core/configs/textProtoTokenizer';

const isPunct = (t: Token | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;

/** The message open at `offset` (undefined inside an unknown field's braces). */
export function messageAt(text: string, offset: number, top: TopLevelMessage): MessageSpec | undefined {
  const tokens = tokenize(text.slice(0, offset));
  const stack: (MessageSpec | undefined)[] = [messages[top]];
  let last: FieldSpec | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const spec = stack[stack.length - 1];
    if (t.kind === 'ident' && !isPunct(tokens[i - 1], ':') && !isPunct(tokens[i - 1], '-')) last = spec?.fields.find((f) => f.name === t.text);
    else if (isPunct(t, '{') || isPunct(t, '<')) stack.push(last?.type === 'message' ? messages[last.ref as string] : undefined);
    else if ((isPunct(t, '}') || isPunct(t, '>')) && stack.length > 1) stack.pop();
  }
  return stack[stack.length - 1];
}

export interface FieldAtCursor {
  field: FieldSpec;
  message: MessageSpec;
  start: number;
  end: number;
}

/** The field whose name is under `offset`. */
export function fieldAt(text: string, offset: number, top: TopLevelMessage): FieldAtCursor | undefined {
  const tokens = tokenize(text);
  const i = tokens.findIndex((t) => t.start <= offset && offset <= t.end && t.kind === 'ident');
  if (i < 0) return undefined;
  const t = tokens[i];
  if (isPunct(tokens[i - 1], ':')) return undefined; // a value, not a field name
  const message = messageAt(text, t.start, top);
  const field = message?.fields.find((f) => f.name === t.text);
  return field && message ? { field, message, start: t.start, end: t.end } : undefined;
}

/** Values to offer after `name:` — enum names, or true/false — or undefined when no value is being typed. */
export function valuesAt(text: string, offset: number, top: TopLevelMessage): { field: FieldSpec; values: string[] } | undefined {
  const before = tokenize(text.slice(0, offset));
  let i = before.length - 1;
  if (i >= 0 && before[i].kind === 'ident' && before[i].end === offset) i--; // the word being typed
  if (!isPunct(before[i], ':') || before[i - 1]?.kind !== 'ident') return undefined;
  const nameTok = before[i - 1];
  const field = messageAt(text, nameTok.start, top)?.fields.find((f) => f.name === nameTok.text);
  if (!field) return undefined;
  if (field.type === 'enum') return { field, values: enums[field.ref as string] ?? [] };
  if (field.type === 'bool') return { field, values: ['true', 'false'] };
  return undefined;
}

/** Markdown for a field: its type, number and description. */
export function describeField(field: FieldSpec, message: MessageSpec): string {
  const type = field.type === 'message' || field.type === 'enum' ? (field.ref as string).split('.').pop() : field.type;
  const lines = [`**${field.name}** — ${field.repeated ? 'repeated ' : ''}\`${type}\` = ${field.number} (in \`${message.name.split('.').pop()}\`)`];
  if (field.oneof) lines.push(`One of \`${field.oneof}\`: set only one of its fields.`);
  if (field.doc) lines.push(field.doc);
  if (field.type === 'enum') lines.push(`Values: ${(enums[field.ref as string] ?? []).map((v) => `\`${v}\``).join(', ')}`);
  return lines.join('\n\n');
}
