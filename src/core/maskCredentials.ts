// URLs may carry credentials (`http://KEY:SECRET@host`): every message that can echo a URL passes through here.

/** Replaces the user-info of every URL in `text` (`scheme://user:password@`) with `***@`. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}
