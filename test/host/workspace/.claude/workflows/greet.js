export const meta = {
  name: 'greet',
  description: 'Greets whoever args names',
  whenToUse: 'Pass the name to greet as args (a plain string).',
  phases: [],
}

return await agent(`Greet ${args ?? 'nobody'}`, { label: 'greet' })
