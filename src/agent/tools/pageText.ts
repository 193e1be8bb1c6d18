// A fetched page as Markdown, converted off the main thread with a deadline. Past it (or if the
// worker fails) a second worker extracts the page's text without structure, in one linear pass,
// and a note says why; if even that fails, the note alone comes back. The host's main thread
// never parses the page: WebFetch always answers, and the host never waits on a hostile page.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

export const HTML_CONVERSION_DEADLINE_MS = 5_000;
/** The linear text extraction's own deadline: generous, since it only ends a page bigger than any WebFetch reads. */
export const HTML_TEXT_DEADLINE_MS = 10_000;

/** What the worker makes of the page: Markdown through turndown, or the plain text (the fallback). */
export type PageConversion = 'markdown' | 'text';

/** Next to the bundle (dist/htmlWorker.js) or, transpiled for tests, next to this file. */
export function htmlWorkerPath(): string {
  return path.join(__dirname, 'htmlWorker.js');
}

type Converted = { ok: true; text: string } | { ok: false; why: string };

function convertInWorker(
  conversion: PageConversion,
  html: string,
  baseUrl: string | undefined,
  deadlineMs: number,
): Promise<Converted> {
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(htmlWorkerPath(), {
      workerData: { html, baseUrl, conversion },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    const settle = (outcome: Converted) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => settle({ ok: false, why: `took longer than ${deadlineMs / 1000} s and was stopped` }),
      deadlineMs,
    );
    worker.once('message', (text: string) => settle({ ok: true, text }));
    worker.once('error', (e) => settle({ ok: false, why: `failed (${e.message})` }));
    worker.once('exit', (code) => settle({ ok: false, why: `stopped unexpectedly (exit ${code})` }));
  });
}

export async function pageToMarkdown(
  html: string,
  baseUrl: string | undefined,
  deadlineMs = HTML_CONVERSION_DEADLINE_MS,
  textDeadlineMs = HTML_TEXT_DEADLINE_MS,
): Promise<string> {
  const markdown = await convertInWorker('markdown', html, baseUrl, deadlineMs);
  if (markdown.ok) return markdown.text;
  const text = await convertInWorker('text', html, baseUrl, textDeadlineMs);
  if (text.ok)
    return `[Converting the page to Markdown ${markdown.why}; the page's text follows without structure.]\n\n${text.text}`;
  return `[Converting the page to Markdown ${markdown.why}, and extracting its text ${text.why}: the page is left out.]`;
}
