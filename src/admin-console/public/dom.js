// Small DOM and formatting helpers. Data is only ever set as text (never as HTML), so a log line or a
// run id can hold anything without becoming markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** h('tag#id.class', {attr: value, onclick: fn, dataset: {...}, text: '...'}, ...children) */
export function h(spec, attrs = {}, ...children) {
  const { tag, id, classes } = parseSpec(spec);
  return build(document.createElement(tag), id, classes, attrs, children);
}

/** A table's <thead>: one column header per label; a label ending in '#num' is a right-aligned number column. */
export function tableHead(...labels) {
  return h('thead', h('tr', ...labels.map((label) => {
    const numeric = label.endsWith('#num');
    return h(numeric ? 'th.num' : 'th', { scope: 'col', text: numeric ? label.slice(0, -4) : label });
  })));
}

export function svg(spec, attrs = {}, ...children) {
  const { tag, id, classes } = parseSpec(spec);
  return build(document.createElementNS(SVG_NS, tag), id, classes, attrs, children);
}

function parseSpec(spec) {
  let tag = 'div';
  let id = null;
  const classes = [];
  for (const [, kind, name] of spec.matchAll(/([.#]?)([^.#]+)/g)) {
    if (kind === '#') id = name;
    else if (kind === '.') classes.push(name);
    else tag = name;
  }
  return { tag, id, classes };
}

/** The second argument is attributes only when it is a plain object; otherwise it is the first child. */
function isAttrs(value) {
  return value !== null && typeof value === 'object' && !(value instanceof Node) && !Array.isArray(value);
}

function build(el, id, classes, attrs, children) {
  if (!isAttrs(attrs)) {
    children = [attrs, ...children];
    attrs = {};
  }
  if (id) el.id = id;
  if (classes.length) el.classList.add(...classes);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'class') el.classList.add(...String(value).split(/\s+/).filter(Boolean));
    else if (key === 'value' && 'value' in el) el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);

// ---- formatting -------------------------------------------------------------------------------

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** 2026-01-11 14:07:11 in the viewer's local time (the ISO UTC time is in the element's title). */
export function formatDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatTime(ms, withMillis = true) {
  const d = new Date(ms);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMillis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** 850 ms, 12.4 s, 3 min 05 s, 2 h 04 min */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  ms = Math.max(0, ms);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/** A clock-like offset for the player: 0:35.120, 1:02:03.000 */
export function formatOffset(ms) {
  ms = Math.max(0, Math.round(ms));
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${pad(s % 60)}.${pad(ms % 1000, 3)}`;
  return h ? `${h}:${pad(m)}:${rest}` : `${m}:${rest}`;
}

export function runDuration(run, now = Date.now()) {
  if (!run?.started_at) return null;
  const end = run.completed_at ? Date.parse(run.completed_at) : now;
  return end - Date.parse(run.started_at);
}

const numberFormat = new Intl.NumberFormat('en-US');
export const formatNumber = (n) => (n === null || n === undefined ? '—' : numberFormat.format(n));

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function plural(n, word, many = `${word}s`) {
  return `${formatNumber(n)} ${n === 1 ? word : many}`;
}

export function statusBadge(status) {
  return h(`span.badge.status-${/^[a-z]+$/.test(status) ? status : 'unknown'}`, { text: status ?? 'unknown' });
}

/** Calls fn at most once per `ms`, the last call winning (trailing edge). */
export function throttle(fn, ms) {
  let timer = null;
  let last = 0;
  return (...args) => {
    const wait = Math.max(0, last + ms - Date.now());
    clearTimeout(timer);
    timer = setTimeout(() => {
      last = Date.now();
      fn(...args);
    }, wait);
  };
}
