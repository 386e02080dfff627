import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SESSION_METRIC_NAMES, TRIAL_METRIC_NAMES } from '../columns.js';
import { AnalysisError } from '../errors.js';
import { syntheticReport } from '../test-utils/synthetic-run.js';
import { byClass, parseXml } from '../test-utils/xml.js';
import { formatNumber } from './format.js';
import { renderReport } from './report-html.js';

const EVIL = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

describe('renderReport', () => {
  const html = renderReport(syntheticReport(3));

  it('has every section', () => {
    for (const h of ['Spec', 'Provenance', 'Trial metrics', 'Session metrics', 'Plots']) expect(html).toContain(`<h2>${h}</h2>`);
    expect(html).toMatch(/<details><summary>spec.json<\/summary><pre class="json">\{\n {2}&quot;name&quot;: &quot;ppo_cartpole&quot;/);
  });

  it('tables hold the SLM Lab metric names, the mean/median/IQM with intervals, one row per session', () => {
    for (const k of TRIAL_METRIC_NAMES) expect(html).toContain(`<th>${k}</th>`);
    for (const h of ['mean [95% CI]', 'median [95% CI]', 'IQM [95% CI]', 'reached 475', 'frames to target']) expect(html).toContain(`<th>${h}</th>`);
    const sessionTable = html.slice(html.indexOf('<h2>Session metrics</h2>'), html.indexOf('<h2>Plots</h2>'));
    expect(sessionTable.match(/<tr><td class="key">t0<\/td>/g)).toHaveLength(3);
    expect(sessionTable.match(/<th[ >]/g)).toHaveLength(2 + SESSION_METRIC_NAMES.length + 2);
  });

  it('inlines one well-formed SVG per plot: trial, experiment and each session', () => {
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    // 1 trial plot + 3 experiment plots + 3 sessions x (return vs frames, vs wall time, loss, entropy)
    expect(svgs).toHaveLength(1 + 3 + 12);
    for (const s of svgs) expect(byClass(parseXml(s), 'series').length).toBeGreaterThan(0);
  });

  it('is self-contained: no URL other than the SVG namespace, no src/href, a CSP that allows only its own script', () => {
    const urls = html.match(/(?:https?:)?\/\/[^\s"'<>)]+/g) ?? [];
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/\s(src|href)=/);
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0][1], 'utf8').digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
  });

  it('embeds a recording as a data: URL GIF under its own heading, the only src, with its caption escaped', () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);
    const withGif = renderReport({ ...syntheticReport(3), recording: { gif, caption: `best <checkpoint>` } });
    expect(withGif).toContain('<h2>Recording</h2>');
    expect(withGif.indexOf('<h2>Recording</h2>')).toBeLessThan(withGif.indexOf('<h2>Plots</h2>'));
    const srcs = [...withGif.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]);
    expect(srcs).toEqual([`data:image/gif;base64,${Buffer.from(gif).toString('base64')}`]);
    expect(withGif).toContain('<figcaption>best &lt;checkpoint&gt;</figcaption>');
    expect(html).not.toContain('<h2>Recording</h2>');
  });

  it('escapes strings from data: a spec value, env id, provenance value or session name cannot inject markup', () => {
    const base = syntheticReport(2);
    const trial = base.trials[0];
    const evil = renderReport({
      ...base,
      title: EVIL,
      envId: EVIL,
      spec: { name: EVIL, [EVIL]: 1 },
      provenance: { [EVIL]: EVIL, nested: { x: EVIL } },
      trials: [{ ...trial, name: EVIL, sessions: trial.sessions.map((s) => ({ ...s, name: EVIL })) }],
      experiment: { rows: [{ [EVIL]: 1, m: 2 }], hyperparameters: [EVIL], metric: 'm' },
    });
    expect(evil.match(/<script>/g)).toHaveLength(1);
    expect(evil.match(/<\/script>/g)).toHaveLength(1);
    expect(evil).not.toContain('<img');
    expect(evil).toContain('&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('rejects a spec that is not JSON-serialisable', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => renderReport({ ...syntheticReport(1), spec: cyclic })).toThrow(AnalysisError);
    expect(() => renderReport({ ...syntheticReport(1), spec: cyclic })).toThrow(/^renderReport: spec is not JSON-serialisable \(/);
  });

  it('leaves out the target columns for an env without a target and session plots for a search unless asked', () => {
    const r = syntheticReport(2, { envId: 'Pendulum-v1' });
    const noTarget = renderReport(r);
    expect(noTarget).not.toContain('frames to target');
    const search = renderReport({ ...r, trials: [r.trials[0], { ...r.trials[0], name: 't1' }] });
    expect(search.match(/<svg/g)).toHaveLength(2 + 3);
    expect(renderReport({ ...r, trials: [r.trials[0], { ...r.trials[0], name: 't1' }], sessionPlots: true }).match(/<svg/g)).toHaveLength(2 + 3 + 16);
  });
});

describe('formatNumber', () => {
  it('formats table cells', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(120000)).toBe('120000');
    expect(formatNumber(12345.678)).toBe('12345.7');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(1.23456e-5)).toBe('1.235e-5');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('-∞');
  });
});
