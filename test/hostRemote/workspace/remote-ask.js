export const meta = { name: 'remote-ask', description: 'One remote agent whose command needs a person' }
return await agent(args.prompt, { label: 'asker', isolation: 'remote' })
