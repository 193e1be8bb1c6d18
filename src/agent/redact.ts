// Backstop for the key: whatever a tool returns, a transcript line, a log line or an agent's
// result is scrubbed of the secret values before it is kept or sent. Besides the plain value,
// its base64 (at each of the three alignments it can have inside a longer base64 text), hex and
// URL-encoded forms. Values shorter than 8 characters are not secrets worth matching (they would
// mangle ordinary text).
export const REDACTED = '[REDACTED]';
const MIN_SECRET = 8;

export class Redactor {
  private readonly patterns: string[];
  /** Longest pattern: how much a stream must hold back so a value split across chunks is caught. */
  readonly longest: number;

  constructor(secrets: readonly (string | undefined)[]) {
    const forms = new Set<string>();
    for (const s of secrets) {
      if (!s || s.length < MIN_SECRET) continue;
      for (const f of encodedForms(s)) if (f.length >= MIN_SECRET) forms.add(f);
    }
    // Longest first, so a form that contains another is replaced whole.
    this.patterns = [...forms].sort((a, b) => b.length - a.length);
    this.longest = this.patterns[0]?.length ?? 0;
  }

  get empty(): boolean {
    return this.patterns.length === 0;
  }

  redact(text: string): string {
    let out = text;
    for (const p of this.patterns) if (out.includes(p)) out = out.split(p).join(REDACTED);
    return out;
  }

  /** Every string inside a JSON-like value (results, errors); other values as they are. */
  redactDeep<T>(value: T): T {
    if (this.empty) return value;
    return walk(value, (s) => this.redact(s)) as T;
  }

  /** A redacting filter for streamed text: push() returns what is safe to pass on, end() the rest. */
  stream(): { push(chunk: string): string; end(): string } {
    let held = '';
    const keep = Math.max(0, this.longest - 1);
    return {
      push: (chunk) => {
        if (this.empty) return chunk;
        const text = this.redact(held + chunk);
        // Hold back a tail that could be the start of a value completed by the next chunk.
        const cut = Math.max(0, text.length - keep);
        held = text.slice(cut);
        return text.slice(0, cut);
      },
      end: () => {
        const rest = this.redact(held);
        held = '';
        return rest;
      },
    };
  }
}

function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, encodeURIComponent(secret), bytes.toString('hex'), bytes.toString('hex').toUpperCase()];
  // base64 of the value preceded by 0, 1 or 2 other bytes: keep only the characters that depend
  // on the value's bytes alone, so the value is found anywhere inside a longer base64 text.
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const first = shift === 0 ? 0 : shift === 1 ? 2 : 3; // chars mixing the padding bytes
    const whole = Math.floor((shift + bytes.length) / 3) * 4; // chars of complete groups
    forms.push(b64.slice(first, whole));
    forms.push(b64.slice(first, whole).replace(/\+/g, '-').replace(/\//g, '_')); // base64url
  }
  forms.push(bytes.toString('base64')); // standalone, with its padding
  return forms;
}

function walk(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, f));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[f(k)] = walk(x, f);
    return out;
  }
  return v;
}
