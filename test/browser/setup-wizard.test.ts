// The first-run setup wizard in headless Chromium on a new box: it opens at the owner's sign-in,
// takes every step, resumes where the owner left it after a reload, and what it saved is what the
// box then uses (the catalogue at once, the phone and greeting settings in config.json).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { openingHoursClock, startAppliance, TEST_ADMIN_PASSWORD, type RunningAppliance } from '../helpers/appliance.js';
import { tempDir } from '../helpers/spa.js';
import { checkPage, launchChromium, openPage, signIn as signInAt } from '../helpers/browser.js';

let box: RunningAppliance;
let browser: Browser;
let models: http.Server;
const dir = tempDir('spa-wizard-models-');
const weights = Buffer.alloc(400_000, 1).fill(2, 100, 5000);
let releaseWeights = (): void => undefined;
const weightsHeld = new Promise<void>((r) => (releaseWeights = r));

before(async () => {
  // Where the models step downloads from: a loopback server. The voice is sent half at once and
  // the rest when the test says, so the progress bar can be seen part way.
  models = http.createServer((req, res) => {
    if (req.url === '/whole.bin') return void res.writeHead(200, { 'content-length': weights.length }).end(weights);
    res.writeHead(req.url === '/voice.bin' ? 200 : 404, { 'content-length': weights.length });
    if (req.url !== '/voice.bin') return void res.end();
    res.write(weights.subarray(0, 200_000));
    void weightsHeld.then(() => res.end(weights.subarray(200_000)));
  });
  await new Promise<void>((r) => models.listen(0, '127.0.0.1', r));
  const url = (path: string): string => `http://127.0.0.1:${(models.address() as AddressInfo).port}${path}`;
  const sha = createHash('sha256').update(weights).digest('hex');
  const file = (path: string, digest: string) => [{ path: 'voice.bin', url: url(path), size: weights.length, sha256: digest }];
  writeFileSync(
    join(dir.path, 'manifest.json'),
    JSON.stringify({
      version: 1,
      models: [
        { name: 'test-voice', role: 'tts', licence: 'MIT', description: 'a test voice', files: file('/voice.bin', sha) },
        { name: 'wrong-sum', role: 'asr', licence: 'MIT', description: 'a download whose checksum does not match', files: file('/whole.bin', '0'.repeat(64)) },
      ],
    }),
  );
  // A new box: the wizard has not been finished.
  box = await startAppliance({}, { setup: { finished: false, step: '' } }, undefined, { clock: openingHoursClock(), modelsManifest: join(dir.path, 'manifest.json') });
  browser = await launchChromium();
});

after(async () => {
  releaseWeights();
  await browser?.close();
  await box?.stop();
  models?.closeAllConnections();
  await new Promise<void>((r) => (models ? models.close(() => r()) : r()));
  dir.remove();
});

test('the owner of a new box is taken through the setup wizard end to end, can leave and resume it, and the box uses what was entered', async () => {
  const w = await openPage(browser);
  const { page } = w;
  try {
    await signInAt(page, box.url, 'owner', TEST_ADMIN_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'Set up the box' }).waitFor();
    const stepTitle = page.locator('#step-title');
    assert.equal(await stepTitle.textContent(), 'Step 1 of 8: Your spa');
    assert.deepEqual(await checkPage(w, 'setup-spa'), []);
    const save = () => page.getByRole('button', { name: 'Save and continue' }).click();
    const atStep = (title: string) => page.locator('#step-title', { hasText: title }).waitFor();

    await page.getByLabel('Spa name').fill('Glow Aesthetics');
    await page.getByLabel('Address').fill('12 Elm Street, Austin, TX 78701');
    await page.getByLabel('Phone number').fill('(512) 555-0188');
    await page.getByLabel('Time zone').selectOption('America/Chicago');
    await save();

    await atStep('Opening hours');
    await page.getByRole('checkbox', { name: 'Saturday' }).uncheck();
    await page.getByLabel('Friday to').fill('17:00');
    await page.getByLabel('Closed from').fill('2026-12-24');
    await page.getByLabel('to', { exact: true }).fill('2026-12-26');
    await page.getByLabel('Reason').fill('Holidays');
    await page.getByRole('button', { name: 'Add closure' }).click();
    await page.getByText('2026-12-24 to 2026-12-26').waitFor();
    assert.deepEqual(await checkPage(w, 'setup-hours'), []);
    await save();

    await atStep('Services');
    await page.getByRole('button', { name: 'Start empty' }).click();
    await page.getByText('No services yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Glow Facial');
    await page.getByLabel('Duration (minutes)').fill('60');
    await page.getByLabel('Buffer after (minutes)').fill('15');
    await page.getByLabel('Price ($)').fill('150');
    await page.getByLabel('Other names callers use').fill('glow, signature facial');
    await page.getByRole('button', { name: 'Add service' }).click();
    await page.getByRole('cell', { name: 'Glow Facial', exact: true }).waitFor();
    assert.match((await page.getByRole('table', { name: 'Services' }).textContent()) ?? '', /Glow Facial60\$150/);
    assert.deepEqual(await checkPage(w, 'setup-services'), []);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await atStep('Providers');

    // The owner leaves and comes back: the wizard opens where they were.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Set up the box' }).waitFor();
    await atStep('Step 4 of 8: Providers');
    await page.getByLabel('Name', { exact: true }).fill('Rosa Diaz');
    await page.getByLabel('Title').fill('Licensed aesthetician');
    // A new provider starts with the opening hours; Rosa works Sundays too.
    const hours = page.getByLabel('Working hours, one day a line');
    assert.equal(await hours.inputValue(), 'Mon 09:00-19:00\nTue 09:00-19:00\nWed 09:00-19:00\nThu 09:00-20:00\nFri 09:00-17:00');
    await hours.fill(`${await hours.inputValue()}\nSun 10:00-16:00`);
    await page.getByRole('checkbox', { name: 'Glow Facial' }).check();
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByText('Rosa Diaz').first().waitFor();
    await page.getByText('1 services').waitFor();
    assert.deepEqual(await checkPage(w, 'setup-providers'), []);
    await save();

    await atStep('Phone connection');
    assert.match((await page.getByRole('status').filter({ hasText: 'Registration now' }).textContent()) ?? '', /not registering \(direct mode\)/);
    await page.getByLabel('As an extension that registers with the phone system').check();
    await page.getByLabel('Phone system (server)').fill('pbx.local:5060');
    await page.getByLabel('Extension user').fill('305');
    await page.getByLabel('Extension password').fill('sekrit-305');
    await page.getByLabel('Ring for (seconds) before the box answers').fill('15');
    await page.getByLabel('"A person, please" goes to').fill('201');
    assert.deepEqual(await checkPage(w, 'setup-phone'), []);
    await save();

    await atStep('Greeting');
    await page.getByText('all parties\' consent to record').waitFor();
    await page.getByLabel('AI disclosure').fill("I'm Glow's AI receptionist.");
    await page.getByLabel('Record calls (kept on the box)').check();
    assert.deepEqual(await checkPage(w, 'setup-greeting'), []);
    await save();

    await atStep('Text messages');
    await page.getByText('no modem', { exact: true }).waitFor();
    assert.deepEqual(await checkPage(w, 'setup-modem'), []);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();

    await atStep('Speech models');
    assert.match((await page.getByRole('table', { name: 'Speech engines in use' }).textContent()) ?? '', /Speech recognition/);
    const offered = page.getByRole('table', { name: 'Models the box can install' });
    assert.match((await offered.textContent()) ?? '', /test-voicea test voicea more natural voice0\.4 MBnot installed/);
    // A failed download says why and does not hang.
    await page.getByRole('button', { name: 'Install wrong-sum' }).click();
    await page.getByRole('alert').filter({ hasText: /Installing wrong-sum failed: .*sha256 .* does not match/ }).waitFor();
    // The install runs with a progress bar: half the file is in while the server holds the rest.
    await page.getByRole('button', { name: 'Install test-voice' }).click();
    const bar = page.getByRole('progressbar', { name: 'Installing test-voice' });
    await page.locator('#model-progress[value="200000"]').waitFor();
    assert.equal(await bar.getAttribute('max'), String(weights.length));
    await page.getByText('0.2 MB of 0.4 MB').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Install wrong-sum' }).isDisabled(), true, 'one install at a time');
    assert.deepEqual(await checkPage(w, 'setup-models-installing'), []);
    releaseWeights();
    await page.getByText('test-voice is installed; the box uses it from its next restart.').waitFor();
    await offered.getByRole('row', { name: /test-voice.*installed/ }).waitFor();
    assert.ok(readFileSync(join(box.modelsDir, 'test-voice', 'voice.bin')).equals(weights));
    assert.deepEqual(await checkPage(w, 'setup-models'), []);
    await page.getByRole('button', { name: 'Finish setup' }).click();
    await page.getByRole('heading', { level: 1, name: /^Today/ }).waitFor();
    assert.equal(await page.getByText('Setup is not finished').count(), 0);
    assert.deepEqual(w.problems, []);

    // What the box now uses.
    const spa = await box.api<{ spa: { name: string; phone: string; timeZone: string; hours: { weekday: number; end: string }[]; closures: { startDate: string }[] } }>('/api/spa');
    assert.deepEqual([spa.spa.name, spa.spa.phone, spa.spa.timeZone], ['Glow Aesthetics', '+15125550188', 'America/Chicago']);
    assert.deepEqual(spa.spa.hours.map((h) => h.weekday), [1, 2, 3, 4, 5]);
    assert.equal(spa.spa.hours.find((h) => h.weekday === 5)?.end, '17:00');
    // The demo's holidays kept, the owner's closure added.
    assert.deepEqual(spa.spa.closures.map((c) => c.startDate), ['2026-11-26', '2026-12-24', '2026-12-25', '2027-01-01', '2027-05-31']);
    const services = await box.api<{ services: { id: string; aliases: string[]; bufferAfterMin: number; providers: { name: string }[] }[] }>('/api/services');
    assert.deepEqual(
      services.services.map((s) => [s.id, s.aliases, s.bufferAfterMin, s.providers.map((p) => p.name)]),
      [['glow-facial', ['glow', 'signature facial'], 15, ['Rosa Diaz']]],
    );
    const slots = await box.api<{ slots: { provider: { name: string } }[] }>('/api/availability?service=glow-facial&days=7');
    assert.ok(slots.slots.length > 0 && slots.slots.every((s) => s.provider.name === 'Rosa Diaz'));
    const config = JSON.parse(readFileSync(join(box.dataDir, 'config.json'), 'utf8')) as {
      setup: unknown;
      telephony: { ringTimeoutS: number; transferTo: string; record: boolean; registration: { registrar: string; username: string; password: string } };
      agent: { disclosure: string };
    };
    assert.deepEqual(config.setup, { step: 'models', finished: true });
    assert.deepEqual(
      [config.telephony.ringTimeoutS, config.telephony.transferTo, config.telephony.record, config.telephony.registration],
      [15, '201', true, { registrar: 'pbx.local:5060', username: '305', password: 'sekrit-305', expiresS: 600 }],
    );
    assert.equal(config.agent.disclosure, "I'm Glow's AI receptionist.");
  } finally {
    await w.context.close();
  }
});
