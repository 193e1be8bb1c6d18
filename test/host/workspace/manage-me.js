export const meta = {
  name: 'manage-me',
  description: 'One agent about the topic in its args',
  phases: [],
}

const topic = (args && args.topic) || 'nothing'
return await agent(`Manage ${topic}`, { label: 'manage' })
