// Checks on the raw text before any parsing (spec §2.2 and §6.4): size, line endings, and
// characters that would hide or reorder code in an approval dialog.
import { MESSAGES } from '../errors';
import { fail, type ErrorSite } from './codeFrame';

export const MAX_SCRIPT_BYTES = 524288;

/** CRLF → LF, so offsets, lines and the hash do not depend on the author's editor. */
export function normalizeSource(source: string): string {
  return source.replace(/\r\n/g, '\n');
}

/** Throws scriptTooLarge when the UTF-8 encoding is over the limit, pointing at the first byte past it. */
export function checkSize(site: ErrorSite): void {
  if (Buffer.byteLength(site.source, 'utf8') <= MAX_SCRIPT_BYTES) return;
  let bytes = 0;
  let offset = 0;
  for (const ch of site.source) {
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes > MAX_SCRIPT_BYTES) break;
    offset += ch.length;
  }
  fail(site, offset, MESSAGES.scriptTooLarge(MAX_SCRIPT_BYTES));
}

// C0 controls except tab and LF (so ESC and a lone CR are caught), and the bidi embedding,
// override and isolate controls used in "trojan source" attacks.
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]/;

/** Throws controlChars at the first hidden character of an already normalised source. */
export function checkControlChars(site: ErrorSite): void {
  const m = HIDDEN.exec(site.source);
  if (m) fail(site, m.index, MESSAGES.controlChars);
}
