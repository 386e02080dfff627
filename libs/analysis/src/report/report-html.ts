/**
 * report.html: one self-contained page (inline CSS, inline SVG, one inline script; no network,
 * no external fonts). A Content-Security-Policy allows only that script (by its SHA-256) and no
 * network at all. Every string from data is escaped.
 */
import { createHash } from 'node:crypto';
import { SESSION_METRIC_NAMES, TRIAL_METRIC_NAMES } from '../columns.js';
import { AnalysisError } from '../errors.js';
import { experimentPlots } from '../plot/experiment-plots.js';
import { sessionPlots, trialPlot } from '../plot/session-plots.js';
import { escapeXml as esc } from '../plot/xml.js';
import { trialReturnStats } from '../stats/bootstrap.js';
import { envTarget, framesToTarget, secondsToTarget } from '../stats/targets.js';
import { formatEstimate, formatNumber, formatValue } from './format.js';
import { REPORT_CSS, REPORT_SCRIPT } from './report-assets.js';
import type { ReportInput, ReportSession, ReportTrial } from './report-types.js';

function prettyJson(v: unknown, what: string): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x), 2) ?? 'undefined';
  } catch (e) {
    throw new AnalysisError(`renderReport: ${what} is not JSON-serialisable (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
}

function table(head: readonly string[], rows: readonly (readonly string[])[], keyCols = 1, cls = ''): string {
  const th = head.map((h, i) => {
    const k = i < keyCols ? 'key' : cls;
    return `<th${k ? ` class="${k}"` : ''}>${esc(h)}</th>`;
  }).join('');
  const td = (c: string, i: number): string => {
    const k = i < keyCols ? 'key' : cls;
    return `<td${k ? ` class="${k}"` : ''}>${esc(c)}</td>`;
  };
  const body = rows.map((r) => '<tr>' + r.map(td).join('') + '</tr>').join('\n');
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** Each session's final `return_ma` (last non-null), skipping sessions without one. */
function finalReturns(t: ReportTrial): number[] {
  const out: number[] = [];
  for (const s of t.sessions) {
    for (let i = s.rows.length - 1; i >= 0; i--) {
      const v = s.rows[i].return_ma;
      if (v !== null && v !== undefined && Number.isFinite(v)) {
        out.push(v);
        break;
      }
    }
  }
  return out;
}

function trialTables(input: ReportInput, target: number | null): string {
  const metrics = table(
    ['trial', ...TRIAL_METRIC_NAMES],
    input.trials.map((t) => [t.name, ...TRIAL_METRIC_NAMES.map((k) => formatNumber(t.metrics[k]))]),
  );
  const statsRows = input.trials.map((t) => {
    const finals = finalReturns(t);
    const solved = target === null ? [] : [`${t.sessions.filter((s) => framesToTarget(s.rows, target) !== null).length}/${t.sessions.length}`];
    if (finals.length === 0) return [t.name, '0', '—', '—', '—', ...solved];
    const st = trialReturnStats(finals, { seed: input.seed ?? 0 });
    return [t.name, String(st.n), formatEstimate(st.mean), formatEstimate(st.median), formatEstimate(st.iqm), ...solved];
  });
  const head = ['trial', 'sessions', 'mean [95% CI]', 'median [95% CI]', 'IQM [95% CI]', ...(target === null ? [] : [`reached ${target}`])];
  return (
    metrics +
    `<h3>Final return (each session's mean of its last 100 episodes) across sessions</h3>` +
    `<p class="sub">95% percentile-bootstrap intervals, 2000 resamples, seed ${esc(String(input.seed ?? 0))}; IQM = mean of the middle half (scipy trim_mean 0.25).</p>` +
    table(head, statsRows)
  );
}

function sessionTable(input: ReportInput, target: number | null): string {
  const extra = target === null ? [] : ['frames to target', 'seconds to target'];
  const rows = input.trials.flatMap((t) =>
    t.sessions.map((s) => [
      t.name,
      s.name,
      ...SESSION_METRIC_NAMES.map((k) => formatNumber(s.metrics[k])),
      ...(target === null ? [] : [formatNumber(framesToTarget(s.rows, target)), formatNumber(secondsToTarget(s.rows, target))]),
    ]),
  );
  return table(['trial', 'session', ...SESSION_METRIC_NAMES, ...extra], rows, 2);
}

function figure(name: string, svg: string): string {
  return `<figure class="plot" data-plot-name="${esc(name)}">${svg}<figcaption>${esc(name)}</figcaption></figure>`;
}

function sessionFigures(t: ReportTrial, s: ReportSession, target: number | null): string {
  const plots = sessionPlots(s.rows, { title: `${t.name} ${s.name}`, target });
  return Object.entries(plots).map(([k, svg]) => figure(`${t.name} ${s.name} ${k}`, svg ?? '')).join('\n');
}

/** The recording as an <img> with a data: URL (the page's policy allows images from data: only). */
function recordingSection(input: ReportInput): string {
  const r = input.recording;
  if (r === undefined) return '';
  const src = `data:image/gif;base64,${Buffer.from(r.gif.buffer, r.gif.byteOffset, r.gif.byteLength).toString('base64')}`;
  return `<h2>Recording</h2>\n<figure class="recording"><img id="recording" src="${src}" alt="${esc(r.caption)}"><figcaption>${esc(r.caption)}</figcaption></figure>\n`;
}

function plotsSection(input: ReportInput, target: number | null): string {
  let out = '<h2>Plots</h2><p class="sub">Hover a plot to read the nearest point; click a legend entry to hide or show its series.</p>';
  out += '<div class="plots">';
  for (const t of input.trials) {
    if (t.sessions.length === 0) continue;
    out += figure(`${t.name} trial`, trialPlot(t.sessions.map((s) => s.rows), { title: t.name, target, seed: input.seed ?? 0 }));
  }
  out += '</div>';
  if (input.experiment) {
    const e = input.experiment;
    out += '<h3>Experiment</h3><div class="plots">';
    for (const [hp, svg] of Object.entries(experimentPlots(e.rows, { hyperparameters: e.hyperparameters, metric: e.metric }))) {
      out += figure(`experiment ${hp}`, svg);
    }
    out += '</div>';
  }
  if (input.sessionPlots ?? input.trials.length === 1) {
    for (const t of input.trials) {
      for (const s of t.sessions) out += `<h3>${esc(t.name)} ${esc(s.name)}</h3><div class="plots">${sessionFigures(t, s, target)}</div>`;
    }
  }
  return out;
}

/** The report page as HTML text (see the module comment). */
export function renderReport(input: ReportInput): string {
  if (typeof input.title !== 'string') throw new AnalysisError('renderReport: title must be a string');
  if (!Array.isArray(input.trials)) throw new AnalysisError('renderReport: trials must be an array of trials');
  const target = input.envId === undefined ? null : envTarget(input.envId);
  const specJson = prettyJson(input.spec, 'spec');
  const provenance = Object.entries(input.provenance ?? {}).map(([k, v]) => [k, formatValue(v)]);
  const hash = createHash('sha256').update(REPORT_SCRIPT, 'utf8').digest('base64');
  // only constant text and a base64 hash: nothing here needs escaping
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const sub = [input.envId ? `env ${input.envId}` : '', target === null ? '' : `target return ${target}`, `${input.trials.length} trial${input.trials.length === 1 ? '' : 's'}`]
    .filter((s) => s !== '')
    .join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>${esc(input.title)}</h1>
<p class="sub">${esc(sub)}</p>
<h2>Spec</h2>
<details><summary>spec.json</summary><pre class="json">${esc(specJson)}</pre></details>
<h2>Provenance</h2>
${table(['key', 'value'], provenance, 1, 'text')}
<h2>Trial metrics</h2>
${trialTables(input, target)}
<h2>Session metrics</h2>
${sessionTable(input, target)}
${recordingSection(input)}${plotsSection(input, target)}
<div id="tooltip" role="status" hidden></div>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}
