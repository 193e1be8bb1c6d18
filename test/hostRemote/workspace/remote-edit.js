export const meta = { name: 'remote-edit', description: 'One remote agent that edits notes.txt' }
return await agent('Edit the notes', { label: 'editor', isolation: 'remote' })
