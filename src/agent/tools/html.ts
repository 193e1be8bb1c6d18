// HTML to Markdown for WebFetch, as Claude Code does: a real HTML parser (domino, through
// turndown) and a maintained converter, so pages keep their structure — headings, lists, links,
// tables as rows, code blocks. A hostile page can still make the parser slow (deep nesting,
// thousands of unclosed tags), so WebFetch runs this in a worker with a deadline (pageText.ts).
import { Parser } from 'htmlparser2';
import TurndownService from 'turndown';

/** Elements that carry no reading text, or only code and chrome. */
const DROPPED = [
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'head',
  'iframe',
  'canvas',
  'object',
  'embed',
  'form',
  'button',
  'select',
] as const;

/** What the rules read of a DOM node (the project builds without the DOM typings). */
interface Element {
  nodeName: string;
  getAttribute(name: string): string | null;
  parentNode: { nodeName: string; getAttribute(name: string): string | null } | null;
}
const el = (node: unknown) => node as Element;

/** Larger pages are cut before parsing: the tool's output cap keeps far less than this anyway. */
export const MAX_HTML_CHARS = 5_000_000;

function converter(baseUrl: string | undefined): TurndownService {
  const td = new TurndownService({
    headingStyle: 'atx',
    bulletListMarker: '-',
    codeBlockStyle: 'fenced',
    hr: '---',
    emDelimiter: '*',
  });
  td.remove([...DROPPED]);
  // Links become absolute so the model can fetch them; fragment and javascript: links keep only their text.
  td.addRule('absoluteLinks', {
    filter: (node) => el(node).nodeName === 'A' && !!el(node).getAttribute('href'),
    replacement: (content, node) => {
      const text = content.trim();
      const raw = (el(node).getAttribute('href') ?? '').trim();
      if (!raw || raw.startsWith('#') || /^(javascript|data|vbscript):/i.test(raw)) return text;
      return text ? `[${text}](${absolute(raw, baseUrl)})` : '';
    },
  });
  // Images: their alt text, not a URL the model might be tempted to fetch.
  td.addRule('imageAlt', { filter: 'img', replacement: (_c, node) => (el(node).getAttribute('alt') ?? '').trim() });
  // `- item` / `1. item` with one space, nested items indented by two.
  td.addRule('listItems', {
    filter: 'li',
    replacement: (content, node) => {
      const parent = el(node).parentNode;
      const marker = parent?.nodeName === 'OL' ? '1. ' : '- ';
      const body = content
        .replace(/^\n+/, '')
        .replace(/\n+$/, '\n')
        .replace(/\n(?=.)/g, '\n  ');
      return `${marker}${body}${body.endsWith('\n') ? '' : '\n'}`;
    },
  });
  // Table cells as `a | b` rows: readable without a GFM table plugin.
  td.addRule('cells', { filter: ['td', 'th'], replacement: (content) => `${content.trim()} | ` });
  td.addRule('rows', { filter: 'tr', replacement: (content) => `\n${content.replace(/ \| $/, '')}\n` });
  return td;
}

/** The page as Markdown, its `<title>` first when the body does not start with it. */
export function htmlToMarkdown(html: string, baseUrl?: string): string {
  const source = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  const title = titleOf(source);
  let markdown: string;
  try {
    markdown = converter(baseUrl).turndown(source);
  } catch (e) {
    // A page nested deeper than the parser's recursion can take (a hostile page can be): its text
    // without tags, which a linear scan gives, and a note saying so.
    markdown = `[The page could not be converted to Markdown (${(e as Error).message}); its text follows without structure.]\n\n${stripTags(source)}`;
  }
  const body = tidy(markdown);
  return title && !body.startsWith(title) && !body.startsWith(`# ${title}`) ? `${title}\n\n${body}` : body;
}

/** Trailing blanks off every line, at most one empty line in a row; linear (no regex backtracks over long runs of blanks). */
function tidy(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Elements whose end starts a new line of text; cells are spaced apart; any other tag joins its text to the next. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);
const CELLS = new Set(['td', 'th']);
/** Raw-text elements whose content is code, not reading text (the tokenizer always closes them). */
const CODE = new Set(['script', 'style']);

/**
 * The text of a page without its tags: the fallback for pages the converter cannot take, so it
 * must be linear on any input. htmlparser2's tokenizer is a state machine that reads each
 * character once, knows comments, attributes and raw-text elements, and decodes every entity.
 */
export function stripTags(html: string): string {
  const parts: string[] = [];
  let inCode = 0;
  const separate = (name: string) => {
    if (BLOCKS.has(name)) parts.push('\n');
    else if (CELLS.has(name)) parts.push(' ');
  };
  const parser = new Parser({
    onopentagname: (name) => {
      if (CODE.has(name)) inCode++;
      separate(name);
    },
    onclosetag: (name) => {
      if (CODE.has(name)) inCode = Math.max(0, inCode - 1);
      separate(name);
    },
    ontext: (text) => {
      if (inCode === 0) parts.push(text);
    },
  });
  parser.end(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  const text = parts.join('').replace(/[ \t\u00a0]+/g, ' ');
  return tidy(
    text
      .split('\n')
      .map((line) => line.trimStart())
      .join('\n'),
  );
}

function titleOf(html: string): string {
  // `[^<>]*`, not `[^>]*`: a failed match stops at the next tag, so thousands of `<title` stay linear.
  const m = /<title\b[^<>]*>([^<]*)<\/title>/i.exec(html.slice(0, 100_000));
  if (!m) return '';
  // The title through the same parser, so entities decode as the browser would.
  return new TurndownService().turndown(`<p>${m[1]}</p>`).replace(/\\(.)/g, '$1').replace(/\s+/g, ' ').trim();
}

function absolute(href: string, base?: string): string {
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}
