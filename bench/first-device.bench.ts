/**
 * First device: seconds from a fresh sign-in to a device added through the dashboard's form and shown
 * `up` on the board, with the poller on (ICMP to a loopback address, default 30 s poll interval).
 * Each run: a new browser context, the sign-in form, the "Inventory" link, "Add device", name and host
 * typed, "Add device", the "Board" link, then the time until the device's tile says `up`. Playwright
 * types at machine speed, so this is the product's share of the first minute, not a person's.
 *
 *   npm run bench:first-device     (embedded PostgreSQL in a temp dir, or DATABASE_URL; BENCH_RUNS=5)
 */
import 'reflect-metadata';
import { chromium } from 'playwright-core';
import { startBenchServer } from './bench-server';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ADMIN = { email: 'bench@netdesk.test', password: 'bench-password-1' };

interface Run {
  signInMs: number;
  formMs: number;
  upMs: number;
  totalMs: number;
}

async function main(): Promise<void> {
  const { base, stop } = await startBenchServer('first-device', ADMIN, {
    NETDESK_TRAP_PORT: String(20_000 + (process.pid % 20_000)), // not 162: other services may hold it
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const runs: Run[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: base });
      const page = await ctx.newPage();
      await page.goto('/');
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByLabel('Password').fill(ADMIN.password);
      const t0 = performance.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('[data-ready="true"]');
      const signedIn = performance.now();

      const name = `first-device-${run + 1}`;
      await page.getByRole('link', { name: 'Inventory', exact: true }).click();
      await page.getByRole('link', { name: 'Add device' }).click();
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Host', { exact: true }).fill(`127.0.0.${run + 1}`);
      await page.getByRole('button', { name: 'Add device' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Device "${name}" added.` })
        .waitFor();
      const added = performance.now();

      await page.getByRole('link', { name: 'Board', exact: true }).click();
      const id = await page.evaluate<string>(
        `fetch('/api/devices', { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('netdesk.token') } })
           .then((r) => r.json()).then((ds) => ds.find((d) => d.name === ${JSON.stringify(name)}).id)`,
      );
      await page.waitForSelector(`li.tile[data-device="${id}"][data-status="up"]`, { timeout: 120_000 });
      const up = performance.now();
      runs.push({ signInMs: signedIn - t0, formMs: added - signedIn, upMs: up - added, totalMs: up - t0 });
      console.log(
        `  run ${run + 1}: sign-in ${(signedIn - t0).toFixed(0)} ms, form ${(added - signedIn).toFixed(0)} ms, ` +
          `added → up ${(up - added).toFixed(0)} ms, total ${((up - t0) / 1000).toFixed(2)} s`,
      );
      await ctx.close();
    }
  } finally {
    await browser.close();
    await stop();
  }

  const stat = (k: keyof Run) => {
    const xs = runs.map((r) => r[k]).sort((a, b) => a - b);
    return { min: xs[0], median: xs[Math.floor(xs.length / 2)], max: xs[xs.length - 1] };
  };
  console.log(`\nFirst device (${RUNS} runs, fresh browser context each, poller on, ICMP to 127.0.0.x)`);
  console.log('| measure | min | median | max |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, k] of [
    ['sign-in clicked → board ready', 'signInMs'],
    ['board ready → device added through the form', 'formMs'],
    ['device added → its tile shows up', 'upMs'],
    ['sign-in clicked → device up on the board', 'totalMs'],
  ] as const) {
    const s = stat(k);
    console.log(
      `| ${label} | ${(s.min / 1000).toFixed(2)} s | ${(s.median / 1000).toFixed(2)} s | ${(s.max / 1000).toFixed(2)} s |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
