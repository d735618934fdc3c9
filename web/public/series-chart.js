// lacuna's series chart: plain browser JS, no build step. Reads #chart-data (web/chart-data.ts
// ChartData) and draws it with Chart.js and chartjs-plugin-annotation (both UMD globals).
// Gaps stay gaps: values are never joined across a gap, related series are separate datasets,
// and every gap band says its state and opens its event and citations in #citation-panel.
(function () {
  'use strict';
  const dataEl = document.getElementById('chart-data');
  const canvas = document.getElementById('series-chart');
  const panel = document.getElementById('citation-panel');
  if (!dataEl || !canvas || !window.Chart) return;
  const data = JSON.parse(dataEl.textContent || '{}');
  const Chart = window.Chart;
  const annotationPlugin = window['chartjs-plugin-annotation'];
  // The UMD build registers itself; registering again is harmless.
  if (annotationPlugin && !Chart.registry.plugins.get('annotation')) Chart.register(annotationPlugin);

  // Same hex values as the --state-* custom properties in style.css.
  const STATE_COLOR = {
    late: '#e0a21b', missing: '#d64541', suspended: '#7a4cc2', cancelled: '#0f766e', discontinued: '#3d4654',
    withdrawn: '#c2185b', access_cut: '#e8702a', unknown: '#c8c8c8', not_expected: '#9fb3c8', not_due: '#e6ecf2',
  };
  const HATCHED = { suspended: true, discontinued: true, access_cut: true, withdrawn: true };
  // Struck out (horizontal stripes): announced never to exist.
  const STRUCK = { cancelled: true };
  const STATE_LABEL = {
    disclosed: 'Disclosed', not_due: 'Not yet due', late: 'Late', missing: 'Missing', suspended: 'Suspended', cancelled: 'Cancelled',
    discontinued: 'Discontinued', access_cut: 'Access cut', not_expected: 'Not expected', withdrawn: 'Withdrawn', unknown: 'No record',
  };
  const KIND_LABEL = {
    suspension_announced: 'Suspension announced', cancelled: 'Cancelled', delayed: 'Delayed', resumed: 'Resumed', method_change: 'Method change',
    discontinued: 'Discontinued', replaced: 'Replaced', line_dropped: 'Line dropped from a release',
    access_cut: 'Access cut', access_restored: 'Access restored',
  };
  const EVIDENCE_LABEL = { official_notice: 'Official notice', media_report: 'Media report', inferred: 'Inferred by lacuna' };
  const CALENDAR_LABEL = { party_congress: 'Party Congress', plenum: 'Plenum', two_sessions: 'Two Sessions', holiday: 'Holiday', other: 'Event' };
  const CONFIDENCE_LABEL = { verified: 'Verified', partly_verified: 'Partly verified', unverified: 'Unverified' };
  const MAIN_COLOR = '#1f5fa8';
  const BREAK_COLOR = '#111827';
  const RELATED_COLORS = ['#0f8b6e', '#b5651d', '#6b7280', '#9c27b0'];
  const words = (map, k) => map[k] || String(k).replace(/_/g, ' ');

  /** Translucent fill, hatched for periods the publisher withheld or removed, struck out for cancelled ones. */
  function fill(state) {
    const color = STATE_COLOR[state] || STATE_COLOR.unknown;
    if (!HATCHED[state] && !STRUCK[state]) return color + '40';
    const tile = document.createElement('canvas');
    tile.width = tile.height = 8;
    const g = tile.getContext('2d');
    g.fillStyle = color + '30';
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = color + 'a0';
    g.lineWidth = 1.5;
    g.beginPath();
    const lines = STRUCK[state] ? [[0, 4, 8, 4]] : [[0, 8, 8, 0], [-2, 2, 2, -2], [6, 10, 10, 6]];
    for (const [x0, y0, x1, y1] of lines) { g.moveTo(x0, y0); g.lineTo(x1, y1); }
    g.stroke();
    return g.createPattern(tile, 'repeat');
  }

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text != null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  /** Fills the citation panel with a band's state and the event behind it (DOM text only, no HTML). */
  function showBand(band) {
    if (!panel) return;
    panel.replaceChildren(el('h3', band.label));
    const cal = band.calendarId ? (data.calendar || []).find((c) => c.id === band.calendarId) : null;
    if (cal) {
      // A political or holiday event drawn for context: dates and citations, never a gap.
      panel.append(el('p', cal.title, { class: 'panel-title' }));
      const dl = el('dl');
      dl.append(el('dt', 'Context'), el('dd', words(CALENDAR_LABEL, cal.kind)), el('dt', 'Dates'), el('dd', cal.from === cal.to ? cal.from : cal.from + ' – ' + cal.to));
      panel.append(dl);
      const ol = el('ol', null, { class: 'citations' });
      for (const c of cal.citations || []) {
        const li = el('li');
        if (/^https?:\/\//i.test(c.url)) li.append(el('a', c.title, { href: c.url, rel: 'noopener' }));
        else li.append(c.title);
        li.append(' — ' + c.publisher + (c.date ? ', ' + c.date : ''));
        ol.append(li);
      }
      panel.append(ol);
      return;
    }
    const ev = band.eventId ? data.events[band.eventId] : null;
    if (!ev) {
      panel.append(el('p', 'No event explains this gap: no record / no word from the publisher.'));
      return;
    }
    panel.append(el('p', ev.title, { class: 'panel-title' }));
    const facts = el('dl');
    const add = (k, v) => { facts.append(el('dt', k), el('dd', v)); };
    add('Kind', words(KIND_LABEL, ev.kind));
    add('Date', (ev.dateApproximate ? '≈ ' : '') + ev.date);
    add('Evidence', words(EVIDENCE_LABEL, ev.evidenceKind));
    add('Confidence', words(CONFIDENCE_LABEL, ev.confidence));
    panel.append(facts);
    const list = el('ol', null, { class: 'citations' });
    for (const c of ev.citations || []) {
      const li = el('li');
      if (/^https?:\/\//i.test(c.url)) {
        li.append(el('a', c.title, { href: c.url, rel: 'noopener' }), ' (' + new URL(c.url).hostname.replace(/^www\./, '') + ')');
      } else li.append(c.title);
      li.append(' — ' + c.publisher + (c.date ? ', ' + c.date : ''));
      if (c.quote) li.append(el('blockquote', c.quote, /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/.test(c.quote) ? { lang: 'zh' } : {}));
      list.append(li);
    }
    panel.append(list.childElementCount ? list : el('p', 'No citation on record.'));
    panel.append(el('a', 'Full event below', { href: '#event-' + ev.id }));
  }

  const index = new Map(data.labels.map((p, i) => [p, i]));
  const mainUnit = data.main.unit;
  const otherUnits = [...new Set(data.related.filter((r) => r.unit !== mainUnit).map((r) => r.unit))];

  // A value with a gap on each side has no line to sit on: it is always drawn as a dot, whatever
  // the length of the chart (a short chart shows every point).
  const short = data.labels.length <= 120;
  const radius = (values, size) => (ctx) => {
    const i = ctx.dataIndex;
    if (values[i] == null) return 0;
    if (values[i - 1] == null && values[i + 1] == null) return size + 1.5;
    return short ? size : 0;
  };
  const datasets = [{
    label: data.main.title + ' (' + mainUnit + ')', data: data.main.values, yAxisID: 'y',
    borderColor: MAIN_COLOR, backgroundColor: MAIN_COLOR, borderWidth: 2, spanGaps: false,
    pointRadius: radius(data.main.values, 2), pointHoverRadius: 4,
  }];
  data.related.forEach((r, i) => {
    const color = RELATED_COLORS[i % RELATED_COLORS.length];
    datasets.push({
      label: r.role + ': ' + r.title + ' (' + r.unit + ')', data: r.values, yAxisID: r.unit === mainUnit ? 'y' : 'y2',
      borderColor: color, backgroundColor: color, borderDash: [6, 4], borderWidth: 1.5, spanGaps: false,
      pointRadius: radius(r.values, 1.5),
    });
  });

  // Year ticks: the first period of each year, thinned to every 2, 5 or 10 years on a long axis.
  const firsts = [];
  data.labels.forEach((p, i) => { const y = String(p).slice(0, 4); if (!firsts.length || firsts[firsts.length - 1].year !== y) firsts.push({ i, year: y }); });
  const tickCount = () => Math.max(3, Math.floor(canvas.clientWidth / 70));
  const yearAt = (i) => {
    const every = [1, 2, 5, 10, 20, 50].find((n) => firsts.length / n <= tickCount()) || 100;
    const t = firsts.find((f) => f.i === i);
    return t && (every === 1 || Number(t.year) % every === 0) ? t.year : null;
  };

  // Gap bands: widened by half a category each side, so a one-period gap is visible. A band shows
  // its label (state, then periods) when the state word fits inside it; otherwise on hover.
  const annotations = {};
  const crowded = data.bands.length > 12;
  const fits = (chart, from, to, word) => !crowded && !!chart.scales.x
    && chart.scales.x.getPixelForValue(to + 0.5) - chart.scales.x.getPixelForValue(from - 0.5) > word.length * 7 + 10;
  data.bands.forEach((band, i) => {
    const from = index.get(band.from), to = index.get(band.to);
    if (from === undefined || to === undefined) return;
    const word = words(STATE_LABEL, band.state);
    annotations['band' + i] = {
      type: 'box', xMin: from - 0.5, xMax: to + 0.5, xScaleID: 'x', drawTime: 'beforeDatasetsDraw',
      backgroundColor: fill(band.state), borderWidth: 0,
      label: {
        display: (ctx) => fits(ctx.chart, from, to, word), content: [word, band.from === band.to ? band.from : band.from + ' – ' + band.to],
        position: { x: 'center', y: 'start' }, textAlign: 'center', color: '#1f2933', backgroundColor: 'rgba(255,255,255,0.85)', font: { size: 11 }, padding: 3,
      },
      enter(ctx) { canvas.style.cursor = 'pointer'; ctx.element.label.options.display = true; return true; },
      leave(ctx) { canvas.style.cursor = ''; ctx.element.label.options.display = fits(ctx.chart, from, to, word); return true; },
      click() { showBand(band); },
    };
  });
  data.breaks.forEach((b, i) => {
    const at = index.get(b.period);
    if (at === undefined) return;
    annotations['break' + i] = {
      type: 'line', xMin: at - 0.5, xMax: at - 0.5, xScaleID: 'x', borderColor: BREAK_COLOR, borderWidth: 2, borderDash: [4, 3],
      label: { display: true, content: 'Method break', position: 'start', font: { size: 11 }, backgroundColor: BREAK_COLOR },
      click() { showBand({ label: b.label, eventId: b.eventId }); },
    };
  });

  // Calendar overlay: political and holiday events, as thin outlined boxes labelled at the bottom.
  (data.calendar || []).forEach((c, i) => {
    const from = index.get(c.fromPeriod), to = index.get(c.toPeriod);
    if (from === undefined || to === undefined) return;
    // Labelled upright at the foot of its box, so neighbouring entries do not cover each other.
    annotations['calendar' + i] = {
      type: 'box', xMin: from - 0.5, xMax: to + 0.5, xScaleID: 'x', drawTime: 'beforeDatasetsDraw',
      backgroundColor: 'rgba(37, 99, 235, 0.06)', borderColor: 'rgba(37, 99, 235, 0.55)', borderWidth: 1, borderDash: [2, 2],
      label: {
        display: true, content: c.short, rotation: -90, position: { x: 'center', y: 'end' },
        color: '#1e40af', backgroundColor: 'rgba(255,255,255,0.7)', font: { size: 10 }, padding: 1,
      },
      enter(ctx) { canvas.style.cursor = 'pointer'; ctx.element.label.options.display = true; return true; },
      leave() { canvas.style.cursor = ''; return true; },
      click() { showBand({ label: c.title, calendarId: c.id }); },
    };
  });

  // Tooltips for every period, including gaps: the period's state comes with its value (or its absence).
  Chart.Interaction.modes.period = function (chart, e) {
    const pos = Chart.helpers.getRelativePosition(e, chart);
    const area = chart.chartArea;
    if (pos.x < area.left || pos.x > area.right || pos.y < area.top || pos.y > area.bottom) return [];
    const i = Math.round(chart.scales.x.getValueForPixel(pos.x));
    if (!(i >= 0 && i < data.labels.length)) return [];
    return chart.getSortedVisibleDatasetMetas()
      .filter((m) => m.data[i] && (m.index === 0 || !m.data[i].skip))
      .map((m) => ({ element: m.data[i], datasetIndex: m.index, index: i }));
  };
  Chart.Tooltip.positioners.period = function (items) {
    if (!items.length) return false;
    const ys = items.filter((it) => !it.element.skip).map((it) => it.element.y).filter(Number.isFinite);
    const area = this.chart.chartArea;
    return { x: items[0].element.x, y: ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : (area.top + area.bottom) / 2 };
  };

  const chart = new Chart(canvas, {
    type: 'line',
    data: { labels: data.labels, datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      interaction: { mode: 'period', intersect: false },
      scales: {
        x: { type: 'category', ticks: { autoSkip: false, maxRotation: 0, callback: (_v, i) => yearAt(i) } },
        // No value on record: no value axis (an empty 0-1 scale would read as data).
        y: { display: data.main.values.some((v) => v != null), title: { display: true, text: mainUnit } },
        y2: { display: otherUnits.length > 0, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: otherUnits.join(', ') } },
      },
      plugins: {
        legend: {
          position: 'bottom',
          // Dataset entries, then what the shapes on the chart mean; a long title is shortened to the width.
          onClick: (e, item, legend) => { if (item.datasetIndex !== undefined) Chart.defaults.plugins.legend.onClick.call(legend, e, item, legend); },
          labels: {
            boxHeight: 2,
            generateLabels: (chart) => {
              const max = Math.max(20, Math.floor(chart.width / 7.5) - 8);
              const items = Chart.defaults.plugins.legend.labels.generateLabels(chart)
                .map((it) => ({ ...it, text: it.text.length > max ? it.text.slice(0, max - 1) + '…' : it.text }));
              if (data.breaks.length) items.push({ text: 'Method break (dashed line)', fillStyle: BREAK_COLOR, strokeStyle: BREAK_COLOR, lineWidth: 2, lineDash: [4, 3], hidden: false });
              if ((data.calendar || []).length) items.push({ text: 'Political calendar (dashed boxes)', fillStyle: 'rgba(37, 99, 235, 0.15)', strokeStyle: 'rgba(37, 99, 235, 0.7)', lineWidth: 1, lineDash: [2, 2], hidden: false });
              return items;
            },
          },
        },
        // Only the band or marker under the pointer reacts (not the nearest one anywhere on the chart).
        annotation: { interaction: { mode: 'nearest', intersect: true }, annotations },
        tooltip: {
          position: 'period',
          callbacks: {
            afterTitle: (items) => items.length ? 'State: ' + words(STATE_LABEL, data.main.states[items[0].dataIndex] || 'unknown') : '',
            label: (ctx) => ctx.raw == null
              ? ctx.dataset.label + ': no value (' + words(STATE_LABEL, data.main.states[ctx.dataIndex] || 'unknown').toLowerCase() + ')'
              : ctx.dataset.label + ': ' + ctx.formattedValue,
          },
        },
      },
    },
  });

  // The server-rendered list of gaps works from the keyboard and opens the same panel.
  document.querySelectorAll('[data-band]').forEach((a) => {
    a.addEventListener('click', (ev) => {
      const band = data.bands[Number(a.getAttribute('data-band'))];
      if (!band) return;
      ev.preventDefault();
      showBand(band);
      if (panel) panel.scrollIntoView({ block: 'nearest' });
    });
  });
  window.lacunaChart = chart;
})();
