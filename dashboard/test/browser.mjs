// Headless Chromium (Debian's chromium package) driven by playwright-core.
import fs from "node:fs";

import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launch({ headless = true } = {}) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium; make test-dashboard does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS });
}
