export const meta = { name: 'remote-me', description: 'One agent, sent to the remote engine when agents is "remote"' }
return await agent('Remote word one', { label: 'one' })
