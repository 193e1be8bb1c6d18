// The workflows bench:estimate runs: the shipped examples and test workflows whose fan-out the
// args fix (parallel over files, loops bounded by args, pipelines, nested workflow(), a condition).
// Each runs twice: the first run is projected from the static estimate, the second from the first
// run's history: with other args where the args fix the fan-out (tokens per agent carry over),
// with the same args for the examples (whose fan-outs hang on the agents' findings).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface BenchWorkflow {
  name: string;
  /** File name in the temp repository and its text; `extra` files sit beside it. */
  file: string;
  source: string;
  extra?: Record<string, string>;
  /** Args of the first and the second run. */
  args: [unknown, unknown];
  /** The args fix the fan-out: the projection must be exact. */
  fixed: boolean;
}

const example = (name: string) => fs.readFileSync(path.resolve(__dirname, '../../../examples', name), 'utf8');
const files = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `src/module${from + i}.ts`);

export const WORKFLOWS: BenchWorkflow[] = [
  {
    name: 'fan-out over args.files',
    file: 'fan.js',
    source: `export const meta = { name: 'bench-fan', description: 'one summary per file, then a digest' }
phase('Summarize')
const sums = await parallel(args.files.map((f) => () => agent(\`Summarize \${f} in three sentences for a new contributor.\`, { label: \`sum:\${f}\` })))
phase('Digest')
return await agent(\`Write a digest of these summaries: \${sums.join(' | ').slice(0, 400)}\`, { label: 'digest' })
`,
    args: [{ files: files(10) }, { files: files(40, 10) }],
    fixed: true,
  },
  {
    name: 'loop bounded by args.rounds',
    file: 'rounds.js',
    source: `export const meta = { name: 'bench-rounds', description: 'improve a draft a fixed number of rounds' }
let draft = await agent(\`Draft a README introduction for \${args.project}.\`, { label: 'draft' })
for (let round = 1; round <= args.rounds; round++) {
  draft = await agent(\`Round \${round}: improve this draft, keep it short: \${String(draft).slice(0, 300)}\`, { label: \`round \${round}\` })
}
return draft
`,
    args: [
      { project: 'dwf', rounds: 3 },
      { project: 'dwf', rounds: 8 },
    ],
    fixed: true,
  },
  {
    name: 'pipeline over args.items',
    file: 'pipe.js',
    source: `export const meta = { name: 'bench-pipe', description: 'draft then polish each item' }
const input = typeof args === 'string' ? JSON.parse(args) : args
return await pipeline(input.items,
  (item) => agent(\`Draft release notes for \${item}.\`, { label: \`draft \${item}\`, phase: 'Draft' }),
  (d, item) => agent(\`Polish the release notes for \${item}: \${String(d).slice(0, 200)}\`, { label: \`polish \${item}\`, phase: 'Polish', model: 'haiku' }))
`,
    args: [
      JSON.stringify({ items: ['parser', 'cli', 'ui'] }),
      JSON.stringify({ items: ['parser', 'cli', 'ui', 'docs', 'bench', 'host', 'agent'] }),
    ],
    fixed: true,
  },
  {
    name: 'nested workflow() per batch',
    file: 'batches.js',
    source: `export const meta = { name: 'bench-batches', description: 'a child workflow per batch of files' }
phase('Check')
for (const batch of args.batches) await workflow({ scriptPath: './check-batch.js' }, { files: batch })
return await agent('Report what the checks found.', { label: 'report', phase: 'Report' })
`,
    extra: {
      'check-batch.js': `export const meta = { name: 'check-batch', description: 'check each file of a batch' }
return await parallel(args.files.map((f) => () => agent(\`Check \${f} for missing error handling.\`, { label: \`check \${f}\` })))
`,
    },
    args: [{ batches: [files(2), files(1, 2)] }, { batches: [files(3), files(2, 3), files(4, 5)] }],
    fixed: true,
  },
  {
    name: 'condition on args.verify',
    file: 'cond.js',
    source: `export const meta = { name: 'bench-cond', description: 'review, and verify when asked' }
const reviews = await parallel(args.files.map((f) => () => agent(\`Review \${f} for bugs.\`, { label: \`review \${f}\`, phase: 'Review' })))
if (args.verify) await parallel(args.files.map((f, i) => () => agent(\`Verify the review of \${f}: \${String(reviews[i]).slice(0, 120)}\`, { label: \`verify \${f}\`, phase: 'Verify' })))
return reviews
`,
    args: [
      { files: files(4), verify: false },
      { files: files(6), verify: true },
    ],
    fixed: true,
  },
  {
    name: 'examples/review.js',
    file: 'review.js',
    source: example('review.js'),
    args: [files(3), files(3)],
    fixed: false,
  },
  {
    name: 'examples/migrate.js',
    file: 'migrate.js',
    source: example('migrate.js'),
    args: [
      { find: 'files using var', instruction: 'use const' },
      { find: 'files using var', instruction: 'use const' },
    ],
    fixed: false,
  },
  {
    name: 'examples/audit-todos.js',
    file: 'audit-todos.js',
    source: example('audit-todos.js'),
    args: ['src', 'src'],
    fixed: false,
  },
];
