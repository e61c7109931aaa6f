import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizePlatform } from 'cdk8s-dataops';
import { tempOutdir } from '../../constructs/kafka/support';
import { lineageFixture } from './fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('lineage.html in a real browser', () => {
  let file: string;
  let browser: Awaited<ReturnType<typeof chromium.launch>>;

  beforeAll(async () => {
    const { platform } = lineageFixture();
    const outdir = tempOutdir();
    synthesizePlatform(platform, { outdir }).write();
    file = path.join(outdir, 'reports', 'lineage.html');
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens standalone (no request leaves the file), shows every node, pipeline and owner', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    expect(await page.title()).toBe('Data lineage');
    expect(await page.locator('svg.lineage .node').count()).toBe(6);
    expect(await page.locator('svg.lineage .edge').count()).toBe(5);
    expect(await page.locator('table.pipelines tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^analytics\s+team-analytics/), expect.stringMatching(/^orders\s+team-payments\s+Orders <validated> & enriched/),
    ]);
    const enriched = page.locator('table.datasets tr', { hasText: 'payments.orders-enriched.v1' });
    expect(await enriched.innerText()).toMatch(/enricher\s+loader/);
    // Every node box is inside the drawing and no two overlap.
    const boxes = await page.locator('svg.lineage .node rect').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect()).map((b) => ({ x: b.x, y: b.y, w: b.width, h: b.height })));
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]; const b = boxes[j];
      expect(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
    }
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(path.dirname(file), 'lineage.png'), fullPage: true });
  });

  it('highlights the neighbours of a hovered node', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${file}`);
    await page.locator('svg.lineage .node', { hasText: 'enricher' }).hover();
    const lit = await page.locator('svg.lineage .node.lit').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-id')));
    expect(lit.sort()).toEqual(['app:payments/enricher', 'topic:main/payments.orders-enriched.v1', 'topic:main/payments.orders-validated.v1']);
    expect(await page.locator('svg.lineage .edge.lit').count()).toBe(2);
  });
});
