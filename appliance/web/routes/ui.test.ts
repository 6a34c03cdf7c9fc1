// The built web UI as the server hands it out: one page that loads hashed files, nothing inline
// (the Content-Security-Policy would block it), cache headers that let a new version show at
// once, and a size budget for the front-desk tablet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestWeb } from '../../../test/helpers/web.js';
import { tempDir } from '../../../test/helpers/spa.js';
import { builtUiSize } from '../../../test/helpers/ui-size.js';

/** The built UI's budget, gzipped, all files together. */
const BUDGET_BYTES = 300 * 1024;

test('the page loads one module script and one stylesheet from hashed files, with no inline script, handler or style', async () => {
  const web = await openTestWeb();
  try {
    const page = await web.app.inject({ url: '/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const html = page.body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.equal(scripts.length, 1, 'one script');
    assert.match(scripts[0]?.[1] ?? '', /^ type="module" crossorigin src="\/assets\/index-[\w-]+\.js"$/);
    assert.equal(scripts[0]?.[2], '', 'the script is a file, not inline code');
    assert.match(html, /<link rel="stylesheet" crossorigin href="\/assets\/index-[\w-]+\.css">/);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /<style\b|\sstyle\s*=/i, 'no inline styles');
    assert.doesNotMatch(html, /javascript:|https?:\/\//i, 'nothing from elsewhere');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self';/);
  } finally {
    await web.close();
  }
});

test('index.html is revalidated on every load while hashed assets are cached for a year as immutable, without a session', async () => {
  const web = await openTestWeb();
  try {
    const page = await web.app.inject({ url: '/' });
    assert.equal(page.headers['cache-control'], 'no-cache');
    const refs = [...page.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(refs.length >= 2, refs.join(' '));
    for (const ref of refs) {
      const res = await web.app.inject({ url: ref });
      assert.equal(res.statusCode, 200, ref);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', ref);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const type = String(res.headers['content-type']);
      if (ref.endsWith('.js')) assert.match(type, /^text\/javascript|^application\/javascript/);
      if (ref.endsWith('.css')) assert.match(type, /^text\/css/);
    }
    // The app's script builds the page: it calls the session API and renders into #root.
    const js = (await web.app.inject({ url: refs.find((r) => r.endsWith('.js')) ?? '' })).body;
    assert.match(js, /\/api\/session/);
    assert.match(page.body, /<div id="root"><\/div>/);
  } finally {
    await web.close();
  }
});

test('an asset that does not exist or spells a path is a 404, and nothing outside the UI folder is served', async () => {
  const web = await openTestWeb();
  try {
    for (const url of ['/assets/nope.js', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/.hidden', '/assets/../index.html', '/assets/..%5cindex.html']) {
      const res = await web.app.inject({ url });
      // 404 from the assets route; 401 when the URL parser resolved the dots to a path with no route.
      assert.ok([400, 401, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /"name":|<html/, url);
    }
    // Unknown pages outside /assets still need a session (they tell a stranger nothing).
    assert.equal((await web.app.inject({ url: '/index.html' })).statusCode, 401);
  } finally {
    await web.close();
  }
});

test('without a built UI the page answers 503 saying to run npm run build', async () => {
  const empty = tempDir('spa-no-ui-');
  const web = await openTestWeb({ uiDir: empty.path });
  try {
    const res = await web.app.inject({ url: '/' });
    assert.equal(res.statusCode, 503);
    assert.match(res.json<{ error: { message: string } }>().error.message, /npm run build/);
  } finally {
    await web.close();
    empty.remove();
  }
});

test('the built UI is under 300 KB gzipped', () => {
  const { raw, gz } = builtUiSize();
  console.log(`# built UI: ${raw} bytes, ${gz} bytes gzipped (budget ${BUDGET_BYTES})`);
  assert.ok(raw > 10_000, `the build looks empty: ${raw} bytes`);
  assert.ok(gz < BUDGET_BYTES, `${gz} bytes gzipped`);
});
