export const meta = {
  name: 'caps-me',
  description: 'Four agents one after another, for the caps that pause a run',
  phases: [],
}

const out = []
for (const w of ['one', 'two', 'three', 'four']) out.push(await agent('Cap word ' + w, { label: 'cap:' + w }))
return out
