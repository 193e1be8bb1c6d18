export const meta = {
  name: 'review',
  description: 'Review changed files for bugs, then let skeptics try to refute each finding',
  whenToUse: 'args: a list of files, a string "src/a.ts src/b.ts", or nothing (then the changed files of the git working tree)',
  phases: [{ title: 'Scope' }, { title: 'Review' }, { title: 'Verify' }],
}

const FILES = { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } }, required: ['files'] }
const FINDINGS = {
  type: 'object',
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: { title: { type: 'string' }, line: { type: 'integer' }, why: { type: 'string' }, severity: { enum: ['critical', 'important', 'minor'] } },
        required: ['title', 'why', 'severity'],
      },
    },
  },
  required: ['findings'],
}
const VERDICT = { type: 'object', properties: { refuted: { type: 'boolean' }, reason: { type: 'string' } }, required: ['refuted', 'reason'] }

let files = typeof args === 'string' ? args.split(/\s+/).filter(Boolean) : args
phase('Scope')
if (!Array.isArray(files) || files.length === 0) {
  const scope = await agent(
    'List the source files changed in the git working tree compared to HEAD (run `git diff --name-only HEAD` and `git ls-files --others --exclude-standard`). Only text source files, no lock files or generated files.',
    { label: 'scope', schema: FILES, effort: 'low' },
  )
  files = scope ? scope.files : []
}
log(`reviewing ${files.length} file(s)`)

const reviewed = await pipeline(
  files,
  (file) => agent(`Review ${file} for real bugs: wrong logic, unhandled errors, races, security problems. Read the file and what it calls. Report only defects you can point at, with the line.`,
    { label: `review:${file}`, phase: 'Review', schema: FINDINGS }),
  (r, file) => r && parallel(r.findings.filter((f) => f.severity !== 'minor').map((f) => () =>
    agent(`A reviewer claims this bug in ${file}${f.line ? ` at line ${f.line}` : ''}: "${f.title}" — ${f.why}\nTry hard to refute it by reading the code. Refuted means the claim is wrong or cannot happen.`,
      { label: `verify:${file}:${f.title.slice(0, 30)}`, phase: 'Verify', schema: VERDICT, effort: 'low' })
      .then((v) => ({ file, ...f, verdict: v })))),
)

const confirmed = reviewed.filter(Boolean).flat().filter((f) => f && f.verdict && !f.verdict.refuted)
log(`${confirmed.length} finding(s) survived verification`)
return confirmed
