// The console's pages: a hash router (#/, #/topics, #/topics/NAME[/configs|/messages], #/groups, #/groups/ID,
// #/routing, #/routing/dlt/NAME) over the JSON API, behind a login form when the console asks for one. Each page registers what to stop (timers, live tails, charts) when it is left.
import { get, post, del, ApiError } from './api.js';
import { h, bytes, num, duration, sortableTable } from './dom.js';
import { timeChart } from './charts.js';

const main = document.getElementById('main');
const errorBox = document.getElementById('error');
let info = { readOnly: true, sampleIntervalMs: 5000 };
let cleanups = [];

export function showError(e) {
  errorBox.hidden = false;
  errorBox.textContent = e instanceof ApiError ? `${e.error}: ${e.message}` : String(e && e.message || e);
}
function clearError() { errorBox.hidden = true; errorBox.textContent = ''; }
function onLeave(fn) { cleanups.push(fn); }
function every(ms, fn) { const t = setInterval(fn, ms); onLeave(() => clearInterval(t)); }
const refreshMs = () => Math.max(1000, Math.min(5000, info.sampleIntervalMs));
const enc = encodeURIComponent;

async function route() {
  cleanups.forEach((f) => { try { f(); } catch (e) { /* already gone */ } });
  cleanups = [];
  clearError();
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  document.querySelectorAll('[data-nav]').forEach((a) => a.classList.toggle('active',
    a.dataset.nav === (parts[0] || 'overview')));
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  if (info.loginRequired && !info.loggedIn) { loginPage(); return; }
  try {
    if (!parts.length) await overview();
    else if (parts[0] === 'topics' && parts.length === 1) await topicList();
    else if (parts[0] === 'topics') await topicPage(parts[1], parts[2] || 'partitions');
    else if (parts[0] === 'groups' && parts.length === 1) await groupList();
    else if (parts[0] === 'groups') await groupPage(parts[1]);
    else if (parts[0] === 'routing' && parts.length === 1) await routingPage();
    else if (parts[0] === 'routing' && parts[1] === 'dlt' && parts[2]) await deadLetterPage(parts[2]);
    else main.replaceChildren(h('h1', {}, 'Not found'));
  } catch (e) {
    main.replaceChildren(h('h1', {}, 'Could not load this page'));
    showError(e);
  }
  main.focus({ preventScroll: true });
}

// ------------------------------------------------------------------ login
function loginPage() {
  const user = h('input', { id: 'login-user', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', type: 'password', autocomplete: 'current-password', required: true });
  const err = h('div', { class: 'inline-error', id: 'login-error', role: 'alert' });
  main.replaceChildren(h('section', { class: 'login' }, h('h1', {}, 'Log in'),
    h('p', { class: 'muted' }, `This console asks for ${info.loginSource || 'a user name and password'}.`),
    h('form', { id: 'login', onsubmit: async (e) => {
      e.preventDefault(); err.textContent = '';
      try {
        await post('/api/login', { user: user.value, password: password.value });
        await loadInfo(); route();
      } catch (ex) { err.textContent = String(ex); password.value = ''; password.focus(); }
    } }, h('label', {}, 'User', user), h('label', {}, 'Password', password),
    h('button', { type: 'submit', id: 'login-submit' }, 'Log in'), err)));
  user.focus();
}

async function loadInfo() {
  try { info = await get('/api/info'); } catch (e) { showError(e); }
  document.getElementById('mode').textContent = info.readOnly ? 'read-only' : '';
  document.getElementById('principal').textContent = info.principal || '';
  document.getElementById('logout').hidden = !info.principal;
  if (info.unavailable) showError(new ApiError(503, 'CONSOLE_UNAVAILABLE', info.unavailable));
}

// ------------------------------------------------------------------ overview
async function overview() {
  const o = await get('/api/overview');
  const card = (label, value, id) => h('div', { class: 'card' }, h('div', { class: 'label' }, label), h('div', { class: 'value', id }, value));
  const msgs = h('div', { class: 'chart', id: 'chart-messages' });
  const byts = h('div', { class: 'chart', id: 'chart-bytes' });
  main.replaceChildren(
    h('h1', {}, 'Overview'),
    h('div', { class: 'cards' },
      card('Brokers', o.brokers.length, 'ov-brokers'), card('Topics', o.topics, 'ov-topics'),
      card('Partitions', o.partitions, 'ov-partitions'), card('Total size', bytes(o.totalSize), 'ov-size'),
      card('Consumer groups', o.groups, 'ov-groups'), card('Under-replicated', o.underReplicatedPartitions, 'ov-urp'),
      card('Offline partitions', o.offlinePartitions, 'ov-offline')),
    h('h2', {}, 'Traffic, last 15 minutes'),
    h('div', { class: 'charts' }, msgs, byts),
    h('h2', {}, 'Brokers'),
    sortableTable([
      { key: 'id', title: 'Id', num: true }, { key: 'host', title: 'Host' }, { key: 'port', title: 'Port', num: true },
      { key: 'rack', title: 'Rack' }, { key: 'controller', title: 'Controller', render: (b) => b.controller ? 'yes' : '' },
    ], o.brokers, { id: 'brokers' }),
    h('p', { class: 'muted' }, `Cluster ${o.clusterId || '—'} · ${o.internalTopics} internal topic(s)`));
  const mChart = timeChart(msgs, 'Messages per second', ['in', 'out'], (v) => num(v));
  const bChart = timeChart(byts, 'Bytes per second', ['in', 'out'], (v) => bytes(v) + '/s');
  onLeave(() => { mChart.destroy(); bChart.destroy(); });
  const refresh = async () => {
    try {
      const t = await get('/api/traffic');
      const times = t.samples.map((s) => s.time / 1000);
      mChart.set(times, t.samples.map((s) => s.messagesIn), t.samples.map((s) => s.messagesOut));
      bChart.set(times, t.samples.map((s) => s.bytesIn), t.samples.map((s) => s.bytesOut));
      clearError();
    } catch (e) { showError(e); }
  };
  await refresh();
  every(refreshMs(), refresh);
}

// ------------------------------------------------------------------ topics
async function topicList() {
  const topics = await get('/api/topics');
  const search = h('input', { id: 'topic-search', type: 'search', placeholder: 'Filter by name', 'aria-label': 'Filter topics by name' });
  const holder = h('div');
  const showInternal = h('input', { type: 'checkbox', id: 'show-internal' });
  const render = () => {
    const q = search.value.trim().toLowerCase();
    const rows = topics.filter((t) => (showInternal.checked || !t.internal) && t.name.toLowerCase().includes(q));
    holder.replaceChildren(sortableTable([
      { key: 'name', title: 'Name', render: (t) => h('a', { href: `#/topics/${enc(t.name)}` }, t.name) },
      { key: 'partitions', title: 'Partitions', num: true },
      { key: 'replicationFactor', title: 'Replication', num: true },
      { key: 'size', title: 'Size', num: true, render: (t) => bytes(t.size) },
      { key: 'recordsInPerSec', title: 'Records in/s', num: true, render: (t) => num(t.recordsInPerSec) },
      { key: 'retentionMs', title: 'Retention', render: (t) => duration(t.retentionMs) },
      { key: 'cleanupPolicy', title: 'Cleanup' },
    ], rows, { id: 'topics', rowAttrs: (t) => ({ 'data-topic': t.name }) }));
  };
  search.addEventListener('input', render);
  showInternal.addEventListener('change', render);
  main.replaceChildren(h('h1', {}, 'Topics'),
    h('div', { class: 'bar' }, search, h('label', { style: 'flex-direction:row;align-items:center' }, showInternal, 'internal topics')),
    info.readOnly ? null : createTopicForm(), holder);
  render();
}

function createTopicForm() {
  const name = h('input', { id: 'create-name', required: true, placeholder: 'orders', 'aria-label': 'New topic name' });
  const parts = h('input', { id: 'create-partitions', type: 'number', min: 1, value: '3', 'aria-label': 'Partitions' });
  const configs = h('input', { id: 'create-configs', placeholder: 'retention.ms=86400000, cleanup.policy=compact', size: 40 });
  const err = h('span', { class: 'inline-error', id: 'create-error', role: 'alert' });
  return h('form', { id: 'create-topic', onsubmit: async (e) => {
    e.preventDefault(); err.textContent = '';
    try {
      const cfg = {};
      for (const pair of configs.value.split(',').map((s) => s.trim()).filter(Boolean)) {
        const i = pair.indexOf('=');
        if (i <= 0) throw new ApiError(400, 'BAD_REQUEST', `config "${pair}" is not name=value`);
        cfg[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
      }
      await post('/api/topics', { name: name.value.trim(), partitions: Number(parts.value), configs: cfg });
      location.hash = `#/topics/${enc(name.value.trim())}`;
    } catch (ex) { err.textContent = String(ex); }
  } }, h('label', {}, 'New topic', name), h('label', {}, 'Partitions', parts), h('label', {}, 'Configs (optional)', configs),
  h('button', { type: 'submit', id: 'create-submit' }, 'Create topic'), err);
}

async function topicPage(name, tab) {
  const t = await get(`/api/topics/${enc(name)}`);
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Topic' },
    ...[['partitions', 'Partitions'], ['configs', 'Configs'], ['messages', 'Messages']].map(([k, label]) =>
      h('a', { href: `#/topics/${enc(name)}/${k}`, class: tab === k ? 'active' : null, id: `tab-${k}` }, label)));
  const body = h('div');
  main.replaceChildren(h('h1', {}, 'Topic ', h('span', { id: 'topic-name' }, t.name)),
    h('p', { class: 'muted' }, `${t.partitions.length} partitions · ${bytes(t.size)} · ${num(t.recordsInPerSec)} records in/s`), tabs, body);
  if (tab === 'configs') return topicConfigs(name, body);
  if (tab === 'messages') return messageBrowser(t, body);
  topicRates(t, body);
  body.append(h('h2', {}, 'Partitions'), sortableTable([
    { key: 'partition', title: 'Partition', num: true }, { key: 'startOffset', title: 'Start offset', num: true },
    { key: 'endOffset', title: 'End offset', num: true },
    { key: 'records', title: 'Records', num: true, sort: (p) => p.endOffset - p.startOffset, render: (p) => num(p.endOffset - p.startOffset) },
    { key: 'size', title: 'Size', num: true, render: (p) => bytes(p.size) }, { key: 'leader', title: 'Leader', num: true },
    { key: 'replicas', title: 'Replicas', render: (p) => p.replicas.join(', ') }, { key: 'isr', title: 'ISR', render: (p) => p.isr.join(', ') },
  ], t.partitions, { id: 'partitions' }));
  if (info.readOnly || t.internal) return;
  const count = h('input', { id: 'add-partitions-count', type: 'number', min: t.partitions.length + 1, value: String(t.partitions.length + 1), 'aria-label': 'New partition count' });
  const addErr = h('span', { class: 'inline-error', id: 'add-partitions-error', role: 'alert' });
  const confirm = h('input', { id: 'delete-confirm', placeholder: t.name, 'aria-label': 'Type the topic name to delete it' });
  const delBtn = h('button', { type: 'submit', class: 'danger', id: 'delete-submit', disabled: true }, 'Delete topic');
  const delErr = h('span', { class: 'inline-error', id: 'delete-error', role: 'alert' });
  confirm.addEventListener('input', () => { delBtn.disabled = confirm.value !== t.name; });
  body.append(
    h('h2', {}, 'Add partitions'),
    h('form', { onsubmit: async (e) => {
      e.preventDefault(); addErr.textContent = '';
      try { await post(`/api/topics/${enc(name)}/partitions`, { count: Number(count.value) }); route(); } catch (ex) { addErr.textContent = String(ex); }
    } }, h('label', {}, 'New partition count', count), h('button', { type: 'submit', id: 'add-partitions-submit' }, 'Add partitions'), addErr),
    h('h2', {}, 'Delete'),
    h('form', { onsubmit: async (e) => {
      e.preventDefault(); delErr.textContent = '';
      try { await del(`/api/topics/${enc(name)}?confirm=${enc(confirm.value)}`); location.hash = '#/topics'; } catch (ex) { delErr.textContent = String(ex); }
    } }, h('label', {}, `Type "${t.name}" to confirm`, confirm), delBtn, delErr));
}

// Per-topic rates over the last 15 minutes: records in from end offsets (any cluster); inside a broker also bytes
// in and out and records out from its counters.
function topicRates(t, body) {
  const recBox = h('div', { class: 'chart', id: 'chart-topic-records' });
  const byteBox = h('div', { class: 'chart', id: 'chart-topic-bytes' });
  body.append(h('h2', {}, 'Rates, last 15 minutes'), h('div', { class: 'charts' }, recBox, info.inBroker ? byteBox : null));
  const rec = timeChart(recBox, 'Records per second', ['in', 'out'], (v) => num(v));
  const byt = info.inBroker ? timeChart(byteBox, 'Bytes per second', ['in', 'out'], (v) => bytes(v) + '/s') : null;
  onLeave(() => { rec.destroy(); if (byt) byt.destroy(); });
  const show = (samples) => {
    const times = samples.map((s) => s.time / 1000);
    rec.set(times, samples.map((s) => s.recordsIn), samples.map((s) => s.recordsOut));
    if (byt) byt.set(times, samples.map((s) => s.bytesIn), samples.map((s) => s.bytesOut));
  };
  show(t.rates || []);
  every(refreshMs(), async () => {
    try { show((await get(`/api/topics/${enc(t.name)}/rates`)).samples); } catch (e) { showError(e); }
  });
}

async function topicConfigs(name, body) {
  const entries = await get(`/api/topics/${enc(name)}/configs`);
  const rows = entries.map((c) => {
    const input = h('input', { value: c.value ?? '', 'data-config': c.name, 'aria-label': c.name, size: 28, disabled: info.readOnly || c.readOnly });
    const err = h('div', { class: 'inline-error', 'data-config-error': c.name, role: 'alert' });
    const status = h('span', { class: 'ok', 'data-config-status': c.name });
    const save = h('button', { type: 'button', class: 'secondary', 'data-config-save': c.name, onclick: async () => {
      err.textContent = ''; status.textContent = '';
      try {
        await post(`/api/topics/${enc(name)}/configs`, { set: { [c.name]: input.value } });
        status.textContent = 'saved'; c.value = input.value; source.textContent = 'DYNAMIC_TOPIC_CONFIG';
      } catch (ex) { err.textContent = String(ex); input.value = c.value ?? ''; input.setAttribute('aria-invalid', 'true'); }
    } }, 'Save');
    const source = h('span', { class: 'muted' }, c.source);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') save.click(); });
    return h('tr', { 'data-config-row': c.name }, h('td', {}, h('code', {}, c.name)),
      h('td', {}, input, err), h('td', {}, source), h('td', {}, info.readOnly || c.readOnly ? '' : save, ' ', status));
  });
  body.append(h('table', { id: 'configs' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Value'), h('th', {}, 'Source'), h('th', {}, ''))),
    h('tbody', {}, rows)));
}

// ------------------------------------------------------------------ message browser
function messageBrowser(t, body) {
  const field = (label, el) => h('label', {}, label, el);
  const partitions = h('input', { id: 'browse-partitions', placeholder: 'all', size: 8 });
  const mode = h('select', { id: 'browse-mode' }, ...['newest', 'earliest', 'offset', 'timestamp'].map((m) => h('option', { value: m }, m)));
  const at = h('input', { id: 'browse-at', placeholder: 'offset or time', size: 18 });
  const limit = h('input', { id: 'browse-limit', type: 'number', value: '100', min: 1, max: 1000 });
  const decode = h('select', { id: 'browse-decode' }, ...['text', 'json', 'hex', 'base64'].map((m) => h('option', { value: m }, m)));
  const keyDecode = h('select', { id: 'browse-key-decode' }, ...['text', 'json', 'hex', 'base64'].map((m) => h('option', { value: m }, m)));
  const fKey = h('input', { id: 'filter-key', size: 12 }); const fHeader = h('input', { id: 'filter-header', size: 12, placeholder: 'name=value' });
  const fValue = h('input', { id: 'filter-value', size: 14 });
  const status = h('span', { class: 'muted', id: 'browse-status', 'aria-live': 'polite' });
  const tbody = h('tbody', { id: 'records-body' });
  const table = h('table', { id: 'records' }, h('thead', {}, h('tr', {}, ...['Partition', 'Offset', 'Time', 'Key', 'Value', 'Headers', ''].map((x) => h('th', {}, x)))), tbody);
  const params = () => {
    const p = new URLSearchParams({ mode: mode.value, limit: limit.value, decode: decode.value, keyDecode: keyDecode.value });
    if (partitions.value.trim()) p.set('partition', partitions.value.trim());
    if (mode.value === 'offset') p.set('offset', at.value.trim());
    if (mode.value === 'timestamp') { const ms = /^\d+$/.test(at.value.trim()) ? at.value.trim() : String(Date.parse(at.value)); p.set('timestamp', Number.isNaN(Number(ms)) ? at.value : ms); }
    if (fKey.value) p.set('key', fKey.value); if (fHeader.value) p.set('header', fHeader.value); if (fValue.value) p.set('value', fValue.value);
    return p;
  };
  const row = (r) => {
    const valueCell = h('td', {}, h('pre', {}, r.value.data ?? 'null'));
    let expand = null;
    if (r.value.truncated || r.key.truncated) {
      expand = h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          const full = await get(`/api/topics/${enc(t.name)}/partitions/${r.partition}/records/${r.offset}?decode=${decode.value}`);
          valueCell.replaceChildren(h('pre', {}, full.value.data ?? 'null')); expand.remove();
        } catch (e) { showError(e); }
      } }, `Expand (${bytes(r.value.size)})`);
    }
    return h('tr', { class: 'record', 'data-key': r.key.data ?? '', 'data-offset': r.offset, 'data-partition': r.partition },
      h('td', { class: 'num' }, r.partition), h('td', { class: 'num' }, r.offset),
      h('td', {}, new Date(r.timestamp).toISOString().replace('T', ' ').replace('Z', '')),
      h('td', {}, h('pre', {}, r.key.data ?? 'null')), valueCell,
      h('td', {}, h('pre', {}, r.headers.map((x) => `${x.key}=${x.value ?? 'null'}`).join('\n'))), h('td', {}, expand));
  };
  const load = async () => {
    stopTail(); status.textContent = 'Loading…';
    try {
      const started = performance.now();
      const res = await get(`/api/topics/${enc(t.name)}/messages?${params()}`);
      tbody.replaceChildren(...res.records.map(row));
      status.textContent = `${res.records.length} record(s), ${res.scanned} read${res.timedOut ? ', stopped at the time limit' : ''} · ${Math.round(performance.now() - started)} ms`;
      table.dataset.loaded = String(res.records.length);
    } catch (e) { status.textContent = ''; showError(e); }
  };
  let source = null;
  const tailBtn = h('button', { type: 'button', class: 'secondary', id: 'tail-toggle', 'aria-pressed': 'false' }, 'Live tail');
  function stopTail() { if (source) { source.close(); source = null; tailBtn.textContent = 'Live tail'; tailBtn.setAttribute('aria-pressed', 'false'); } }
  tailBtn.addEventListener('click', () => {
    if (source) { stopTail(); status.textContent = 'Live tail stopped'; return; }
    const p = params(); p.delete('mode'); p.delete('limit'); p.delete('offset'); p.delete('timestamp');
    tbody.replaceChildren();
    source = new EventSource(`/api/topics/${enc(t.name)}/tail?${p}`);
    tailBtn.textContent = 'Stop tail'; tailBtn.setAttribute('aria-pressed', 'true');
    status.textContent = 'Following new records…';
    source.addEventListener('ready', () => { table.dataset.tail = 'ready'; });
    source.addEventListener('record', (e) => {
      tbody.prepend(row(JSON.parse(e.data)));
      while (tbody.children.length > 500) tbody.lastChild.remove();
      table.dataset.tailed = String(Number(table.dataset.tailed || 0) + 1);
    });
    source.addEventListener('error', (e) => {
      if (e.data) { const d = JSON.parse(e.data); showError(new ApiError(0, d.error, d.message)); stopTail(); }
    });
  });
  onLeave(stopTail);
  body.append(
    h('form', { id: 'browse', onsubmit: (e) => { e.preventDefault(); load(); } },
      field('Partitions', partitions), field('Start', mode), field('Offset / time', at), field('Max records', limit),
      field('Decode values as', decode), field('Keys as', keyDecode), field('Key contains', fKey), field('Header', fHeader), field('Value contains', fValue),
      h('button', { type: 'submit', id: 'browse-load' }, 'Load'), tailBtn, status),
    h('div', { class: 'split' }, h('div', {}, table), info.readOnly ? h('div') : produceForm(t)));
  load();
}

function produceForm(t) {
  const key = h('input', { id: 'produce-key', 'aria-label': 'Key' });
  const value = h('textarea', { id: 'produce-value', rows: 5, 'aria-label': 'Value' });
  const headers = h('textarea', { id: 'produce-headers', rows: 2, placeholder: 'name=value, one per line', 'aria-label': 'Headers' });
  const partition = h('input', { id: 'produce-partition', type: 'number', min: 0, max: t.partitions.length - 1, placeholder: 'by key' });
  const valueAs = h('select', { id: 'produce-value-encoding', 'aria-label': 'Value is' },
    ...[['text', 'text'], ['json', 'JSON (checked)'], ['base64', 'base64'], ['hex', 'hex']].map(([v, l]) => h('option', { value: v }, l)));
  const result = h('div', { id: 'produce-result', role: 'status' });
  return h('form', { id: 'produce', style: 'flex-direction:column;align-items:stretch', onsubmit: async (e) => {
    e.preventDefault(); result.textContent = ''; result.className = '';
    const hs = headers.value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
      const i = l.indexOf('='); return i < 0 ? { key: l, value: null } : { key: l.slice(0, i), value: l.slice(i + 1) };
    });
    try {
      const r = await post(`/api/topics/${enc(t.name)}/messages`, {
        key: key.value === '' ? null : key.value, value: value.value, valueEncoding: valueAs.value, headers: hs,
        partition: partition.value === '' ? null : Number(partition.value) });
      result.className = 'ok'; result.textContent = `Written to partition ${r.partition} at offset ${r.offset}`;
    } catch (ex) { result.className = 'inline-error'; result.textContent = String(ex); }
  } }, h('h2', {}, 'Produce a record'), h('label', {}, 'Key', key), h('label', {}, 'Value', value), h('label', {}, 'Value is', valueAs), h('label', {}, 'Headers', headers),
  h('label', {}, 'Partition', partition), h('button', { type: 'submit', id: 'produce-submit' }, 'Produce'), result);
}

// ------------------------------------------------------------------ groups
async function groupList() {
  const groups = await get('/api/groups');
  main.replaceChildren(h('h1', {}, 'Consumer groups'), groups.length ? sortableTable([
    { key: 'groupId', title: 'Group', render: (g) => h('a', { href: `#/groups/${enc(g.groupId)}` }, g.groupId) },
    { key: 'state', title: 'State' }, { key: 'members', title: 'Members', num: true },
    { key: 'totalLag', title: 'Total lag', num: true, render: (g) => num(g.totalLag) },
  ], groups, { id: 'groups', rowAttrs: (g) => ({ 'data-group': g.groupId }) }) : h('p', { class: 'muted' }, 'No consumer groups.'));
}

async function groupPage(id) {
  const lagBox = h('div', { class: 'chart', id: 'chart-lag' });
  const head = h('div'); const membersBox = h('div'); const partsBox = h('div');
  main.replaceChildren(h('h1', {}, 'Group ', h('span', { id: 'group-name' }, id)), head,
    h('h2', {}, 'Lag'), lagBox, h('h2', {}, 'Members'), membersBox, h('h2', {}, 'Partitions'), partsBox,
    info.readOnly ? null : resetForm(id));
  const chart = timeChart(lagBox, 'Total lag (records)', ['lag'], (v) => num(v));
  onLeave(() => chart.destroy());
  const refresh = async () => {
    const g = await get(`/api/groups/${enc(id)}`);
    head.replaceChildren(h('p', {}, 'State ', h('strong', { id: 'group-state' }, g.state), ` · ${g.members.length} member(s) · total lag `,
      h('strong', { id: 'group-lag' }, String(g.totalLag)), ` · protocol ${g.protocol || '—'} · coordinator ${g.coordinator ?? '—'}`));
    membersBox.replaceChildren(g.members.length ? sortableTable([
      { key: 'memberId', title: 'Member' }, { key: 'clientId', title: 'Client' }, { key: 'host', title: 'Host' },
      { key: 'assignment', title: 'Assignment', render: (m) => m.assignment.join(', ') },
    ], g.members, { id: 'members' }) : h('p', { class: 'muted' }, 'No active members.'));
    partsBox.replaceChildren(sortableTable([
      { key: 'topic', title: 'Topic' }, { key: 'partition', title: 'Partition', num: true },
      { key: 'committedOffset', title: 'Committed', num: true }, { key: 'endOffset', title: 'End offset', num: true },
      { key: 'lag', title: 'Lag', num: true }, { key: 'clientId', title: 'Consumer' },
    ], g.partitions, { id: 'group-partitions' }));
    chart.set(g.lagHistory.map((p) => p.time / 1000), g.lagHistory.map((p) => p.lag));
  };
  await refresh();
  every(refreshMs(), () => refresh().then(clearError, showError));
}

function resetForm(id) {
  const topic = h('input', { id: 'reset-topic', placeholder: 'all committed', size: 14 });
  const parts = h('input', { id: 'reset-partitions', placeholder: 'all, or 0,2', size: 10, 'aria-label': 'Partitions of the topic' });
  const to = h('select', { id: 'reset-to' }, ...['earliest', 'latest', 'timestamp', 'offset', 'shift'].map((m) => h('option', { value: m }, m)));
  const value = h('input', { id: 'reset-value', placeholder: 'for timestamp / offset / shift', size: 20 });
  const err = h('div', { class: 'inline-error', id: 'reset-error', role: 'alert' });
  const plan = h('div', { id: 'reset-plan' });
  const execute = h('button', { type: 'button', class: 'danger', id: 'reset-execute', disabled: true }, 'Execute reset');
  const body = () => {
    const b = { to: to.value };
    if (topic.value.trim()) b.topic = topic.value.trim();
    if (topic.value.trim() && parts.value.trim()) b.partitions = parts.value.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    if (['timestamp', 'offset', 'shift'].includes(to.value)) {
      const v = value.value.trim();
      b.value = to.value === 'timestamp' && !/^-?\d+$/.test(v) ? String(Date.parse(v)) : v;
    }
    return b;
  };
  const show = (r) => plan.replaceChildren(h('p', {}, r.executed ? h('strong', { class: 'ok', id: 'reset-done' }, 'Reset executed.') : 'Preview — nothing committed yet:'),
    sortableTable([{ key: 'topic', title: 'Topic' }, { key: 'partition', title: 'Partition', num: true },
      { key: 'currentOffset', title: 'Current', num: true }, { key: 'newOffset', title: 'New', num: true },
      { key: 'endOffset', title: 'End', num: true }, { key: 'lagAfter', title: 'Lag after', num: true }], r.plan, { id: 'reset-plan-table' }));
  [topic, parts, to, value].forEach((el) => el.addEventListener('input', () => { execute.disabled = true; }));
  execute.addEventListener('click', async () => {
    err.textContent = '';
    try { show(await post(`/api/groups/${enc(id)}/reset`, { ...body(), execute: true })); execute.disabled = true; } catch (e) { err.textContent = String(e); }
  });
  return h('section', {}, h('h2', {}, 'Reset offsets'),
    h('form', { id: 'reset', onsubmit: async (e) => {
      e.preventDefault(); err.textContent = ''; execute.disabled = true;
      try { show(await post(`/api/groups/${enc(id)}/reset`, body())); execute.disabled = false; } catch (ex) { err.textContent = String(ex); plan.replaceChildren(); }
    } }, h('label', {}, 'Topic', topic), h('label', {}, 'Partitions', parts), h('label', {}, 'To', to), h('label', {}, 'Value', value),
    h('button', { type: 'submit', id: 'reset-preview' }, 'Preview'), execute), err, plan);
}

// ------------------------------------------------------------------ routing
async function routingPage() {
  const r = await get('/api/routing');
  const ordered = r.orderedTopics.length ? sortableTable([
    { key: 'topic', title: 'Topic', render: (t) => h('a', { href: `#/topics/${enc(t.topic)}` }, t.topic) },
    { key: 'partitions', title: 'Partitions', num: true },
    { key: 'growths', title: 'Generations', sort: (t) => t.growths.length, render: (t) => h('div', {},
      h('div', {}, `0: partitions 0..${(t.growths.length ? t.growths[0].from : t.partitions) - 1} (created)`),
      ...t.growths.map((g) => h('div', { 'data-generation': g.generation },
        `${g.generation}: partitions ${g.from}..${g.to - 1}, after fences ${g.fenceOffsets.map((o, p) => `p${p}@${o}`).join(' ')}`)),
      t.fencesError ? h('div', { class: 'inline-error' }, t.fencesError) : null) },
  ], r.orderedTopics, { id: 'ordered-topics', rowAttrs: (t) => ({ 'data-topic': t.topic }) })
    : h('p', { class: 'muted' }, 'No ordered topics (routing.mode=ordered, set when a topic is created).');
  const bindings = r.bindings.length ? r.bindings.map((f) => h('div', { class: 'bindings-file' },
    h('h3', {}, h('code', {}, f.file)), f.error ? h('p', { class: 'inline-error' }, f.error) : null,
    sortableTable([{ key: 'type', title: 'Type' }, { key: 'key', title: 'Routing key or pattern', render: (b) => b.key ?? '(every send)' },
      { key: 'destination', title: 'Destination', render: (b) => h('span', {}, h('a', { href: `#/topics/${enc(b.destination)}` }, b.destination),
        b.destinationExists ? '' : h('span', { class: 'inline-error' }, ' (no such topic)')) }], f.bindings, { id: 'bindings' })))
    : [h('p', { class: 'muted' }, 'No bindings files given. A RoutingProducer keeps its bindings in memory; start the console with '
      + '--bindings FILE (the file its reload(path) reads) to show them here.')];
  const matchKey = h('input', { id: 'match-key', placeholder: 'order.eu.created', 'aria-label': 'Routing key to try' });
  const matchOut = h('div', { id: 'match-result', role: 'status' });
  const matchForm = r.bindings.length ? h('form', { id: 'match', onsubmit: async (e) => {
    e.preventDefault(); matchOut.textContent = '';
    try {
      const m = await get(`/api/routing/match?key=${enc(matchKey.value === '' ? '""' : matchKey.value)}`);
      matchOut.replaceChildren(...m.files.map((f) => h('div', {}, h('code', {}, f.file), ': ',
        f.error ? h('span', { class: 'inline-error' }, f.error) : f.destinations.length ? f.destinations.join(', ') : 'no topic')));
    } catch (ex) { matchOut.textContent = String(ex); }
  } }, h('label', {}, 'Try a routing key', matchKey), h('button', { type: 'submit', id: 'match-submit' }, 'Show destinations'), matchOut) : null;
  const dlts = r.deadLetterTopics.length ? sortableTable([
    { key: 'topic', title: 'Dead-letter topic', render: (d) => h('a', { href: `#/routing/dlt/${enc(d.topic)}` }, d.topic) },
    { key: 'originalTopic', title: 'Original topic', render: (d) => d.originalExists
      ? h('a', { href: `#/topics/${enc(d.originalTopic)}` }, d.originalTopic) : h('span', {}, d.originalTopic, ' (deleted)') },
    { key: 'records', title: 'Records', num: true, render: (d) => num(d.records) },
    { key: 'partitions', title: 'Partitions', num: true },
  ], r.deadLetterTopics, { id: 'dead-letter-topics', rowAttrs: (d) => ({ 'data-dlt': d.topic }) })
    : h('p', { class: 'muted' }, 'No dead-letter topics (<topic>.DLT, written by RetryingProcessor).');
  main.replaceChildren(h('h1', {}, 'Routing'),
    h('h2', {}, 'Ordered topics and their growth fences'), ordered,
    h('h2', {}, 'Exchange bindings'), ...bindings, matchForm,
    h('h2', {}, 'Dead letters'), dlts);
}

async function deadLetterPage(name) {
  const limit = h('input', { id: 'dlt-limit', type: 'number', value: '100', min: 1, max: 1000, 'aria-label': 'Newest dead letters to show' });
  const tbody = h('tbody', { id: 'dlt-body' });
  const status = h('div', { id: 'redrive-result', role: 'status' });
  const redrive = h('button', { type: 'button', id: 'redrive-submit', class: 'danger', disabled: true }, 'Re-drive selected');
  const header = (r, k) => { const x = r.headers.find((hd) => hd.key === `tributary.dlt.${k}`); return x ? x.value : null; };
  const selected = () => [...tbody.querySelectorAll('input[type=checkbox]:checked')].map((c) => ({ partition: Number(c.dataset.partition), offset: Number(c.dataset.offset) }));
  const load = async () => {
    const page = await get(`/api/topics/${enc(name)}/messages?mode=newest&limit=${enc(limit.value)}`);
    tbody.replaceChildren(...page.records.map((r) => {
      const box = h('input', { type: 'checkbox', 'data-partition': r.partition, 'data-offset': r.offset, 'aria-label': `Select ${r.partition}@${r.offset}`,
        disabled: info.readOnly, onchange: () => { redrive.disabled = !selected().length; } });
      return h('tr', { class: 'dead-letter', 'data-key': r.key.data ?? '', 'data-offset': r.offset, 'data-partition': r.partition },
        h('td', {}, box), h('td', { class: 'num' }, `${r.partition}@${r.offset}`), h('td', {}, new Date(r.timestamp).toISOString()),
        h('td', {}, h('pre', {}, r.key.data ?? 'null')), h('td', {}, h('pre', {}, r.value.data ?? 'null')),
        h('td', {}, `${header(r, 'original.topic') ?? '—'} ${header(r, 'original.partition') ?? ''}@${header(r, 'original.offset') ?? ''}`),
        h('td', {}, h('div', {}, header(r, 'exception.class') ?? '—'), h('div', { class: 'muted' }, header(r, 'exception.message') ?? ''),
          h('div', { class: 'muted' }, `attempts: ${header(r, 'attempts') ?? '—'}`)));
    }));
    tbody.parentElement.dataset.loaded = String(page.records.length);
    redrive.disabled = true;
  };
  redrive.addEventListener('click', async () => {
    status.className = ''; status.textContent = '';
    const records = selected();
    try {
      const done = await post(`/api/topics/${enc(name)}/redrive`, { records });
      status.className = 'ok';
      status.replaceChildren(h('strong', {}, `Re-drove ${done.redriven.length} record(s): `),
        done.redriven.map((x) => `${x.partition}@${x.offset} → ${x.toTopic}-${x.toPartition}@${x.toOffset}`).join(', '));
    } catch (ex) { status.className = 'inline-error'; status.textContent = String(ex); }
  });
  main.replaceChildren(h('h1', {}, 'Dead letters of ', h('span', { id: 'dlt-name' }, name)),
    h('p', { class: 'muted' }, 'Select records and re-drive them to their original topic: their key, value and headers are produced again '
      + '(without the tributary.dlt.* headers, with tributary.dlt.redriven.from); the dead letters stay here.'),
    h('form', { class: 'bar', onsubmit: (e) => { e.preventDefault(); load().catch(showError); } },
      h('label', {}, 'Newest', limit), h('button', { type: 'submit', class: 'secondary' }, 'Reload'), info.readOnly ? null : redrive),
    status,
    h('table', { id: 'dead-letters' }, h('thead', {}, h('tr', {}, ...['', 'Where', 'Time', 'Key', 'Value', 'Original', 'Failure'].map((x) => h('th', {}, x)))), tbody));
  await load();
}

// ------------------------------------------------------------------ start
(async () => {
  await loadInfo();
  document.getElementById('logout').addEventListener('click', async () => {
    try { await post('/api/logout'); } catch (e) { /* the session is gone either way */ }
    await loadInfo(); route();
  });
  window.addEventListener('console:unauthenticated', () => {
    if (info.loggedIn) { info.loggedIn = false; info.principal = null; document.getElementById('principal').textContent = ''; route(); }
  });
  document.body.dataset.ready = 'true';
  window.addEventListener('hashchange', route);
  route();
})();
