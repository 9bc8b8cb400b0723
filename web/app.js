// The loadcast dashboard: one page whose views are picked by the address after '#'. Every view
// reads the JSON API through load(), which answers either from the server or, in a report written
// by `loadcast report`, from the API answers embedded in window.LOADCAST_REPORT.
'use strict';

const REPORT = window.LOADCAST_REPORT || null;
const TOKEN = new URLSearchParams(location.search).get('token');
// The server's CSRF token, which every request that changes something must carry (the page the
// server serves has it in a meta tag; a report has none, and changes nothing).
const CSRF_TOKEN = document.querySelector('meta[name="loadcast-csrf-token"]')?.content || null;

const HORIZONS = ['year', 'day'];
const SEVERITIES = ['critical', 'warning', 'info'];
const SOURCES = ['validation', 'drift', 'performance', 'prediction', 'pipeline'];
const SERIES_STATUSES = ['ok', 'warning', 'failed'];
const SERIES_LIMIT = 500;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DASH = '–';
const THIN_SPACE = '\u2009';

const COLORS = {
  muted: '#5f6b7a',
  grid: '#e6eaef',
  forecast: '#2f6db5',
  actual: '#1d2733',
  bandEdge: 'rgba(47, 109, 181, 0.35)',
  bandFill: 'rgba(47, 109, 181, 0.14)',
  residual: '#6a5d9e',
  residualFill: 'rgba(106, 93, 158, 0.16)',
  naive: '#a9b4c2',
  warning: '#c27c0e',
  critical: '#c53030',
};
const CHART_FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

// ---------------------------------------------------------------------------------------------
// Data

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** The JSON answer of a GET of the API path `path` (with its query). */
async function load(path) {
  return REPORT ? loadFromReport(path) : request('GET', path);
}

async function request(method, path) {
  const headers = { Accept: 'application/json' };
  if (TOKEN) headers.Authorization = `Bearer ${TOKEN}`;
  if (method !== 'GET' && CSRF_TOKEN) headers['X-CSRF-Token'] = CSRF_TOKEN;
  let response;
  try {
    response = await fetch(path, { method, headers });
  } catch (error) {
    throw new ApiError(null, `Could not reach the server for ${path} (${error.message}).`);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body?.error?.message || `${path}: ${response.status} ${response.statusText}`,
    );
  }
  if (body === null) throw new ApiError(response.status, `${path}: the answer is not JSON.`);
  return body;
}

// A report embeds each list once, unfiltered; the filtered paths a view asks for are answered
// from it here, the way the server would answer them.
const REPORT_FILTERS = {
  '/api/alerts': filterAlerts,
  '/api/models': filterModels,
  '/api/series': filterSeries,
};

function reportHas(path) {
  return Object.prototype.hasOwnProperty.call(REPORT.data || {}, path);
}

function loadFromReport(path) {
  if (reportHas(path)) return REPORT.data[path];
  const [base, query] = splitQuery(path);
  if (REPORT_FILTERS[base] && reportHas(base)) {
    return REPORT_FILTERS[base](REPORT.data[base], new URLSearchParams(query));
  }
  throw new ApiError(null, `${path} is not part of this report.`);
}

/** Whether load(path) can answer: always with a server, only for what a report holds. */
function available(path) {
  if (!REPORT) return true;
  const [base] = splitQuery(path);
  return reportHas(path) || Boolean(REPORT_FILTERS[base] && reportHas(base));
}

function listParam(params, key) {
  return (params.get(key) || '').split(',').filter(Boolean);
}

function filterAlerts(body, params) {
  const severities = listParam(params, 'severity');
  const sources = listParam(params, 'source');
  const since = params.get('since');
  const until = params.get('until');
  const unacknowledged = params.get('unacknowledged') === '1';
  const limit = Number(params.get('limit')) || 200;
  const alerts = body.alerts.filter((alert) => {
    const day = alert.created_at.slice(0, 10);
    return (
      (!severities.length || severities.includes(alert.severity)) &&
      (!sources.length || sources.includes(alert.source)) &&
      (!since || day >= since) &&
      (!until || day <= until) &&
      (!unacknowledged || !alert.acknowledged)
    );
  });
  return { alerts: alerts.slice(0, limit) };
}

function filterModels(body, params) {
  const horizon = params.get('horizon');
  const keep = (row) => !horizon || row.horizon === horizon;
  return {
    models: body.models.filter(keep),
    aliases: body.aliases.filter(keep),
    decisions: body.decisions.filter(keep),
  };
}

/** A report's `/api/series`, when it holds one: one series run, its first series by name. */
function filterSeries(body, params) {
  const run = params.get('run');
  if (run && Number(run) !== body.run_id) {
    throw new ApiError(null, `Series run #${run} is not part of this report.`);
  }
  const q = params.get('q') || '';
  const status = params.get('status') || '';
  const limit = Number(params.get('limit')) || SERIES_LIMIT;
  const series = body.series.filter(
    (row) => (!status || row.status === status) && row.series.includes(q),
  );
  // Array sort is stable: equal MAPEs keep their order by name, as on the server.
  if (params.get('sort') === 'mape') series.sort((a, b) => (b.mape ?? -1) - (a.mape ?? -1));
  return {
    ...body,
    matched: series.length,
    series: series.slice(0, limit),
    partial: body.matched > body.series.length,
  };
}

function splitQuery(text) {
  const at = text.indexOf('?');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** `path` with the non-empty `params` as a query; lists are joined with commas. */
function withQuery(path, params) {
  const pairs = Object.entries(params)
    .map(([key, value]) => [key, [].concat(value ?? []).filter((v) => v !== '')])
    .filter(([, values]) => values.length)
    .map(([key, values]) => `${key}=${values.map(encodeURIComponent).join(',')}`);
  return pairs.length ? `${path}?${pairs.join('&')}` : path;
}

// ---------------------------------------------------------------------------------------------
// Formatting: null and missing numbers show as a dash.

function isNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

function formatNumber(value, decimals) {
  if (!isNumber(value)) return DASH;
  const digits = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = digits.split('.');
  const sign = value < 0 && Number(digits) !== 0 ? '-' : '';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, THIN_SPACE);
  return sign + grouped + (fraction ? `.${fraction}` : '');
}

function formatPercent(value) {
  return isNumber(value) ? `${formatNumber(value, 2)} %` : DASH;
}

function formatSignedPercent(value) {
  return isNumber(value) && value > 0 ? `+${formatPercent(value)}` : formatPercent(value);
}

function formatFractionAsPercent(value) {
  return isNumber(value) ? formatPercent(value * 100) : DASH;
}

function formatMwh(value) {
  return isNumber(value) ? `${formatNumber(value, 0)} MWh` : DASH;
}

function formatSkill(value) {
  return formatNumber(value, 2);
}

/** A statistic of unknown scale: fewer decimals the larger it is. */
function formatFigure(value) {
  if (!isNumber(value)) return DASH;
  const size = Math.abs(value);
  if (size !== 0 && size < 0.001) return value.toExponential(1);
  return formatNumber(value, size >= 1000 ? 0 : size >= 10 ? 2 : 3);
}

function formatByMetric(metric, value) {
  return metric === 'mape' ? formatPercent(value) : metric ? formatMwh(value) : formatFigure(value);
}

/** An ISO UTC time to the minute, "2021-03-01 06:00". */
function formatTime(iso) {
  return iso ? iso.slice(0, 16).replace('T', ' ') : DASH;
}

function formatDuration(seconds) {
  if (!isNumber(seconds)) return DASH;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatPeriod(start, end) {
  if (!start && !end) return DASH;
  return !end || start === end ? start : `${start} – ${end}`;
}

function formatText(value) {
  return value === null || value === undefined || value === '' ? DASH : String(value);
}

function shortHash(hash) {
  return hash ? h('code', { title: hash }, hash.slice(0, 12)) : DASH;
}

// ---------------------------------------------------------------------------------------------
// DOM helpers

/** Creates `tag` ("div.card.wide"); attributes named on* become listeners, `dataset` data-*. */
function h(tag, attributes, ...children) {
  const [name, ...classes] = tag.split('.');
  const element = document.createElement(name);
  element.classList.add(...classes);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key === 'class') element.classList.add(...value.split(' ').filter(Boolean));
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  element.append(
    ...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false),
  );
  return element;
}

function pageHead(title, ...extras) {
  return h('div.page-head', null, h('h1', null, title), extras);
}

function section(title, ...content) {
  return h('section.section', null, h('h2', null, title), content);
}

/** Text that may wrap between `parts` but never inside one (a date would break at a hyphen). */
function unbroken(...parts) {
  const spans = parts.filter(Boolean).map((part) => h('span', null, part));
  return h(
    'span.unbroken',
    null,
    spans.flatMap((span, i) => (i ? [' ', span] : [span])),
  );
}

function period(start, end) {
  return !end || start === end ? formatPeriod(start, end) : unbroken(`${start} –`, end);
}

function empty(text) {
  return h('p.empty', null, text);
}

function errorBox(error) {
  const title = error.status ? `Error ${error.status}` : 'Not available';
  return h('div.error', { role: 'alert' }, h('strong', null, title), ' ', error.message);
}

function badge(text, tone, title) {
  return h('span.badge', { class: `tone-${tone}`, title }, text);
}

const STATUS_TONES = {
  ok: 'ok',
  pass: 'ok',
  succeeded: 'ok',
  warn: 'warning',
  warning: 'warning',
  rejected: 'warning',
  fail: 'critical',
  failed: 'critical',
  critical: 'critical',
  running: 'running',
  info: 'info',
};

function statusBadge(status, title) {
  return badge(formatText(status), STATUS_TONES[status] || 'neutral', title);
}

// A decision that rejects a candidate is the gate doing its job, not a fault.
const OUTCOME_TONES = { promoted: 'ok', rejected: 'neutral', rolled_back: 'warning' };

function outcomeBadge(outcome) {
  return badge(formatText(outcome).replace('_', ' '), OUTCOME_TONES[outcome] || 'neutral');
}

/** A link to a view, or plain text when a report does not hold what the view loads. */
function viewLink(href, apiPath, text) {
  return available(apiPath) ? h('a', { href }, text) : h('span.unavailable', null, text);
}

function runLink(id) {
  return id === null || id === undefined
    ? DASH
    : viewLink(`#/runs/${id}`, `/api/runs/${id}`, `#${id}`);
}

function yearHref(year, horizon) {
  return `#/year/${year}?horizon=${horizon}`;
}

function yearApiPath(year, horizon) {
  return `/api/years/${year}?horizon=${encodeURIComponent(horizon)}`;
}

function yearLink(year, horizon) {
  return viewLink(yearHref(year, horizon), yearApiPath(year, horizon), String(year));
}

/**
 * A table of `rows`; each column is {label, cell: row => node or text, numeric}. Rows are drawn by
 * tableRow, which also redraws a single row (an acknowledged alert).
 */
function table(columns, rows, emptyText = 'None.') {
  if (!rows.length) return empty(emptyText);
  const head = columns.map((c) => h('th', { class: c.numeric ? 'num' : null }, c.label));
  const body = rows.map((row) => tableRow(columns, row));
  return h(
    'div.table-wrap',
    null,
    h('table', null, h('thead', null, h('tr', null, head)), h('tbody', null, body)),
  );
}

function tableRow(columns, row) {
  const cells = columns.map((c) => h('td', { class: c.numeric ? 'num' : null }, c.cell(row)));
  return h('tr', null, cells);
}

// ---------------------------------------------------------------------------------------------
// Metric cards

const METRICS = [
  { key: 'mape', label: 'MAPE', format: formatPercent },
  { key: 'mae', label: 'MAE', format: formatMwh },
  { key: 'rmse', label: 'RMSE', format: formatMwh },
  { key: 'bias', label: 'Bias', format: formatMwh, note: 'forecast − actual' },
  { key: 'skill', label: 'Skill', format: formatSkill, note: 'vs seasonal naive' },
  { key: 'naive_mape', label: 'Naive MAPE', format: formatPercent },
  { key: 'coverage', label: 'Interval coverage', format: formatPercent },
];

/** The cards of `scores`; coverage only where the scores carry it (a year's scores do not). */
function metricCards(scores, horizon, year) {
  const metrics = METRICS.filter((m) => m.key !== 'coverage' || (scores && 'coverage' in scores));
  return h(
    'div.cards',
    null,
    metrics.map((m) => metricCard(m, scores, horizon, year)),
  );
}

function metricCard(metric, scores, horizon, year) {
  const value = scores ? (scores[metric.key] ?? null) : null;
  const dataset = { metric: metric.key, horizon, year: String(year), value: String(value) };
  return h(
    'div.card',
    { dataset },
    h('div.card-label', null, metric.label),
    h('div.card-value', null, metric.format(value)),
    metric.note ? h('div.card-note', null, metric.note) : null,
  );
}

// ---------------------------------------------------------------------------------------------
// Charts (uPlot). A chart box keeps how to build its chart; the chart is drawn once the box is
// in the page, at the box's width, and follows the box's width afterwards.

const charts = new Map();
const chartResizer = new ResizeObserver((entries) => {
  requestAnimationFrame(() => entries.forEach((entry) => fitChart(entry.target)));
});

function chartBox(name, build) {
  const box = h('div.chart', { dataset: { chart: name } });
  box.buildChart = build;
  return box;
}

function chartHeight(width) {
  return width < 560 ? 220 : 300;
}

function drawCharts(root) {
  for (const box of root.querySelectorAll('.chart')) {
    const { options, data } = box.buildChart();
    const width = box.clientWidth;
    charts.set(box, new uPlot({ ...options, width, height: chartHeight(width) }, data, box));
    chartResizer.observe(box);
  }
}

function fitChart(box) {
  const plot = charts.get(box);
  const width = box.clientWidth;
  if (plot && width !== plot.width) plot.setSize({ width, height: chartHeight(width) });
}

function destroyCharts() {
  for (const [box, plot] of charts) {
    chartResizer.unobserve(box);
    plot.destroy();
  }
  charts.clear();
}

function dateSeconds(isoDate) {
  return Date.parse(`${isoDate}T00:00:00Z`) / 1000;
}

function axis(extra) {
  return {
    stroke: COLORS.muted,
    font: CHART_FONT,
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1, size: 4 },
    ...extra,
  };
}

/** A y axis wide enough for its longest label. */
function valueAxis(format) {
  return axis({
    values: (u, splits) => splits.map(format),
    size: (u, values) => (values ? 14 + 6.5 * Math.max(0, ...values.map((v) => v.length)) : 40),
  });
}

/** An axis with a label at each of `splits`; `label(value, crowded)` may shorten it. */
function categoryAxis(splits, label) {
  const values = (u, ticks) => {
    const crowded = u.bbox.width / (window.devicePixelRatio || 1) / ticks.length < 36;
    return ticks.map((tick, i) => label(tick, crowded, i));
  };
  return axis({ splits: () => splits, values, grid: { show: false } });
}

function timeOptions() {
  return {
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'UTC'),
    scales: { x: { time: true } },
  };
}

function dateSeries() {
  return {
    label: 'Date',
    value: (u, s) => (s === null ? DASH : new Date(s * 1000).toISOString().slice(0, 10)),
  };
}

function lineSeries(label, stroke, width, format, extra) {
  return { label, stroke, width, points: { show: false }, value: (u, v) => format(v), ...extra };
}

function barSeries(label, fill, align, format, extra) {
  return {
    label,
    fill,
    stroke: fill,
    width: 0,
    points: { show: false },
    paths: uPlot.paths.bars({ size: [0.36, 40], align, gap: 1 }),
    value: (u, v) => format(v),
    ...extra,
  };
}

function zeroBasedRange(extraValues) {
  return (u, min, max) => [0, Math.max(max, ...extraValues) * 1.15 || 1];
}

/** The forecast in its interval band, and the actuals unless `actuals` is false. */
function forecastChart(days, { actuals = true } = {}) {
  const column = (key) => days.map((d) => d[key]);
  const mwh = (v) => formatNumber(v, 0);
  const series = [
    dateSeries(),
    lineSeries('Lower', COLORS.bandEdge, 1, mwh),
    lineSeries('Upper', COLORS.bandEdge, 1, mwh),
    lineSeries('Forecast', COLORS.forecast, 1.5, mwh),
  ];
  const data = [
    days.map((d) => dateSeconds(d.date)),
    column('lower'),
    column('upper'),
    column('forecast'),
  ];
  if (actuals) {
    series.push(lineSeries('Actual', COLORS.actual, 1.25, mwh));
    data.push(column('actual'));
  }
  return {
    options: {
      ...timeOptions(),
      series,
      bands: [{ series: [2, 1], fill: COLORS.bandFill }],
      axes: [axis(), valueAxis(mwh)],
    },
    data,
  };
}

function residualsChart(days) {
  const mwh = (v) => formatNumber(v, 0);
  return {
    options: {
      ...timeOptions(),
      series: [
        dateSeries(),
        lineSeries('Actual − forecast', COLORS.residual, 1, mwh, {
          fill: COLORS.residualFill,
          fillTo: 0,
        }),
      ],
      axes: [axis(), valueAxis(mwh)],
    },
    data: [days.map((d) => dateSeconds(d.date)), days.map((d) => d.residual)],
  };
}

function thresholdLines(thresholds) {
  return [
    { label: 'warning', value: thresholds?.monthly_mape_warning, color: COLORS.warning },
    { label: 'critical', value: thresholds?.monthly_mape_critical, color: COLORS.critical },
  ].filter((line) => isNumber(line.value));
}

function monthColor(mape, lines) {
  const crossed = lines.filter((line) => isNumber(mape) && mape >= line.value);
  return crossed.length ? crossed[crossed.length - 1].color : COLORS.forecast;
}

function monthlyChart(months, lines) {
  const x = months.map((m) => Number(m.period.slice(5, 7)));
  const mape = months.map((m) => m.mape);
  const colors = mape.map((v) => monthColor(v, lines));
  const percent = (v) => formatNumber(v, 2);
  const bars = barSeries('MAPE %', COLORS.forecast, 0, percent, {
    paths: uPlot.paths.bars({
      size: [0.6, 48],
      disp: { fill: { unit: 3, values: () => colors }, stroke: { unit: 3, values: () => colors } },
    }),
  });
  return {
    options: {
      scales: {
        x: { time: false, range: [0.5, 12.5] },
        y: { range: zeroBasedRange(lines.map((l) => l.value)) },
      },
      series: [{ label: 'Month', value: (u, m) => (m === null ? DASH : MONTHS[m - 1]) }, bars],
      axes: [
        categoryAxis(
          MONTHS.map((_, i) => i + 1),
          (m, crowded) => MONTHS[m - 1].slice(0, crowded ? 1 : 3),
        ),
        axis(),
      ],
      hooks: { draw: [(u) => drawThresholds(u, lines)] },
    },
    data: [x, mape],
  };
}

/** Dashed horizontal lines across the plot, each labelled on a clear patch at its right end. */
function drawThresholds(u, lines) {
  const { ctx, bbox } = u;
  const ratio = window.devicePixelRatio || 1;
  const right = bbox.left + bbox.width;
  ctx.save();
  ctx.lineWidth = 1.5 * ratio;
  ctx.font = CHART_FONT.replace('11px', `${11 * ratio}px`);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const line of lines) {
    const y = Math.round(u.valToPos(line.value, 'y', true));
    const text = `${line.label} ${formatNumber(line.value, 2)} %`;
    const width = ctx.measureText(text).width + 8 * ratio;
    ctx.strokeStyle = line.color;
    ctx.setLineDash([6 * ratio, 4 * ratio]);
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(right, y);
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(right - width, y - 8 * ratio, width, 16 * ratio);
    ctx.fillStyle = line.color;
    ctx.fillText(text, right - 4 * ratio, y);
  }
  ctx.restore();
}

function backtestChart(rows) {
  const years = rows.map((r) => r.target_year);
  const percent = (v) => formatNumber(v, 2);
  // Every other year when the labels would collide (a phone, a long history).
  const yearLabel = (year, crowded, i) => (crowded && i % 2 ? '' : String(year));
  return {
    options: {
      scales: {
        x: { time: false, range: [years[0] - 0.5, years[years.length - 1] + 0.5] },
        y: { range: zeroBasedRange([]) },
      },
      series: [
        { label: 'Target year', value: (u, y) => formatText(y) },
        barSeries('MAPE %', COLORS.forecast, -1, percent),
        barSeries('Seasonal naive MAPE %', COLORS.naive, 1, percent),
      ],
      axes: [categoryAxis(years, yearLabel), axis()],
    },
    data: [years, rows.map((r) => r.mape), rows.map((r) => r.naive_mape)],
  };
}

// ---------------------------------------------------------------------------------------------
// Shared tables

const RUN_COLUMNS = [
  { label: 'Run', cell: (r) => runLink(r.id) },
  { label: 'Command', cell: (r) => r.command },
  { label: 'Year', cell: (r) => formatText(r.target_year) },
  { label: 'Horizon', cell: (r) => formatText(r.horizon) },
  { label: 'Status', cell: (r) => statusBadge(r.status, r.message || null) },
  { label: 'Started (UTC)', cell: (r) => formatTime(r.started_at) },
  { label: 'Duration', cell: (r) => formatDuration(r.duration_seconds), numeric: true },
];

const CHECK_COLUMNS = [
  { label: 'Check', cell: (c) => h('code', null, c.check) },
  { label: 'Status', cell: (c) => statusBadge(c.status) },
  { label: 'Detail', cell: (c) => formatText(c.detail) },
];

const DECISION_COLUMNS = [
  { label: 'Created (UTC)', cell: (d) => formatTime(d.created_at) },
  { label: 'Horizon', cell: (d) => d.horizon },
  { label: 'Action', cell: (d) => d.action },
  { label: 'Outcome', cell: (d) => outcomeBadge(d.outcome) },
  { label: 'Candidate', cell: (d) => `#${d.candidate_id}` },
  { label: 'Champion', cell: (d) => (d.champion_id === null ? DASH : `#${d.champion_id}`) },
  { label: 'Metric', cell: (d) => formatText(d.metric) },
  {
    label: 'Candidate value',
    cell: (d) => formatByMetric(d.metric, d.candidate_value),
    numeric: true,
  },
  {
    label: 'Champion value',
    cell: (d) => formatByMetric(d.metric, d.champion_value),
    numeric: true,
  },
  { label: 'Improvement', cell: (d) => formatFractionAsPercent(d.improvement), numeric: true },
  { label: 'Required', cell: (d) => formatFractionAsPercent(d.min_improvement), numeric: true },
  { label: 'Reason', cell: (d) => h('span.text', null, formatText(d.reason)) },
];

function modelName(model) {
  return model ? `#${model.id} v${model.number} · ${model.kind}` : DASH;
}

/** Years as "2017–2019" when consecutive, else listed. */
function formatYears(years) {
  const consecutive = years.every((year, i) => i === 0 || year === years[i - 1] + 1);
  return consecutive && years.length > 2
    ? `${years[0]}–${years[years.length - 1]}`
    : years.join(', ');
}

function validationText(validation) {
  if (!validation) return DASH;
  const years = validation.years?.length ? ` over ${formatYears(validation.years)}` : '';
  return `${formatPercent(validation.mean?.mape)}${years}`;
}

function validationSummary(validation) {
  if (!validation) return DASH;
  const years = validation.years?.length ? `over ${formatYears(validation.years)}` : null;
  return unbroken(`MAPE ${formatPercent(validation.mean?.mape)}`, years);
}

function aliasBadges(model, aliases) {
  return (model.aliases || []).map((alias) => {
    const since = aliases.find((a) => a.model_id === model.id && a.alias === alias)?.updated_at;
    return badge(
      alias,
      alias === 'champion' ? 'ok' : 'info',
      since ? `since ${formatTime(since)} UTC` : null,
    );
  });
}

function modelColumns(aliases) {
  return [
    { label: 'Id', cell: (m) => `#${m.id}` },
    { label: 'Horizon', cell: (m) => m.horizon },
    { label: 'Number', cell: (m) => `v${m.number}` },
    { label: 'Version', cell: (m) => shortHash(m.version) },
    { label: 'Kind', cell: (m) => m.kind },
    { label: 'Target year', cell: (m) => formatText(m.target_year) },
    { label: 'Trained on', cell: (m) => formatPeriod(m.trained_from, m.trained_to) },
    { label: 'Validation MAPE', cell: (m) => validationText(m.validation), numeric: true },
    { label: 'Aliases', cell: (m) => aliasBadges(m, aliases) },
    { label: 'Created (UTC)', cell: (m) => formatTime(m.created_at) },
  ];
}

// ---------------------------------------------------------------------------------------------
// Alerts table, with acknowledgement

function alertColumns(notices) {
  return [
    { label: 'Id', cell: (a) => String(a.id) },
    { label: 'Created (UTC)', cell: (a) => formatTime(a.created_at) },
    { label: 'Severity', cell: (a) => badge(a.severity, a.severity) },
    {
      label: 'Source',
      cell: (a) => h('a', { href: withQuery('#/alerts', { source: a.source }) }, a.source),
    },
    { label: 'Code', cell: (a) => h('code', null, a.code) },
    {
      label: 'Year / horizon',
      cell: (a) => (a.target_year === null ? DASH : `${a.target_year} / ${formatText(a.horizon)}`),
    },
    { label: 'Period', cell: (a) => period(a.period_start, a.period_end) },
    { label: 'Value', cell: (a) => formatFigure(a.value), numeric: true },
    { label: 'Threshold', cell: (a) => formatFigure(a.threshold), numeric: true },
    { label: 'Message', cell: messageCell },
    { label: 'State', cell: (a) => ackCell(a, notices) },
  ];
}

/** The first line of the message; the rest and the subject fold out. */
function messageCell({ message, subject }) {
  const [first, ...rest] = (message || '').split('\n');
  const more = [rest.join('\n'), subject && h('small.subject', null, subject)].filter(Boolean);
  return more.length
    ? h('details.text', null, h('summary', null, first), more)
    : h('span.text', null, first || DASH);
}

function ackCell(alert, notices) {
  if (alert.acknowledged) {
    return h(
      'span.acked',
      null,
      badge('acknowledged', 'neutral'),
      h('small', null, formatTime(alert.acknowledged_at)),
    );
  }
  return h(
    'span.acked',
    null,
    badge('open', alert.severity),
    REPORT
      ? null
      : h(
          'button.ack',
          { type: 'button', onclick: (e) => acknowledge(alert, e.target, notices) },
          'Acknowledge',
        ),
  );
}

async function acknowledge(alert, button, notices) {
  button.disabled = true;
  try {
    const body = await request('POST', `/api/alerts/${alert.id}/ack`);
    button.closest('tr').replaceWith(tableRow(alertColumns(notices), body.alert));
    const note = body.already_acknowledged ? 'was already acknowledged' : 'acknowledged';
    notices.replaceChildren(h('div.notice', { role: 'status' }, `Alert ${alert.id} ${note}.`));
  } catch (error) {
    button.disabled = false;
    notices.replaceChildren(errorBox(error));
  }
}

function alertsTable(alerts, emptyText) {
  const notices = h('div.notices');
  return h('div', null, notices, table(alertColumns(notices), alerts, emptyText));
}

// ---------------------------------------------------------------------------------------------
// Views. Each returns the nodes of its page; the router mounts them and draws their charts.

async function renderOverview() {
  const overview = await load('/api/overview');
  return [
    pageHead(
      'Overview',
      h('span.meta', null, `Generated ${formatTime(overview.generated_at)} UTC`),
    ),
    h('div.horizons', null, overview.horizons.map(horizonPanel)),
    section('Open alerts', openAlerts(overview.alerts)),
    section('Latest runs', table(RUN_COLUMNS, overview.runs, 'No runs yet.')),
  ];
}

function horizonPanel({ horizon, champion, challenger, validation, latest }) {
  return h(
    'section.panel',
    { dataset: { horizon } },
    h('h2', null, `Horizon: ${horizon}`),
    h(
      'div.roles',
      null,
      modelSummary('Champion', champion, validation),
      modelSummary('Challenger', challenger, challenger?.validation),
    ),
    latest
      ? [
          h(
            'h3',
            null,
            'Latest evaluated year ',
            yearLink(latest.target_year, horizon),
            h('span.meta', null, ' · run ', runLink(latest.run_id)),
          ),
          metricCards(latest, horizon, latest.target_year),
        ]
      : empty('No target year evaluated yet.'),
  );
}

function modelSummary(role, model, validation) {
  if (!model) return h('div.role', null, h('h3', null, role), empty('None'));
  return h(
    'div.role',
    null,
    h('h3', null, role, ' ', badge(`v${model.number}`, role === 'Champion' ? 'ok' : 'info')),
    h(
      'dl',
      null,
      h('dt', null, 'Model'),
      h('dd', null, `#${model.id} · ${model.kind}`),
      h('dt', null, 'Trained on'),
      h('dd', null, period(model.trained_from, model.trained_to)),
      h('dt', null, 'Validation'),
      h('dd', null, validationSummary(validation)),
    ),
  );
}

function openAlerts(alerts) {
  const tiles = SEVERITIES.map((severity) =>
    h(
      'a.tile',
      {
        class: `tone-${severity}`,
        dataset: { severity },
        href: withQuery('#/alerts', { severity, unacknowledged: '1' }),
      },
      h('span.tile-count', null, String(alerts.open[severity] ?? 0)),
      h('span.tile-label', null, severity),
    ),
  );
  const total = h(
    'a.tile.tile-total',
    { href: '#/alerts' },
    h('span.tile-count', null, String(alerts.total)),
    h('span.tile-label', null, 'total on record'),
  );
  return h('div.tiles', null, tiles, total);
}

async function renderLatestYear(params) {
  const year = REPORT ? REPORT.target_year : (await load('/api/overview')).latest_target_year;
  if (!isNumber(year)) throw new ApiError(null, 'No target year has been evaluated yet.');
  const horizon = params.get('horizon') || defaultHorizon();
  history.replaceState(null, '', yearHref(year, horizon));
  return renderYear(params, String(year));
}

function defaultHorizon() {
  return REPORT?.horizons?.[0] || HORIZONS[0];
}

async function renderYear(params, yearText) {
  const year = Number(yearText);
  const horizon = params.get('horizon') || defaultHorizon();
  const head = yearHead(year, horizon);
  let data;
  try {
    data = await load(yearApiPath(year, horizon));
  } catch (error) {
    return [head, errorBox(error)];
  }
  const lines = thresholdLines(data.thresholds);
  const months = data.metrics?.months || [];
  return [
    head,
    h(
      'p.meta',
      null,
      'Forecast run ',
      runLink(data.forecast_run_id),
      ' · model ',
      modelName(data.model),
    ),
    metricCards(data.metrics?.year ?? null, horizon, year),
    section(
      'Forecast and actuals',
      chartBox('forecast', () => forecastChart(data.days)),
      h('p.caption', null, 'Daily load in MWh; the band is the prediction interval.'),
    ),
    section(
      'Residuals',
      chartBox('residuals', () => residualsChart(data.days)),
      h('p.caption', null, 'Actual minus forecast, MWh: above zero the forecast was too low.'),
    ),
    section(
      'Monthly MAPE',
      months.length
        ? chartBox('monthly', () => monthlyChart(months, lines))
        : empty('No month scored yet.'),
      thresholdCaption(data.thresholds),
    ),
    section('Prediction checks', table(CHECK_COLUMNS, data.checks || [], 'No checks recorded.')),
    monitorSection(data.monitor),
    section(
      'Alerts of this year',
      alertLinks(data),
      alertsTable(data.alerts || [], 'No alerts for this year.'),
    ),
  ];
}

function yearHead(year, horizon) {
  const step = (target, text) =>
    viewLink(yearHref(target, horizon), yearApiPath(target, horizon), text);
  const switcher = h(
    'div.segmented',
    { role: 'group', 'aria-label': 'Horizon' },
    HORIZONS.map((option) =>
      option === horizon
        ? h('span.current', { 'aria-current': 'true' }, option)
        : viewLink(yearHref(year, option), yearApiPath(year, option), option),
    ),
  );
  return pageHead(
    `Target year ${year}`,
    h('div.pager', null, step(year - 1, `← ${year - 1}`), step(year + 1, `${year + 1} →`)),
    switcher,
  );
}

function thresholdCaption(thresholds) {
  if (!thresholds) return null;
  return h(
    'p.caption',
    null,
    `Thresholds: monthly warning ${formatPercent(thresholds.monthly_mape_warning)}, `,
    `monthly critical ${formatPercent(thresholds.monthly_mape_critical)}, `,
    `yearly warning ${formatPercent(thresholds.yearly_mape_warning)}.`,
  );
}

const DRIFT_COLUMNS = [
  { label: 'Window', cell: (w) => formatPeriod(w.start, w.end) },
  { label: 'Days', cell: (w) => formatText(w.days), numeric: true },
  { label: 'Mean shift', cell: (w) => formatSignedPercent(w.mean_shift_percent), numeric: true },
  { label: 'PSI', cell: (w) => formatFigure(w.psi), numeric: true },
  { label: 'KS', cell: (w) => formatFigure(w.ks_statistic), numeric: true },
  { label: 'KS p', cell: (w) => formatFigure(w.ks_p_value), numeric: true },
  { label: 'Wasserstein', cell: (w) => formatFigure(w.wasserstein), numeric: true },
  { label: 'Status', cell: (w) => statusBadge(w.status) },
  { label: 'Reason', cell: (w) => h('span.text', null, formatText(w.reason)) },
];

const PERFORMANCE_COLUMNS = [
  { label: 'Scope', cell: (w) => w.scope },
  { label: 'Window', cell: (w) => formatPeriod(w.start, w.end) },
  { label: 'Days', cell: (w) => formatText(w.days), numeric: true },
  { label: 'MAPE', cell: (w) => formatPercent(w.mape), numeric: true },
  { label: 'Warning', cell: (w) => formatPercent(w.warning_threshold), numeric: true },
  { label: 'Critical', cell: (w) => formatPercent(w.critical_threshold), numeric: true },
  { label: 'Status', cell: (w) => statusBadge(w.status) },
];

function monitorSection(monitor) {
  if (!monitor) return section('Monitor', empty('No monitor run yet.'));
  return section(
    'Monitor',
    h(
      'p.meta',
      null,
      'Monitor run ',
      runLink(monitor.run_id),
      `, as of ${formatText(monitor.as_of)}`,
    ),
    h('h3', null, 'Drift'),
    table(DRIFT_COLUMNS, monitor.drift || [], 'No drift windows.'),
    h('h3', null, 'Performance'),
    table(PERFORMANCE_COLUMNS, monitor.performance || [], 'No performance windows.'),
  );
}

function alertLinks(data) {
  const sources = [...new Set((data.alerts || []).map((a) => a.source))];
  return h(
    'p.meta.links',
    null,
    h('a', { href: withQuery('#/alerts', { unacknowledged: '1' }) }, 'All open alerts'),
    sources.map((source) => [
      ' · ',
      h('a', { href: withQuery('#/alerts', { source }) }, `${source} alerts`),
    ]),
    ' · forecast run ',
    runLink(data.forecast_run_id),
    data.monitor ? [' · monitor run ', runLink(data.monitor.run_id)] : null,
  );
}

async function renderBacktests() {
  const body = await load('/api/backtests');
  return [
    pageHead(
      'Backtests',
      h('span.meta', null, 'The latest backtest of each target year, beside the seasonal naive'),
    ),
    HORIZONS.map((horizon) => backtestSection(horizon, body.horizons?.[horizon] || [])),
  ];
}

const BACKTEST_COLUMNS = [
  { label: 'Year', cell: (r) => String(r.target_year) },
  { label: 'MAPE', cell: (r) => formatPercent(r.mape), numeric: true },
  { label: 'Naive MAPE', cell: (r) => formatPercent(r.naive_mape), numeric: true },
  { label: 'Skill', cell: (r) => formatSkill(r.skill), numeric: true },
  { label: 'Coverage', cell: (r) => formatPercent(r.coverage), numeric: true },
];

function backtestSection(horizon, rows) {
  const sorted = [...rows].sort((a, b) => a.target_year - b.target_year);
  return section(
    `Horizon: ${horizon}`,
    h(
      'div.split',
      null,
      sorted.length ? chartBox(`backtest-${horizon}`, () => backtestChart(sorted)) : null,
      table(BACKTEST_COLUMNS, sorted, 'No backtests for this horizon.'),
    ),
  );
}

function alertFilters(params) {
  return {
    severity: listParam(params, 'severity'),
    source: params.get('source') || '',
    since: params.get('since') || '',
    until: params.get('until') || '',
    unacknowledged: params.get('unacknowledged') === '1' ? '1' : '',
  };
}

async function renderAlerts(params) {
  const filters = alertFilters(params);
  const form = alertFilterForm(filters);
  let body;
  try {
    body = await load(withQuery('/api/alerts', filters));
  } catch (error) {
    return [pageHead('Alerts'), form, errorBox(error)];
  }
  const count = `${body.alerts.length} alert${body.alerts.length === 1 ? '' : 's'}`;
  return [
    pageHead('Alerts', h('span.meta', null, count)),
    form,
    alertsTable(body.alerts, 'No alerts match these filters.'),
  ];
}

function alertFilterForm(filters) {
  const sources = [
    '',
    ...SOURCES,
    ...(filters.source && !SOURCES.includes(filters.source) ? [filters.source] : []),
  ];
  const form = h(
    'form.filters',
    {
      onchange: () => applyAlertFilters(form),
      onsubmit: (e) => {
        e.preventDefault();
        applyAlertFilters(form);
      },
    },
    h(
      'fieldset.severities',
      null,
      h('legend', null, 'Severity'),
      SEVERITIES.map((s) =>
        h(
          'label.check',
          null,
          h('input', {
            type: 'checkbox',
            name: 'severity',
            value: s,
            checked: filters.severity.includes(s),
          }),
          badge(s, s),
        ),
      ),
    ),
    h(
      'label.field',
      null,
      'Source',
      h(
        'select',
        { name: 'source' },
        sources.map((s) =>
          h('option', { value: s, selected: s === filters.source }, s || 'all sources'),
        ),
      ),
    ),
    h(
      'label.field',
      null,
      'Created since',
      h('input', { type: 'date', name: 'since', value: filters.since || null }),
    ),
    h(
      'label.field',
      null,
      'until',
      h('input', { type: 'date', name: 'until', value: filters.until || null }),
    ),
    h(
      'label.check.toggle',
      null,
      h('input', {
        type: 'checkbox',
        name: 'unacknowledged',
        value: '1',
        checked: filters.unacknowledged === '1',
      }),
      'Unacknowledged only',
    ),
    h('a.reset', { href: '#/alerts' }, 'Clear'),
  );
  return form;
}

function applyAlertFilters(form) {
  const values = new FormData(form);
  location.hash = withQuery('#/alerts', {
    severity: values.getAll('severity'),
    source: values.get('source'),
    since: values.get('since'),
    until: values.get('until'),
    unacknowledged: values.get('unacknowledged') || '',
  });
}

async function renderModels(params) {
  const horizon = params.get('horizon') || '';
  const body = await load(withQuery('/api/models', { horizon }));
  const choices = ['', ...HORIZONS].map((option) =>
    option === horizon
      ? h('span.current', { 'aria-current': 'true' }, option || 'all')
      : h('a', { href: withQuery('#/models', { horizon: option }) }, option || 'all'),
  );
  return [
    pageHead('Models', h('div.segmented', { role: 'group', 'aria-label': 'Horizon' }, choices)),
    section(
      'Versions',
      table(modelColumns(body.aliases || []), body.models, 'No models registered.'),
    ),
    section('Decisions', table(DECISION_COLUMNS, body.decisions, 'No decisions yet.')),
  ];
}

async function renderRun(params, id) {
  const body = await load(`/api/runs/${id}`);
  const { run } = body;
  // A run's inputs are an object of key -> SHA-256 (a text only when the stored value was not).
  const recorded = run.inputs && typeof run.inputs === 'object' ? run.inputs : {};
  const inputs = Object.entries(recorded).map(([key, sha256]) => ({ key, sha256 }));
  return [
    pageHead(`Run #${run.id}`, statusBadge(run.status)),
    h(
      'dl.facts',
      null,
      fact('Command', run.command),
      fact(
        'Target year',
        run.target_year === null
          ? DASH
          : yearLink(run.target_year, run.horizon || defaultHorizon()),
      ),
      fact('Horizon', formatText(run.horizon)),
      fact('Started (UTC)', formatTime(run.started_at)),
      fact('Finished (UTC)', formatTime(run.finished_at)),
      fact('Duration', formatDuration(run.duration_seconds)),
      fact('Config hash', shortHash(run.config_hash)),
      fact('Message', h('span.text', null, formatText(run.message))),
    ),
    section(
      'Inputs',
      table(
        [
          { label: 'Object', cell: (i) => h('code', null, i.key) },
          { label: 'SHA-256', cell: (i) => h('code.hash', null, i.sha256 || DASH) },
        ],
        inputs,
        'No inputs recorded.',
      ),
    ),
    section('Model', body.model ? table(modelColumns([]), [body.model]) : empty('No model.')),
    section('Checks', table(CHECK_COLUMNS, body.checks || [], 'No checks recorded.')),
    section('Alerts', alertsTable(body.alerts || [], 'No alerts raised.')),
    section('Decisions', table(DECISION_COLUMNS, body.decisions || [], 'No decisions.')),
    section('Configuration', h('pre.config', null, body.config || DASH)),
  ];
}

function fact(term, value) {
  return h('div', null, h('dt', null, term), h('dd', null, value));
}

// ---------------------------------------------------------------------------------------------
// Series: the result of a many-series run (`loadcast series run`), and one series' forecast.

/** The list filters of a series address; `run` pins the series run, else the latest. */
function seriesFilters(params) {
  return {
    run: params.get('run') || '',
    target_year: params.get('target_year') || '',
    q: params.get('q') || '',
    status: params.get('status') || '',
    sort: params.get('sort') === 'mape' ? 'mape' : '',
  };
}

function seriesListHref(filters) {
  return withQuery('#/series', filters);
}

/** A series' page, in `run`, keeping the list filters its selector walks through. */
function seriesHref(name, run, filters) {
  const { q, status, sort } = filters || {};
  return withQuery(`#/series/${encodeURIComponent(name)}`, { run, q, status, sort });
}

function seriesApiPath(name, run) {
  return withQuery(`/api/series/${encodeURIComponent(name)}`, { run });
}

function seriesLink(name, run, filters) {
  return viewLink(seriesHref(name, run, filters), seriesApiPath(name, run), name);
}

const SERIES_METRICS = METRICS.filter((m) => ['mape', 'mae', 'rmse', 'bias'].includes(m.key));

function seriesColumns(run, filters) {
  return [
    { label: 'Series', cell: (s) => seriesLink(s.series, run, filters) },
    { label: 'Status', cell: (s) => statusBadge(s.status, s.message || null) },
    { label: 'MAPE', cell: (s) => formatPercent(s.mape), numeric: true },
    { label: 'MAE', cell: (s) => formatMwh(s.mae), numeric: true },
    { label: 'Bias', cell: (s) => formatMwh(s.bias), numeric: true },
    { label: 'Iterations', cell: (s) => formatText(s.iterations), numeric: true },
    { label: 'Trained on', cell: (s) => period(s.train_from, s.train_to) },
    { label: 'Message', cell: (s) => h('span.text', null, formatText(s.message)) },
  ];
}

/**
 * The series selector: picking a name opens its page. `current` is the series shown, kept as an
 * option when the list does not hold it; null when a report holds no series' page.
 */
function seriesPicker(rows, run, filters, current = '') {
  const names = rows.map((row) => row.series);
  if (current && !names.includes(current)) names.unshift(current);
  if (!names.length || !available(seriesApiPath(names[0], run))) return null;
  return h(
    'label.field.series-picker',
    null,
    'Series',
    h(
      'select',
      {
        name: 'series',
        onchange: (e) => {
          if (e.target.value) location.hash = seriesHref(e.target.value, run, filters);
        },
      },
      current ? null : h('option', { value: '', selected: true }, 'Open a series…'),
      names.map((name) => h('option', { value: name, selected: name === current }, name)),
    ),
  );
}

function noSeriesRun(filters) {
  if (REPORT) {
    return section(
      'No series run',
      empty(`No series run of ${REPORT.target_year} was on record when this report was written.`),
    );
  }
  if (filters.run || filters.target_year) {
    return section('No series run', empty('No series run matches this address.'));
  }
  return section(
    'No series run yet',
    h(
      'p',
      null,
      'This view shows a many-series run: one forecast per zone, substation or customer. ',
      'Store the series and forecast them all:',
    ),
    h(
      'ol.steps',
      null,
      h(
        'li',
        null,
        h('code', null, 'loadcast series ingest FILE...'),
        ' reads CSV files with a ',
        h('code', null, 'date,series,load'),
        ' header (',
        h('code', null, 'loadcast series generate --count 100 --out DIR'),
        ' writes synthetic ones from the stored actuals);',
      ),
      h(
        'li',
        null,
        h('code', null, 'loadcast series run --target-year YEAR'),
        ' trains each series on the years before and forecasts the year.',
      ),
    ),
  );
}

async function renderSeriesList(params) {
  const filters = seriesFilters(params);
  if (!available('/api/series')) {
    return [
      pageHead('Series'),
      section('Series', empty('The series are not included in this report.')),
    ];
  }
  const form = seriesFilterForm(filters);
  let body;
  try {
    body = await load(withQuery('/api/series', filters));
  } catch (error) {
    return [pageHead('Series'), form, errorBox(error)];
  }
  if (body.run_id === null) return [pageHead('Series'), noSeriesRun(filters)];
  const run = body.run_id;
  const shown = body.series.length;
  const noun = filters.q || filters.status ? 'matching series' : 'series';
  const count =
    shown < body.matched
      ? `The first ${shown} of ${body.matched} ${noun}`
      : `${body.matched} ${noun}`;
  return [
    pageHead(
      'Series',
      h(
        'span.meta',
        null,
        'Series run ',
        runLink(run),
        ` · target year ${formatText(body.target_year)}`,
      ),
      seriesPicker(body.series, run, filters),
    ),
    seriesSummary(body, filters),
    form,
    section(
      'Series',
      h('p.meta', null, count, body.partial ? `, among the first ${SERIES_LIMIT} by name` : ''),
      table(seriesColumns(run, filters), body.series, 'No series match these filters.'),
      REPORT ? h('p.caption', null, "The series' forecasts are not part of this report.") : null,
    ),
  ];
}

function seriesSummary(body, filters) {
  const total = SERIES_STATUSES.reduce((sum, status) => sum + (body.counts[status] ?? 0), 0);
  const tiles = SERIES_STATUSES.map((status) =>
    h(
      'a.tile',
      {
        class: `tone-${STATUS_TONES[status]}`,
        dataset: { status },
        href: seriesListHref({ ...filters, status }),
      },
      h('span.tile-count', null, String(body.counts[status] ?? 0)),
      h('span.tile-label', null, status),
    ),
  );
  return h(
    'div.tiles.series-summary',
    null,
    tiles,
    h(
      'a.tile.tile-total',
      { href: seriesListHref({ ...filters, status: '' }) },
      h('span.tile-count', null, String(total)),
      h('span.tile-label', null, 'series in the run'),
    ),
    h(
      'div.tile.tile-total',
      { dataset: { median: String(body.median_mape) } },
      h('span.tile-count', null, formatPercent(body.median_mape)),
      h('span.tile-label', null, `median MAPE of ${body.scored} scored`),
    ),
  );
}

function seriesFilterForm(filters) {
  const statuses = ['', ...SERIES_STATUSES];
  if (filters.status && !statuses.includes(filters.status)) statuses.push(filters.status);
  const form = h(
    'form.filters',
    {
      onchange: () => applySeriesFilters(form, filters),
      onsubmit: (e) => {
        e.preventDefault();
        applySeriesFilters(form, filters);
      },
    },
    h(
      'label.field',
      null,
      'Name contains',
      h('input', { type: 'search', name: 'q', value: filters.q || null, spellcheck: 'false' }),
    ),
    h(
      'label.field',
      null,
      'Status',
      h(
        'select',
        { name: 'status' },
        statuses.map((s) =>
          h('option', { value: s, selected: s === filters.status }, s || 'all statuses'),
        ),
      ),
    ),
    h(
      'label.field',
      null,
      'Sort',
      h(
        'select',
        { name: 'sort' },
        h('option', { value: '', selected: !filters.sort }, 'by name'),
        h('option', { value: 'mape', selected: filters.sort === 'mape' }, 'worst MAPE first'),
      ),
    ),
    h('a.reset', { href: seriesListHref({ run: filters.run }) }, 'Clear'),
  );
  return form;
}

function applySeriesFilters(form, filters) {
  const values = new FormData(form);
  location.hash = seriesListHref({
    run: filters.run,
    target_year: filters.target_year,
    q: values.get('q').trim(),
    status: values.get('status'),
    sort: values.get('sort'),
  });
}

async function renderSeries(params, name) {
  const filters = seriesFilters(params);
  const back = h('a', { href: seriesListHref(filters) }, '← All series');
  const path = seriesApiPath(name, filters.run);
  if (!available(path)) {
    return [
      pageHead(`Series ${name}`, back),
      section(
        'Forecast',
        empty(`The forecast of ${name} is not included in this report; loadcast serve shows it.`),
      ),
    ];
  }
  // The list the selector and the pager walk through; the page does without it.
  const list = load(withQuery('/api/series', filters)).catch(() => null);
  let series;
  try {
    series = await load(path);
  } catch (error) {
    return [pageHead(`Series ${name}`, back), errorBox(error)];
  }
  const listed = await list;
  const rows = listed?.run_id === series.run_id ? listed.series : [];
  const days = series.forecast || [];
  return [
    pageHead(
      `Series ${series.series}`,
      statusBadge(series.status, series.message || null),
      seriesPager(rows, series, filters),
      seriesPicker(rows, series.run_id, filters, series.series),
      back,
    ),
    h(
      'dl.facts',
      null,
      fact('Series run', runLink(series.run_id)),
      fact('Target year', formatText(series.target_year)),
      fact('Trained on', period(series.train_from, series.train_to)),
      fact('Fit iterations', formatText(series.iterations)),
      fact('Days scored', formatText(series.days)),
      fact('Message', h('span.text', null, formatText(series.message))),
    ),
    h(
      'div.cards',
      null,
      SERIES_METRICS.map((m) => metricCard(m, series, 'series', series.target_year)),
    ),
    series.days || series.status === 'failed'
      ? null
      : empty(`Not scored: no actual of ${series.target_year} is stored for this series.`),
    section(
      'Forecast',
      days.length
        ? chartBox('series-forecast', () => forecastChart(days, { actuals: false }))
        : empty('This series has no forecast (it failed before forecasting).'),
      h('p.caption', null, 'Daily load in MWh; the band is the prediction interval.'),
    ),
  ];
}

/** Links to the series before and after this one in the selector's list. */
function seriesPager(rows, series, filters) {
  const at = rows.findIndex((row) => row.series === series.series);
  const step = (row, text) =>
    row ? h('a', { href: seriesHref(row.series, series.run_id, filters) }, text) : null;
  const previous = at > 0 ? rows[at - 1] : null;
  const next = at >= 0 ? rows[at + 1] : null;
  if (!previous && !next) return null;
  return h(
    'div.pager',
    null,
    step(previous, `← ${previous?.series}`),
    step(next, `${next?.series} →`),
  );
}

// ---------------------------------------------------------------------------------------------
// Router

const ROUTES = [
  { pattern: /^\/?$/, name: 'overview', render: renderOverview },
  { pattern: /^\/year\/?$/, name: 'year', render: renderLatestYear },
  { pattern: /^\/year\/(\d{4})$/, name: 'year', render: renderYear },
  { pattern: /^\/backtests$/, name: 'backtests', render: renderBacktests },
  { pattern: /^\/alerts$/, name: 'alerts', render: renderAlerts },
  { pattern: /^\/models$/, name: 'models', render: renderModels },
  { pattern: /^\/runs\/(\d+)$/, name: 'run', render: renderRun },
  { pattern: /^\/series$/, name: 'series', render: renderSeriesList },
  {
    pattern: /^\/series\/([A-Za-z0-9_.-]+)$/,
    name: 'series-detail',
    nav: 'series',
    render: renderSeries,
  },
];

let currentRoute = 0;

async function route() {
  const ticket = ++currentRoute;
  const [path, query] = splitQuery(location.hash.replace(/^#/, ''));
  const match = ROUTES.map((r) => ({ ...r, args: path.match(r.pattern) })).find((r) => r.args);
  const name = match ? match.name : 'notfound';
  const main = document.getElementById('view');

  delete document.body.dataset.ready;
  markNav(match?.nav || name);
  destroyCharts();
  main.replaceChildren(h('p.loading', null, 'Loading…'));

  let nodes;
  try {
    if (!match) throw new ApiError(404, `There is no page ${path}.`);
    nodes = await match.render(new URLSearchParams(query), ...match.args.slice(1));
  } catch (error) {
    nodes = [errorBox(error)];
  }
  // A later navigation has taken over while this view was loading.
  if (ticket !== currentRoute) return;
  main.replaceChildren(...[nodes].flat(Infinity).filter(Boolean));
  try {
    drawCharts(main);
  } catch (error) {
    main.prepend(errorBox(error));
  }
  document.body.dataset.ready = name;
}

function markNav(name) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === name);
  }
}

function start() {
  if (REPORT) {
    document.querySelector('[data-nav="year"]').href = yearHref(
      REPORT.target_year,
      defaultHorizon(),
    );
    document.getElementById('mode').textContent = `Report · ${REPORT.target_year}`;
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
