import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

// A time-series chart that keeps its container's width and records on the container how many points it shows
// and the newest time (data-points, data-last), so a person sees it move and a test can tell that it did.
export function timeChart(container, title, seriesNames, format) {
  const colors = ['#1f6feb', '#e8590c', '#2f9e44', '#ae3ec9'];
  const opts = {
    title, width: Math.max(300, container.clientWidth - 16), height: 220,
    scales: { x: { time: true } },
    axes: [{}, { values: (u, vals) => vals.map((v) => format ? format(v) : v) , size: 90 }],
    series: [{}, ...seriesNames.map((name, i) => ({ label: name, stroke: colors[i % colors.length], width: 2, spanGaps: false, points: { size: 4 },
      value: (u, v) => v === null || v === undefined ? '—' : (format ? format(v) : v.toFixed(1)) }))],
  };
  const plot = new uPlot(opts, [[], ...seriesNames.map(() => [])], container);
  const resize = () => plot.setSize({ width: Math.max(300, container.clientWidth - 16), height: 220 });
  window.addEventListener('resize', resize);
  return {
    set(times, ...columns) {
      plot.setData([times, ...columns]);
      container.dataset.points = String(times.length);
      container.dataset.last = times.length ? String(times[times.length - 1]) : '';
    },
    destroy() { window.removeEventListener('resize', resize); plot.destroy(); },
  };
}
