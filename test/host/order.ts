// The order the host suite's files run in; no vscode import, so a unit test can check it.
import * as path from 'node:path';

/**
 * HOST_TEST_ORDER=reverse or shuffle:<seed> runs the files in another order, to show that no test
 * leans on what an earlier file left behind (issue 9: host tests that pass in any order).
 */
export function ordered(files: string[], order: string | undefined): string[] {
  if (!order) return files;
  if (order === 'reverse') return [...files].reverse();
  const seed = /^shuffle:(\d+)$/.exec(order)?.[1];
  if (seed === undefined) throw new Error(`HOST_TEST_ORDER="${order}": use reverse or shuffle:<number>`);
  // A small seeded generator (mulberry32), so a failing order can be run again.
  let a = Number(seed) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...files];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  console.log(`host tests in order ${order}: ${out.map((f) => path.basename(f, '.test.js')).join(', ')}`);
  return out;
}
