export const meta = {
  name: 'echo-args',
  description: 'Hands its args to one agent, as JSON',
  whenToUse: 'Give any JSON value or text as args.',
  phases: [{ title: 'Echo' }],
}

phase('Echo')
return await agent(`Args: ${JSON.stringify(args)}`, { label: 'echo-args' })
