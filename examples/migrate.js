export const meta = {
  name: 'migrate',
  description: 'Apply one code migration file by file, then verify each edited file',
  whenToUse: 'args: { "find": "what files to migrate (description or glob)", "instruction": "the change to make in each file" }',
  phases: [{ title: 'Plan' }, { title: 'Migrate' }, { title: 'Verify' }],
}

const input = typeof args === 'string' ? JSON.parse(args) : args
if (!input || !input.find || !input.instruction) throw new Error('migrate needs args { find, instruction }')

const FILES = { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } }, required: ['files'] }
const RESULT = { type: 'object', properties: { changed: { type: 'boolean' }, summary: { type: 'string' } }, required: ['changed', 'summary'] }
const CHECK = { type: 'object', properties: { ok: { type: 'boolean' }, problems: { type: 'array', items: { type: 'string' } } }, required: ['ok', 'problems'] }

phase('Plan')
const plan = await agent(`List the files that need this migration: ${input.find}. Use Glob and Grep; return workspace-relative paths.`, { label: 'plan', schema: FILES, effort: 'low' })
const files = plan ? plan.files : []
log(`${files.length} file(s) to migrate`)

const results = await pipeline(
  files,
  (file) => agent(`In ${file}, make this change: ${input.instruction}\nEdit the file with the Edit tool. Change nothing else. If the file needs no change, leave it.`,
    { label: `migrate:${file}`, phase: 'Migrate', schema: RESULT }),
  (r, file) => r && r.changed
    ? agent(`Check ${file} after this migration: ${input.instruction}\nIs the change complete and correct, with nothing else altered? List any problems.`,
        { label: `verify:${file}`, phase: 'Verify', schema: CHECK, effort: 'low' }).then((c) => ({ file, ...r, check: c }))
    : { file, ...r, check: null },
)

const done = results.filter(Boolean)
return {
  changed: done.filter((d) => d.changed).map((d) => d.file),
  problems: done.filter((d) => d.check && !d.check.ok).map((d) => ({ file: d.file, problems: d.check.problems })),
}
