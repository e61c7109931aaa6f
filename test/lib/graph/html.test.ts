import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFlowGraph, synthesizePlatform } from 'cdk8s-dataops';
import { renderLineageHtml } from '../../../lib/graph/html';
import { tempOutdir } from '../../constructs/kafka/support';
import { lineageFixture } from './fixture';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * An environment too large for one drawing: `pipelines` pipelines of an app writing `topics` topics each, the app of
 * each reading a topic of the one before; the last pipeline holds `bigTopics` topics instead.
 */
function largeGraph(pipelines: number, topics: number, bigTopics: number): DataFlowGraph {
  const g = new DataFlowGraph('prod');
  for (let p = 0; p < pipelines; p++) {
    const group = g.addGroup({ name: `pipeline-${p}`, owner: `team-${p}` });
    g.addNode({ id: `app:${p}`, role: 'process', kind: 'streaming app', name: `app-${p}`, group });
    for (let t = 0; t < (p === pipelines - 1 ? bigTopics : topics); t++) {
      g.addNode({ id: `topic:${p}.${t}`, role: 'dataset', kind: 'topic', name: `domain${p}.events-${t}.v1`, group });
      g.addEdge(`app:${p}`, `topic:${p}.${t}`);
    }
    if (p > 0) g.addEdge(`topic:${p - 1}.0`, `app:${p}`);
  }
  g.addNode({ id: 'topic:loose', role: 'dataset', kind: 'topic', name: 'loose.events.v1' });
  g.addEdge('topic:loose', 'app:0');
  return g;
}

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

  it('draws a large environment as its pipelines, then pipeline by pipeline, and still lists every node', async () => {
    const html = renderLineageHtml('Data lineage', [largeGraph(3, 120, 400)]);
    const large = path.join(path.dirname(file), 'lineage-large.html');
    fs.writeFileSync(large, html);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${large}`);
    expect(await page.locator('p.too-many').innerText()).toMatch(/^644 datasets and processes are more than one drawing shows \(300\)/);
    // The overview: one box per pipeline (with its counts) and the loose topic; one arrow per crossing.
    const overview = page.locator('section.environment > div.graph svg.lineage');
    expect(await overview.locator('.node').evaluateAll((ns) => ns.map((n) => n.textContent))).toEqual([
      'pipeline pipeline-0: 120 datasets, 1 processpipeline-0120 datasets, 1 process',
      'pipeline pipeline-1: 120 datasets, 1 processpipeline-1120 datasets, 1 process',
      'pipeline pipeline-2: 400 datasets, 1 processpipeline-2400 datasets, 1 process',
      'topic loose.events.v1loose.events.v1topic',
    ]);
    expect(await overview.locator('.edge').evaluateAll((es) => es.map((e) => `${e.getAttribute('data-from')} -> ${e.getAttribute('data-to')}`))).toEqual([
      'pipeline:pipeline-0 -> pipeline:pipeline-1', 'pipeline:pipeline-1 -> pipeline:pipeline-2', 'topic:loose -> pipeline:pipeline-0',
    ]);
    // Each pipeline: its own nodes and the nodes it exchanges data with, drawn when opened; too many is said instead.
    const details = page.locator('details.pipeline');
    expect(await details.evaluateAll((ds) => ds.map((d) => d.querySelector('summary')!.textContent))).toEqual([
      'pipeline-0 · team-0 (121 nodes)', 'pipeline-1 · team-1 (121 nodes)', 'pipeline-2 · team-2 (401 nodes)',
    ]);
    await details.nth(1).locator('summary').click();
    const second = details.nth(1).locator('svg.lineage');
    await second.waitFor({ state: 'visible' });
    // Its 121, the topic of pipeline-0 its app reads and the app of pipeline-2 that reads one of its topics.
    expect(await second.locator('.node').count()).toBe(123);
    expect(await second.locator('.node[data-id="app:2"]').count()).toBe(1);
    expect(await second.locator('.edge').count()).toBe(122);
    await second.locator('.node', { hasText: 'app-1' }).hover();
    expect(await second.locator('.edge.lit').count()).toBe(121);
    await details.nth(2).locator('summary').click();
    expect(await details.nth(2).locator('svg').count()).toBe(0);
    expect(await details.nth(2).innerText()).toMatch(/402 nodes with those it exchanges data with: more than one drawing shows/);
    // Every node is still in the tables; one of more rows than a drawing shows nodes is folded until opened.
    expect(await page.locator('table.datasets tbody tr').count()).toBe(641);
    expect(await page.locator('table.datasets').isVisible()).toBe(false);
    await page.locator('details.listing summary', { hasText: '641 datasets: show the table' }).click();
    expect(await page.locator('table.datasets').isVisible()).toBe(true);
    expect(await page.locator('table.processes tbody tr').count()).toBe(3);
    expect(await page.locator('table.processes').isVisible()).toBe(true);
    // Arrowheads are unique in the page, and every arrow's is its own drawing's.
    const markers = await page.locator('marker').evaluateAll((ms) => ms.map((m) => m.id));
    expect(new Set(markers).size).toBe(markers.length);
    const strays = await page.locator('svg.lineage .edge').evaluateAll((es) => es.filter((e) => {
      const id = /^url\(#(.*)\)$/.exec(e.getAttribute('marker-end') ?? '')?.[1];
      return !id || e.ownerDocument.getElementById(id)?.closest('svg') !== e.closest('svg');
    }).length);
    expect(strays).toBe(0);
    expect(errors).toEqual([]);
  });
});
