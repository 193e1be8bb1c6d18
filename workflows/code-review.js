export const meta = {
  name: 'code-review',
  description:
    'Review changed files for real defects, one reviewer per file, then a skeptic tries to refute each finding; a report of what survived',
  whenToUse:
    'args: a git ref to diff against ("main"; default HEAD, the uncommitted changes), a list of files (["src/a.ts"]), or {"base": "main", "files": [...], "maxFiles": 15, "maxFindingsPerFile": 5}. The agents run git diff: for a headless run allow Bash(git diff:*) and Bash(git ls-files:*).',
  phases: [
    { title: 'Scope', detail: 'the changed files' },
    { title: 'Review', detail: 'one reviewer per file' },
    { title: 'Verify', detail: 'a skeptic per finding' },
  ],
}

const READ_ONLY = ['Write', 'Edit']
const SEVERITIES = ['critical', 'important', 'minor']

const FILES = {
  type: 'object',
  properties: { files: { type: 'array', items: { type: 'string' } } },
  required: ['files'],
}
const FINDINGS = {
  type: 'object',
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: { type: 'string' },
          line: { type: 'integer' },
          severity: { enum: SEVERITIES },
          why: { type: 'string' },
          fix: { type: 'string' },
        },
        required: ['title', 'severity', 'why'],
      },
    },
  },
  required: ['findings'],
}
const VERDICT = {
  type: 'object',
  properties: { verdict: { enum: ['confirmed', 'refuted'] }, reason: { type: 'string' } },
  required: ['verdict', 'reason'],
}

function bounded(value, fallback, max) {
  return Math.min(max, Math.max(1, Math.round(Number(value) || fallback)))
}

function readInput(raw) {
  let input = raw
  if (typeof input === 'string' && /^\s*[[{]/.test(input)) {
    try {
      input = JSON.parse(input)
    } catch {
      // Not JSON after all: a ref or a path list.
    }
  }
  const fields = Array.isArray(input)
    ? { files: input }
    : typeof input === 'string'
      ? { base: input }
      : input && typeof input === 'object'
        ? input
        : {}
  const base = typeof fields.base === 'string' && fields.base.trim() ? fields.base.trim() : 'HEAD'
  // The ref goes into a git command line an agent runs: a ref, never options or shell syntax.
  if (!/^[A-Za-z0-9._/~^@{}][A-Za-z0-9._/~^@{}-]*$/.test(base))
    throw new Error(`code-review: args base "${base}" is not a git ref (e.g. "main", "origin/main", "HEAD~3")`)
  const files = Array.isArray(fields.files) ? fields.files.map((f) => String(f).trim()).filter(Boolean) : []
  return {
    base,
    files,
    maxFiles: bounded(fields.maxFiles, 15, 50),
    maxFindings: bounded(fields.maxFindingsPerFile, 5, 10),
  }
}

const input = readInput(args)
const { base } = input

phase('Scope')
let files = input.files
if (files.length === 0) {
  const scope = await agent(
    `List the files changed compared to ${base}: run \`git diff --name-only ${base}\`` +
      (base === 'HEAD' ? ' and `git ls-files --others --exclude-standard` (new files not yet added)' : '') +
      '. Keep the source, test and configuration files a reviewer should read; drop deleted files, lock files, generated and binary files. Paths relative to the repository root.',
    { label: 'scope', schema: FILES, effort: 'low', disallowedTools: READ_ONLY },
  )
  files = scope ? scope.files : []
}
files = [...new Set(files)].sort()
if (files.length > input.maxFiles) {
  log(`${files.length} changed files; reviewing the first ${input.maxFiles} (raise maxFiles to review more)`)
  files = files.slice(0, input.maxFiles)
}
log(`reviewing ${files.length} file(s) against ${base}`)

const reviewed = await pipeline(
  files,
  (file) =>
    agent(
      `Review the changes to ${file} for real defects. See the change with \`git diff ${base} -- ${file}\`, and read the surrounding code and what it calls.\n` +
        'Report only problems you can point at: wrong logic, unhandled errors, races, security holes, broken contracts, edge cases the change gets wrong. Not style, naming or taste.\n' +
        'For each: a short title, the line in the current file, why it is wrong (the input or sequence that breaks it) and a concrete fix. ' +
        'Severity: "critical" (data loss, security, a crash on a common path), "important" (a wrong result in a realistic case), "minor" (a rare edge case). ' +
        `At most ${input.maxFindings} findings; an empty list is a fine answer.`,
      { label: `review:${file}`, phase: 'Review', schema: FINDINGS, disallowedTools: READ_ONLY },
    ),
  (review, file) =>
    parallel(
      review.findings.slice(0, input.maxFindings).map((f, j) => async () => {
        const at = f.line ? `${file}:${f.line}` : file
        const verdict = await agent(
          `A reviewer claims a ${f.severity} defect at ${at}: "${f.title}"\nWhy: ${f.why}\n\n` +
            `Be skeptical. Read the code (and \`git diff ${base} -- ${file}\`) and try to refute the claim: find the guard, the caller contract or the test that makes it impossible, or show the reasoning is wrong. ` +
            'Answer "confirmed" only if you can name the concrete input or sequence that triggers it.',
          { label: `verify:${at}#${j + 1}`, phase: 'Verify', schema: VERDICT, effort: 'low', disallowedTools: READ_ONLY },
        )
        // A skeptic that failed neither confirms nor refutes: the finding is kept, marked unverified.
        const status = !verdict ? 'unverified' : verdict.verdict === 'confirmed' ? 'confirmed' : 'refuted'
        return { file, ...f, status, ...(verdict ? { reason: verdict.reason } : {}) }
      }),
    ),
)

const failedFiles = files.filter((_, i) => reviewed[i] === null)
const findings = reviewed.filter(Boolean).flat().filter(Boolean)
const bySeverity = (a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
const confirmed = findings.filter((f) => f.status === 'confirmed').sort(bySeverity)
const unverified = findings.filter((f) => f.status === 'unverified').sort(bySeverity)
const refuted = findings.filter((f) => f.status === 'refuted')
log(`${confirmed.length} confirmed, ${unverified.length} unverified, ${refuted.length} refuted`)

const where = (f) => `\`${f.file}${f.line ? `:${f.line}` : ''}\``
const item = (f) =>
  `- **${f.title}** — ${where(f)}\n  ${f.why}${f.fix ? `\n  Fix: ${f.fix}` : ''}${f.reason ? `\n  Skeptic: ${f.reason}` : ''}`
const lines = [
  `# Code review against ${base}`,
  '',
  `${files.length} file(s) reviewed: ${confirmed.length} confirmed finding(s), ${unverified.length} unverified, ${refuted.length} refuted by a skeptic.`,
  '',
]
for (const s of SEVERITIES) {
  const group = confirmed.filter((f) => f.severity === s)
  if (group.length) lines.push(`## ${s[0].toUpperCase()}${s.slice(1)}`, '', ...group.map(item), '')
}
if (unverified.length) lines.push('## Unverified (the skeptic did not finish)', '', ...unverified.map(item), '')
if (failedFiles.length) lines.push('## Not reviewed (the reviewer failed)', '', ...failedFiles.map((f) => `- \`${f}\``), '')
if (!confirmed.length && !unverified.length) lines.push('No defect survived verification.', '')

return { base, files, confirmed, unverified, refuted: refuted.length, failedFiles, report: lines.join('\n') }
