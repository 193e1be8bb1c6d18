export const meta = {
  name: 'approve-one',
  description: 'One agent that runs a command no rule allows',
  phases: [],
}

return await agent('Shell once', { label: 'shell' })
