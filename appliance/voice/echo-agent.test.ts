import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EchoAgent } from './echo-agent.js';

test('the audio check agent lists for pre-rendering exactly what it says on every call: its greeting and its reprompt after a silence', async () => {
  const agent = new EchoAgent({ spaName: () => 'Lumière Med Spa' });
  const said = [agent.greeting().text, (await agent.respond({ kind: 'silence', count: 1 }, { interrupted: false, heardText: '' })).text];
  assert.deepEqual(agent.prompts(), said);
  assert.match(said[0] ?? '', /^Thank you for calling Lumière Med Spa\./);
});
