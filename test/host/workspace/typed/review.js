export const meta = { name: 'typed-review', description: 'Editor help in a workflow script (typed.test.ts)' }
phase('Review')
const verdict = await agent('Count the bugs', { schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } })
const text = await agent('Say hi', { model: '', agentType: '' })
log(budget.remaining())
budget.spent('checked') // the one error on purpose: its report shows the checker has run here
return { verdict, text, args }
