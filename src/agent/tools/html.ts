// HTML to readable text for WebFetch: no parser dependency, just enough structure (headings, list
// items, links, line breaks) for a model to read a page and follow its links.

const DROP = ['script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'canvas'];
const BLOCK = /<\/?(p|div|section|article|header|footer|nav|main|aside|table|tr|ul|ol|dl|dt|dd|blockquote|pre|form|figure|figcaption|hr|h[1-6])\b[^>]*>/gi;

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', copy: '©', reg: '®', trade: '™', middot: '·', bull: '•',
  laquo: '«', raquo: '»', times: '×', deg: '°', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶',
};

export function htmlToText(html: string, baseUrl?: string): string {
  const title = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  let s = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of DROP) s = s.replace(new RegExp(`<${tag}\\b[\\s\\S]*?<\\/${tag}\\s*>`, 'gi'), '');
  s = s.replace(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>([\s\S]*?)<\/a\s*>/gi,
    (_m, d: string | undefined, q: string | undefined, u: string | undefined, inner: string) => {
      const text = inner.replace(/<[^>]*>/g, '').trim();
      const href = absolute(decodeEntities(d ?? q ?? u ?? ''), baseUrl);
      if (!href || href.startsWith('javascript:') || href.startsWith('#')) return text;
      return text ? `[${text}](${href})` : '';
    });
  s = s.replace(/<h([1-6])\b[^>]*>/gi, (_m, n: string) => `\n\n${'#'.repeat(Number(n))} `);
  s = s.replace(/<li\b[^>]*>/gi, '\n- ');
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/t[dh]\s*>/gi, ' | ');
  s = s.replace(BLOCK, '\n\n');
  s = s.replace(/<[^>]*>/g, '');
  s = decodeEntities(s);
  const lines = s.split('\n').map((l) => l.replace(/[ \t\f\v\u00a0]+/g, ' ').trim());
  const body = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  const heading = title ? decodeEntities(title).replace(/\s+/g, ' ').trim() : '';
  return heading && !body.startsWith(heading) ? `${heading}\n\n${body}` : body;
}

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

function absolute(href: string, base?: string): string {
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}
