// Building DOM without innerHTML: every value from the cluster goes in as text, never as markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0; let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
}

export function num(n) { return n === null || n === undefined ? '—' : Number(n).toLocaleString('en-US', { maximumFractionDigits: 1 }); }

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 0) return 'forever';
  const h = ms / 3600000;
  return h >= 24 ? (h / 24).toFixed(h % 24 ? 1 : 0) + ' d' : h >= 1 ? h.toFixed(1) + ' h' : (ms / 60000).toFixed(0) + ' min';
}

// A table whose columns sort when their header button is pressed (mouse or keyboard).
export function sortableTable(columns, rows, { id, rowAttrs } = {}) {
  let sortBy = null; let asc = true;
  const tbody = h('tbody');
  const table = h('table', { id });
  const render = () => {
    const sorted = [...rows];
    if (sortBy) {
      const c = columns.find((x) => x.key === sortBy);
      sorted.sort((a, b) => {
        const x = c.sort ? c.sort(a) : a[c.key]; const y = c.sort ? c.sort(b) : b[c.key];
        const r = x === y ? 0 : x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1;
        return asc ? r : -r;
      });
    }
    tbody.replaceChildren(...sorted.map((r) => h('tr', rowAttrs ? rowAttrs(r) : {},
      ...columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.render ? c.render(r) : r[c.key] ?? '—')))));
  };
  const head = h('tr', {}, ...columns.map((c) => h('th', { class: c.num ? 'num' : null, 'aria-sort': 'none' },
    h('button', { type: 'button', onclick: (e) => {
      asc = sortBy === c.key ? !asc : true; sortBy = c.key;
      head.querySelectorAll('th').forEach((th) => th.setAttribute('aria-sort', 'none'));
      e.target.parentElement.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      render();
    } }, c.title))));
  table.append(h('thead', {}, head), tbody);
  render();
  return table;
}
