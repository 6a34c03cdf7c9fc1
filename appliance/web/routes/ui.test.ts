import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestWeb } from '../../../test/helpers/web.js';

test('the page has no inline script, event handler or style, which the Content-Security-Policy would block', async () => {
  const web = await openTestWeb();
  try {
    const page = await web.app.inject({ url: '/' });
    assert.equal(page.statusCode, 200);
    const html = page.body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.deepEqual(
      scripts.map((m) => [m[1]?.trim(), m[2]]),
      [['type="module" src="/app.js"', '']],
      'one script, from a file',
    );
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /<style\b|\sstyle\s*=/i, 'no inline styles');
    assert.doesNotMatch(html, /javascript:/i);
    assert.match(html, /<link rel="stylesheet" href="\/app\.css">/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self';/);
  } finally {
    await web.close();
  }
});

test("the page's script and styles are served from their files with their content types, without a session", async () => {
  const web = await openTestWeb();
  try {
    const js = await web.app.inject({ url: '/app.js' });
    assert.equal(js.statusCode, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['x-content-type-options'], 'nosniff');
    assert.match(js.body, /addEventListener\('submit'/);
    const css = await web.app.inject({ url: '/app.css' });
    assert.equal(css.statusCode, 200);
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    assert.match(css.body, /\.grow \{ flex: 1; \}/);
    // Every element the script looks up by id is on the page.
    const html = (await web.app.inject({ url: '/' })).body;
    const ids = new Set([...js.body.matchAll(/\$\('([\w-]+)'\)/g)].map((m) => m[1] ?? ''));
    assert.ok(ids.size >= 15, `the script's element ids: ${[...ids].join(' ')}`);
    for (const id of ids) assert.match(html, new RegExp(`id="${id}"`), `#${id} is on the page`);
    // The script runs as a module (no inline code) and does not build inline styles or handlers into the page.
    assert.doesNotMatch(js.body, /style="|\son[a-z]+="/i);
  } finally {
    await web.close();
  }
});
