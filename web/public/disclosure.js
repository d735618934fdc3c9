// lacuna's disclosure index charts: plain browser JS, no build step. Reads #disclosure-data
// (web/pages/disclosure.tsx) and draws one Chart.js line per canvas: the share of series
// disclosed on schedule by month, 0-100 %. A month with nothing due is a break in the line,
// never a zero. The table on the page carries the same numbers for readers without the chart.
(function () {
  'use strict';
  const dataEl = document.getElementById('disclosure-data');
  if (!dataEl || !window.Chart) return;
  const data = JSON.parse(dataEl.textContent || '{}');
  const Chart = window.Chart;
  const LINE = '#1f5fa8';
  const OVERALL = '#111827';

  function yearTick(canvas, i) {
    const m = data.months[i];
    if (!m || m.slice(5) !== '01') return null;
    const years = data.months.filter((x) => x.slice(5) === '01').length;
    const room = Math.max(2, Math.floor(canvas.clientWidth / 48));
    const every = [1, 2, 5, 10, 20].find((n) => years / n <= room) || 50;
    return Number(m.slice(0, 4)) % every === 0 ? m.slice(0, 4) : null;
  }

  for (const spec of data.charts || []) {
    const canvas = document.getElementById('disclosure-chart-' + spec.id);
    if (!canvas) continue;
    // Each chart can be taken away as a PNG (the table below has the numbers).
    const caption = canvas.closest('figure') && canvas.closest('figure').querySelector('figcaption');
    if (caption) {
      const a = document.createElement('a');
      a.textContent = 'PNG';
      a.href = '#';
      a.className = 'chart-png';
      a.setAttribute('download', 'lacuna-disclosure-' + spec.id + '.png');
      a.addEventListener('click', () => { a.href = Chart.getChart(canvas).toBase64Image('image/png', 1); });
      caption.append(' ', a);
    }
    const overall = spec.id === 'all';
    new Chart(canvas, {
      type: 'line',
      // A white ground, so that the downloaded PNG is not transparent.
      plugins: [{ id: 'white', beforeDraw(chart) { const g = chart.ctx; g.save(); g.globalCompositeOperation = 'destination-over'; g.fillStyle = '#fff'; g.fillRect(0, 0, chart.width, chart.height); g.restore(); } }],
      data: {
        labels: data.labels,
        datasets: [{
          label: spec.title + ': % disclosed on schedule',
          data: spec.share.map((s) => (s === null ? null : Math.round(s * 1000) / 10)),
          borderColor: overall ? OVERALL : LINE,
          backgroundColor: overall ? OVERALL : LINE,
          borderWidth: overall ? 2.5 : 1.8,
          // Dashed for the overall line: tells it apart without colour.
          borderDash: overall ? [6, 3] : [],
          pointRadius: 0,
          pointHitRadius: 6,
          spanGaps: false,
          tension: 0,
          // Months still within grace: dotted and faded, since their share may still move.
          segment: {
            borderDash: (ctx) => (spec.incomplete && spec.incomplete[ctx.p1DataIndex] ? [2, 3] : undefined),
            borderColor: (ctx) => (spec.incomplete && spec.incomplete[ctx.p1DataIndex] ? '#9ca3af' : undefined),
          },
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          // Year ticks (January of each year), thinned to what the width holds: month names overlap on a phone.
          x: { ticks: { autoSkip: false, maxRotation: 0, callback: (_v, i) => yearTick(canvas, i) } },
          y: { min: 0, max: 100, ticks: { callback: (v) => v + '%', stepSize: 25 } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label(ctx) {
                const i = ctx.dataIndex;
                const due = spec.due[i];
                if (!due) return 'nothing due';
                const open = spec.incomplete && spec.incomplete[i] ? ', incomplete month' : '';
                return ctx.parsed.y + '% on schedule (' + spec.onSchedule[i] + ' of ' + due + open + ')';
              },
            },
          },
        },
      },
    });
  }
})();
