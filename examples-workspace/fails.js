export const meta = {
  name: 'fails',
  description: 'One agent, then a script error at a known line (the end-to-end test jumps to it with Go to Error)',
}

const note = await agent('In one sentence, say what a stack trace is for.', { label: 'explain', model: 'haiku' })
log(note)
const totals = null
// The next line throws a TypeError: the run fails here, and Go to Error brings the cursor to it.
return totals.count
