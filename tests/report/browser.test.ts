// The HTML report as a reader opens it: `nurture simulate` writes the report of a bundled example, and
// headless Chromium (driven by playwright-core, as the e2e test does) loads it from disk. No console
// error or warning, no request beyond the file itself (it works offline), and every chart's SVG has
// the marks its data calls for. Skipped where there is no Chromium ($NURTURE_E2E_CHROMIUM or Debian's).
//
// NURTURE_REPORT_SCREENSHOT=FILE also saves the whole page there (`npm run report:screenshot` writes
// docs/images/report.png); by default the test writes nothing in the repository.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../runtime/report.js';
import { localDay } from '../../runtime/engine/time.js';
import { MAX_ROWS } from '../../runtime/report/charts/sends.js';

const REPO = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.NURTURE_E2E_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT = process.env.NURTURE_REPORT_SCREENSHOT ? resolve(REPO, process.env.NURTURE_REPORT_SCREENSHOT) : undefined;
const EXAMPLE = 'examples/b2b';
const dir = mkdtempSync(join(tmpdir(), 'nurture-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `nurture simulate` of the example until the end of June (as the demo runs it), its report written to `name`. */
async function simulate(name: string): Promise<string> {
  const path = join(dir, name);
  const args = ['bin/nurture.js', 'simulate', EXAMPLE, '--events', `${EXAMPLE}/events.jsonl`, '--until', '2026-06-30', '--out', join(dir, `${name}.actions`), '--report', path];
  await promisify(execFile)(process.execPath, args, { cwd: REPO });
  return path;
}

/** The little of the DOM the page functions use (the tests are typed without the DOM library). */
interface Element {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<Element> & { length: number };
}
/** Marks per series of each chart in the page (see marks.ts): figure id → [series 0 marks, series 1 …]. */
const MARKS_IN_PAGE = () => {
  const out: Record<string, number[]> = {};
  const document = (globalThis as unknown as { document: Element }).document;
  for (const fig of document.querySelectorAll('figure[data-chart]')) {
    const perSeries: Set<string>[] = [];
    for (const el of fig.querySelectorAll('svg [ecmeta_ssr_type="chart"]:not([ecmeta_silent])')) {
      (perSeries[Number(el.getAttribute('ecmeta_series_index'))] ??= new Set()).add(el.getAttribute('ecmeta_data_index')!);
    }
    out[fig.getAttribute('data-chart')!] = Array.from(perSeries, (s) => s?.size ?? 0);
  }
  return out;
};

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in headless Chromium', () => {
  it('loads offline without an error, and each chart has the marks of its data', async () => {
    const [json, html] = await Promise.all([simulate('report.json'), simulate('report.html')]);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    const m = report.measures;
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(html).href]);
      expect(await page.evaluate(() => (globalThis as unknown as { document: Element }).document.querySelectorAll('script, link, img, iframe, object, [src]').length)).toBe(0);

      // each chart is well-formed SVG as written (the HTML parser would forgive a broken attribute)
      const svgs = [...readFileSync(html, 'utf8').matchAll(/<svg[\s\S]*?<\/svg>/g)].map((x) => x[0]);
      expect(svgs.length).toBeGreaterThanOrEqual(6);
      const parseErrors = await page.evaluate((texts) => {
        const parser = new (globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): Element } }).DOMParser();
        return texts.map((t) => parser.parseFromString(t, 'image/svg+xml').querySelectorAll('parsererror').length);
      }, svgs);
      expect(parseErrors).toEqual(svgs.map(() => 0));

      const marks = await page.evaluate(MARKS_IN_PAGE);
      const positive = (xs: number[]) => xs.filter((x) => x > 0).length;
      const lifts = [...(m.program ? [m.program.lift] : []), ...Object.values(m.journeys).map((j) => j.lift)];
      const measured = lifts.filter((l) => l !== null && !('tooFew' in l)).length;
      const ruleKeys = (xs: Report['measures']['delayed']) => new Set(xs.filter((x) => x.count > 0).map((x) => `${x.rule} ${x.loc?.file}:${x.loc?.line}`)).size;
      const scored = Object.values(m.newLeadScores).filter((d) => d.count > 0).length;
      const expected: Record<string, number[]> = {
        lift: [measured, measured], // interval, point
        funnel: [positive(m.funnel.stages.map((s) => s.reached)), positive(m.funnel.stages.map((s) => s.leads))],
        'mqls-per-week': [positive(m.mqlsPerWeek.map((w) => w.mqls))],
        pressure: [ruleKeys(m.delayed), ruleKeys(m.skipped), ruleKeys(m.suppressed)],
        sends: [Math.min(MAX_ROWS, positive(Object.values(m.sendsPerContent)))],
        scores: [scored, scored, scored],
      };
      const splits = (m as { splits?: { branches: { rate: number | null }[] }[] }).splits ?? [];
      splits.forEach((s, k) => (expected[`split-${k}`] = [s.branches.filter((b) => b.rate !== null).length]));
      // series without a mark are not in the page: compare up to the last series that has marks
      const trim = (xs: number[]) => xs.slice(0, xs.findLastIndex((x) => x > 0) + 1);
      expect(Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, trim(v)]))).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, trim(v)])));
      expect(measured).toBeGreaterThan(0); // the example draws at least one interval
      // and the words saying why there is no lift, one per row without
      const notes = await page.locator('figure[data-chart="lift"] svg text').allTextContents();
      expect(notes.filter((t) => t.startsWith('too few leads to tell')).length).toBe(lifts.filter((l) => l !== null && 'tooFew' in l).length);
      expect(notes.filter((t) => t.startsWith('no lift:')).length).toBe(lifts.filter((l) => l === null).length);
      expect(marks['mqls-per-week']![0]).toBeGreaterThan(3);

      // MQLs per week run from the first event's week to the last event's, not to the end of the clock
      const events = readFileSync(join(REPO, EXAMPLE, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => Date.parse(JSON.parse(l).at));
      const week = (t: number) => {
        const day = localDay(report.plan.timezone, t);
        const monday = day - ((new Date(day * 86_400_000).getUTCDay() + 6) % 7);
        const d = new Date(monday * 86_400_000);
        return `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' }).slice(0, 3)} ${d.getUTCFullYear()}`;
      };
      const caption = await page.locator('figure[data-chart="mqls-per-week"] figcaption').textContent();
      expect(caption).toContain(`from the week of ${week(Math.min(...events))} to the week of ${week(Math.max(...events))}`);

      if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await browser.close();
    }
    expect(statSync(html).size).toBeLessThan(200_000);
  }, 30_000);
});
