export const meta = {
  name: 'commands',
  description: 'One agent that runs an allowlisted command and one that is not',
  phases: [],
}

return await agent('Run the two commands', { label: 'shell' })
