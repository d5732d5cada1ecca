// Small DOM helpers.  Nothing here writes HTML strings or style attributes:
// the server's Content-Security-Policy allows neither inline scripts nor
// inline styles, so elements are built with the DOM and styled by class.

const SVGNS = 'http://www.w3.org/2000/svg';

function apply(node, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.setAttribute('class', Array.isArray(v) ? v.filter(Boolean).join(' ') : v);
    else if (k === 'text') node.textContent = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'value' && 'value' in node && !(node instanceof SVGElement)) node.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'hidden' || k === 'selected') node[k] = !!v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  apply(node, attrs);
  append(node, children);
  return node;
}

export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  apply(node, attrs);
  append(node, children);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export const $ = (sel, root = document) => root.querySelector(sel);

let uid = 0;
export const newId = (p = 'k') => `${p}-${++uid}`;

// Announcements for screen readers go to a polite live region; those
// worth seeing (a saved change, an error) also show briefly on screen.
let statusTimer = 0;
export function announce(msg, opts = {}) {
  const bad = opts === true || opts.bad;
  const visual = bad || opts.visual;
  const live = document.getElementById('sr-live');
  if (live) {
    live.textContent = '';
    setTimeout(() => { live.textContent = msg; }, 30);
  }
  const st = document.getElementById('status');
  if (!st || !visual) return;
  clearTimeout(statusTimer);
  st.classList.toggle('bad', !!bad);
  st.textContent = msg;
  statusTimer = setTimeout(() => { st.textContent = ''; }, bad ? 8000 : 3500);
}

export function loading(text = 'Loading…') {
  return h('p', { class: 'loading' }, text);
}

export function errorText(err) {
  return err && err.message ? err.message : String(err);
}

export function errorBox(err) {
  return h('p', { class: 'error', role: 'alert' }, errorText(err));
}

// Snippets from the search API mark matches with [brackets].
export function marked(text) {
  const out = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0, m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(h('mark', null, m[1]));
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const DAY = 86400000;
export function when(iso) {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = (Date.now() - t) / DAY;
  if (d < 0 && d > -1) return 'today';
  if (d < 0) return `in ${Math.round(-d)} days`;
  if (d < 1) return new Date(t).toDateString() === new Date().toDateString() ? 'today' : 'yesterday';
  if (d < 2) return 'yesterday';
  if (d < 45) return `${Math.floor(d)} days ago`;
  if (d < 365 * 1.5) return `${Math.round(d / 30.4)} months ago`;
  return `${Math.round(d / 365)} years ago`;
}

export function dateLabel(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso || '';
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function timeEl(iso) {
  return h('time', { datetime: iso, title: iso ? new Date(Date.parse(iso)).toLocaleString() : '' }, when(iso));
}

export const pct = (x) => `${Math.round((x || 0) * 100)}%`;

export function meter(value, label) {
  const bar = h('span');
  bar.style.width = `${Math.max(2, Math.min(100, (value || 0) * 100))}%`;
  return h('span', { class: 'meter', role: 'img', 'aria-label': label || `strength ${pct(value)}` }, bar);
}

export function debounce(fn, ms) {
  let t = 0;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

// "1 person", "2 people": a count with the right form of the word.
export function plural(n, one, many) {
  return `${n.toLocaleString('en')} ${n === 1 ? one : (many || `${one}s`)}`;
}

// Empties node and fills it with children (arrays flattened, null and
// false skipped, as h() does).
export function put(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}
