export const meta = {
  name: 'bug-hunt',
  description:
    'Hunt for bugs: hypotheses per area of the code, each one reproduced or ruled out by its own agent; a report of the confirmed bugs with their evidence',
  whenToUse:
    'args: what to focus on as a string ("src/parser", "the retry logic"), or {"areas": ["src/a", "src/b"], "focus": "…", "maxAreas": 4, "hypothesesPerArea": 3}. Reproducing runs the project\'s tests and small scripts: for a headless run allow those commands (e.g. Bash(npm test:*), Bash(node:*)).',
  phases: [
    { title: 'Map', detail: 'areas worth hunting in' },
    { title: 'Hypothesize', detail: 'suspected bugs per area' },
    { title: 'Reproduce', detail: 'one agent per suspected bug' },
  ],
}

const READ_ONLY = ['Write', 'Edit']
const SCRATCH = '.bug-hunt'

const AREAS = {
  type: 'object',
  properties: {
    areas: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, paths: { type: 'array', items: { type: 'string' } }, why: { type: 'string' } },
        required: ['name', 'paths'],
      },
    },
  },
  required: ['areas'],
}
const HYPOTHESES = {
  type: 'object',
  properties: {
    hypotheses: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          title: { type: 'string' },
          location: { type: 'string' },
          trigger: { type: 'string' },
          expected: { type: 'string' },
          actual: { type: 'string' },
        },
        required: ['title', 'location', 'trigger'],
      },
    },
  },
  required: ['hypotheses'],
}
const REPRODUCTION = {
  type: 'object',
  properties: {
    status: { enum: ['reproduced', 'not-reproduced', 'inconclusive'] },
    evidence: { type: 'string' },
    reproduction: { type: 'string' },
  },
  required: ['status', 'evidence'],
}

function bounded(value, fallback, max) {
  return Math.min(max, Math.max(1, Math.round(Number(value) || fallback)))
}

function readInput(raw) {
  let input = raw
  if (typeof input === 'string' && /^\s*\{/.test(input)) {
    try {
      input = JSON.parse(input)
    } catch {
      // A focus text that starts with a brace.
    }
  }
  const fields = input && typeof input === 'object' && !Array.isArray(input) ? input : { focus: input }
  const list = Array.isArray(input) ? input : Array.isArray(fields.areas) ? fields.areas : []
  return {
    focus: typeof fields.focus === 'string' ? fields.focus.trim() : '',
    areas: list.map((a) => String(a).trim()).filter(Boolean).map((p) => ({ name: p, paths: [p] })),
    maxAreas: bounded(fields.maxAreas, 4, 10),
    perArea: bounded(fields.hypothesesPerArea, 3, 8),
  }
}

const input = readInput(args)
const focus = input.focus ? `\nFocus on: ${input.focus}` : ''

phase('Map')
let areas = input.areas
if (areas.length === 0) {
  const map = await agent(
    `Map this codebase into at most ${input.maxAreas} areas worth hunting bugs in: parsing and validation, state and concurrency, error handling, I/O boundaries, arithmetic and limits.${focus}\n` +
      'For each: a short name, the files or folders it covers, and why bugs are likely there. Skip generated code, vendored code and tests.',
    { label: 'map', schema: AREAS, effort: 'low', disallowedTools: READ_ONLY },
  )
  areas = map ? map.areas : []
}
areas = areas.slice(0, input.maxAreas)
log(`hunting in ${areas.length} area(s): ${areas.map((a) => a.name).join(', ')}`)

const hunted = await pipeline(
  areas,
  (area) =>
    agent(
      `Hunt for bugs in "${area.name}" (${area.paths.join(', ')}).${focus}\n` +
        `Read the code and propose at most ${input.perArea} specific bug hypotheses that a test or a small script could confirm: ` +
        'the location (file:line), the trigger (the input or sequence of calls), what should happen and what you expect actually happens. ' +
        'No style issues, no speculation you cannot point at in the code.',
      { label: `hypothesize:${area.name}`, phase: 'Hypothesize', schema: HYPOTHESES, disallowedTools: READ_ONLY },
    ),
  (found, area) =>
    parallel(
      found.hypotheses.slice(0, input.perArea).map((h, j) => async () => {
        const result = await agent(
          `Try to reproduce a suspected bug in ${h.location}: "${h.title}"\nTrigger: ${h.trigger}\n` +
            `${h.expected ? `Expected: ${h.expected}\n` : ''}${h.actual ? `Suspected actual: ${h.actual}\n` : ''}\n` +
            'Reproduce it for real: run an existing test, or write a minimal test or script and run it. ' +
            `Write any new file under ${SCRATCH}/ only, and never change existing files. ` +
            '"reproduced" needs output that shows the wrong behaviour; quote it in the evidence and give the command in reproduction. ' +
            '"not-reproduced" when the code handles the case; "inconclusive" when you could not run it.',
          { label: `reproduce:${area.name}#${j + 1}`, phase: 'Reproduce', schema: REPRODUCTION },
        )
        return { area: area.name, ...h, status: result ? result.status : 'inconclusive', ...(result ?? { evidence: 'the reproducing agent failed' }) }
      }),
    ),
)

const all = hunted.filter(Boolean).flat().filter(Boolean)
const confirmed = all.filter((b) => b.status === 'reproduced')
const notReproduced = all.filter((b) => b.status === 'not-reproduced')
const inconclusive = all.filter((b) => b.status === 'inconclusive')
log(`${confirmed.length} confirmed, ${inconclusive.length} inconclusive, ${notReproduced.length} not reproduced`)

const lines = [
  '# Bug hunt',
  '',
  `${all.length} hypotheses in ${areas.length} area(s): ${confirmed.length} reproduced, ${inconclusive.length} inconclusive, ${notReproduced.length} not reproduced.`,
  '',
]
if (confirmed.length) {
  lines.push('## Confirmed bugs', '')
  for (const b of confirmed)
    lines.push(
      `### ${b.title}`,
      '',
      `- Where: \`${b.location}\` (${b.area})`,
      `- Trigger: ${b.trigger}`,
      ...(b.reproduction ? [`- Reproduce: \`${b.reproduction}\``] : []),
      `- Evidence: ${b.evidence}`,
      '',
    )
}
if (inconclusive.length)
  lines.push('## Inconclusive', '', ...inconclusive.map((b) => `- ${b.title} — \`${b.location}\`: ${b.evidence}`), '')
if (!confirmed.length) lines.push('No bug was reproduced.', '')

return { areas: areas.map((a) => a.name), confirmed, inconclusive, notReproduced: notReproduced.length, report: lines.join('\n') }
