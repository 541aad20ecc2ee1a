// Loads dist/languageServices.js on first use. The path is computed, so the extension's bundler leaves this
// require alone and the module stays a separate file.
import * as path from 'path';

export type LanguageServices = typeof import('./languageServices');
let loaded: LanguageServices | undefined;

export function loadLanguageServices(): LanguageServices {
  loaded ??= require(path.join(__dirname, 'languageServices.js')) as LanguageServices;
  return loaded;
}
