// The report charts: the expiry histogram with uPlot (canvas), the busiest dates and type × state as SVG bars.
import { html, useEffect, useRef } from '/lib/htm/preact/standalone.module.js';
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

export function ExpiryHistogram({ buckets, interval }) {
  const box = useRef(null);
  useEffect(() => {
    const xs = buckets.map((b) => Date.parse(`${b.date}T00:00:00Z`) / 1000);
    const ys = buckets.map((b) => b.count);
    const width = Math.max(280, Math.min(box.current.clientWidth || 800, 1000));
    const chart = new uPlot({
      width,
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { label: 'credentials' }],
      series: [{ label: interval === 'DAY' ? 'Day' : interval === 'WEEK' ? 'Week of' : 'Month' },
        { label: 'Expiring', stroke: '#1f5fa8', fill: 'rgba(31,95,168,0.45)', paths: uPlot.paths.bars({ size: [0.8, 40] }) }],
      legend: { show: true },
    }, [xs, ys], box.current);
    return () => chart.destroy();
  }, [buckets, interval]);
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  return html`<figure class="chart" id="expiry-histogram">
    <div ref=${box} role="img" aria-label=${`Bar chart: ${total} credentials expiring over ${buckets.length} ${interval.toLowerCase()}s`}></div>
    <figcaption>Unrevoked credentials expiring per ${interval.toLowerCase()} (${total} in the range)</figcaption>
  </figure>`;
}

/** Horizontal SVG bars: label, bar, value; a table of the same numbers follows for screen readers. */
export function Bars({ id, caption, rows }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 22;
  const height = rows.length * rowHeight + 4;
  return html`<figure class="chart" id=${id}>
    <svg viewBox=${`0 0 600 ${height}`} width="100%" height=${height} aria-hidden="true" focusable="false">
      ${rows.map((r, i) => html`<g key=${r.label} transform=${`translate(0 ${i * rowHeight + 2})`}>
        <text x="0" y="15" class="bar-label">${r.label}</text>
        <rect class="bar" x="230" y="2" height="16" width=${Math.max(1, (r.value / max) * 320)} fill=${r.color || '#1f5fa8'}></rect>
        <text x=${236 + (r.value / max) * 320} y="15" class="bar-value">${r.value}</text>
      </g>`)}
    </svg>
    <figcaption>${caption}</figcaption>
    <table class="sr-only"><caption>${caption}</caption>
      <tbody>${rows.map((r) => html`<tr key=${r.label}><th scope="row">${r.label}</th><td>${r.value}</td></tr>`)}</tbody>
    </table>
  </figure>`;
}

export const STATE_COLORS = { ACTIVE: '#2e7d32', EXPIRED: '#b26a00', REVOKED: '#a32020' };
