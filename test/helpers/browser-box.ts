// The whole appliance on loopback (the demo spa, its clock in opening hours) and Debian's headless
// Chromium, started before a browser test file's tests and stopped after them.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { openingHoursClock, startAppliance, type RunningAppliance } from './appliance.js';
import { launchChromium } from './browser.js';

export interface BrowserBox {
  readonly box: RunningAppliance;
  readonly browser: Browser;
}

/** Registers the file's before/after hooks; the box and browser are there once `before` has run. */
export function browserBox(): BrowserBox {
  let box: RunningAppliance | undefined;
  let browser: Browser | undefined;
  before(async () => {
    box = await startAppliance({}, undefined, undefined, { clock: openingHoursClock() });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await box?.stop();
  });
  return {
    get box() {
      return box ?? assert.fail('the appliance is not started (used outside a test?)');
    },
    get browser() {
      return browser ?? assert.fail('Chromium is not started (used outside a test?)');
    },
  };
}
