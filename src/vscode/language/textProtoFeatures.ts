// Completion and hover for the tfserving-config language, from the core's field tables; and language detection
// for *.config / *.pbtxt files whose name does not say, by their content.
import * as vscode from 'vscode';
import { completeFieldsAt, detectTextProtoMessage } from '../../core/configs/textProtoValidator';
import { describeField, fieldAt, valuesAt } from './textProtoContext';

export const TEXTPROTO_LANGUAGE = 'tfserving-config';

const messageOf = (doc: vscode.TextDocument) => detectTextProtoMessage(doc.fileName, doc.getText());

class TextProtoCompletion implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const message = messageOf(doc);
    if (!message) return [];
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    const values = valuesAt(text, offset, message);
    if (values) {
      return values.values.map((v) => {
        const item = new vscode.CompletionItem(v, values.field.type === 'enum' ? vscode.CompletionItemKind.EnumMember : vscode.CompletionItemKind.Value);
        item.detail = values.field.name;
        return item;
      });
    }
    return completeFieldsAt(text, offset, message).map((f) => {
      const item = new vscode.CompletionItem(f.name, f.kind === 'message' ? vscode.CompletionItemKind.Module : vscode.CompletionItemKind.Field);
      item.detail = f.detail;
      if (f.doc) item.documentation = new vscode.MarkdownString(f.doc);
      item.insertText = new vscode.SnippetString(f.kind === 'message' ? `${f.name} {\n\t$0\n}` : `${f.name}: $0`);
      return item;
    });
  }
}

class TextProtoHover implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const message = messageOf(doc);
    if (!message) return undefined;
    const at = fieldAt(doc.getText(), doc.offsetAt(position), message);
    if (!at) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(describeField(at.field, at.message)), new vscode.Range(doc.positionAt(at.start), doc.positionAt(at.end)));
  }
}

/** A top-level field of a TF Serving config, or the explicit header, at the start of the content. */
export function looksLikeTfServingConfig(doc: vscode.TextDocument): boolean {
  if (!/\.(config|pbtxt|textproto|txtpb)$/i.test(doc.fileName) || doc.languageId === TEXTPROTO_LANGUAGE) return false;
  const text = doc.getText(new vscode.Range(0, 0, 200, 0));
  if (/^#\s*proto-message:\s*(tensorflow\.serving\.)?(ModelServerConfig|MonitoringConfig|BatchingParameters)\b/m.test(text)) return true;
  // The first field name must be a top-level field of one of the messages; the file name is not enough here.
  const first = /^(?:\s*#[^\n]*\n|\s+)*([A-Za-z_]\w*)\s*[:{<]/.exec(text)?.[1];
  return !!first && detectTextProtoMessage('', `${first} {}`) !== undefined;
}

export function registerTextProtoFeatures(): vscode.Disposable[] {
  const selector: vscode.DocumentSelector = { language: TEXTPROTO_LANGUAGE };
  const detect = (doc: vscode.TextDocument) => {
    if (looksLikeTfServingConfig(doc)) void vscode.languages.setTextDocumentLanguage(doc, TEXTPROTO_LANGUAGE);
  };
  vscode.workspace.textDocuments.forEach(detect);
  return [
    vscode.languages.registerCompletionItemProvider(selector, new TextProtoCompletion(), ' ', ':', '{', '\n'),
    vscode.languages.registerHoverProvider(selector, new TextProtoHover()),
    vscode.workspace.onDidOpenTextDocument(detect),
  ];
}
