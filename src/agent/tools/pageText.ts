// A fetched page as Markdown, converted off the main thread with a deadline. Past it (or if the
// worker fails) the page's text comes back without structure, from a linear tag strip, and a
// note says why: WebFetch always answers, and the host never waits on a hostile page.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { stripTags } from './html';

export const HTML_CONVERSION_DEADLINE_MS = 5_000;

/** Next to the bundle (dist/htmlWorker.js) or, transpiled for tests, next to this file. */
export function htmlWorkerPath(): string {
  return path.join(__dirname, 'htmlWorker.js');
}

export function pageToMarkdown(html: string, baseUrl: string | undefined, deadlineMs = HTML_CONVERSION_DEADLINE_MS): Promise<string> {
  return new Promise((resolve) => {
    let settled = false;
    const worker = new Worker(htmlWorkerPath(), { workerData: { html, baseUrl }, resourceLimits: { maxOldGenerationSizeMb: 512 } });
    const fallback = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(`[${why}; the page's text follows without structure.]\n\n${stripTags(html)}`);
    };
    const timer = setTimeout(() => fallback(`Converting the page to Markdown took longer than ${deadlineMs / 1000} s and was stopped`), deadlineMs);
    worker.once('message', (markdown: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(markdown);
    });
    worker.once('error', (e) => fallback(`The page could not be converted to Markdown (${e.message})`));
    worker.once('exit', (code) => fallback(`The page converter stopped unexpectedly (exit ${code})`));
  });
}
