// The fake model's answers for bench:estimate: structured output for the examples' schema
// agents (so their data-dependent fan-outs actually fan out), echo for everything else.
import { byPrompt, echo, firstUserText, type Responder } from '../../test/fakes/fakeAnthropic';

const structured = (input: unknown) => () => ({ toolUses: [{ name: 'StructuredOutput', input }] });
const listed = (n: number) => Array.from({ length: n }, (_, i) => `src/listed${i}.ts`);

export const benchModel: Responder = byPrompt(
  [
    // review.js
    ['List the source files changed', structured({ files: listed(3) })],
    [
      /^Review \S+ for real bugs/,
      structured({
        findings: [
          { title: 'unchecked null', line: 4, why: 'x may be null', severity: 'important' },
          { title: 'naming', why: 'nit', severity: 'minor' },
        ],
      }),
    ],
    ['A reviewer claims this bug', structured({ refuted: false, reason: 'confirmed by reading the caller' })],
    // migrate.js
    ['List the files that need this migration', structured({ files: listed(4) })],
    [
      /^In \S+, make this change/,
      (req) => structured({ changed: !firstUserText(req.body).includes('listed3'), summary: 'done' })(),
    ],
    [/^Check \S+ after this migration/, structured({ ok: true, problems: [] })],
    // audit-todos.js
    [
      'Use Grep to find comments',
      structured({ items: listed(5).map((file, i) => ({ file, line: i + 1, text: `TODO item ${i}` })) }),
    ],
    ['This comment is at', structured({ relevant: true, effort: 'small', nextStep: 'do it' })],
  ],
  echo,
);
