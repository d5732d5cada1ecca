// The network picture (ego network, 1–2 degrees, force layout on canvas,
// coloured by orbit, zoom and pan) and "near me": people within N links
// who pass filters, listed and highlighted in the picture.
import { api, allPages, rememberName, orbits, ORBITS } from './api.js';
import { h, put, clear, announce, loading, errorBox, errorText, pct, plural } from './dom.js';
import { NetworkView } from './graph.js';
import { focusHeading, go } from './nav.js';

export const ORBIT_COLOURS = { me: '#3b2f8f', inner: '#c2410c', close: '#b7791f', active: '#2f855a', known: '#2b6cb0', beyond: '#a09cb0' };
const FILTERS = [
  ['tag', 'Tag', 'e.g. chess'],
  ['city', 'City', 'e.g. Lyon'],
  ['country', 'Country', 'e.g. France'],
  ['works_at', 'Works at', 'organisation now'],
  ['worked_at', 'Worked at', 'organisation ever'],
];

export async function networkScreen(ctx) {
  const { root, session, params } = ctx;
  ctx.setTitle('Network & near me');
  const me = session.me.person;
  const canvas = h('canvas', { id: 'net-canvas', tabindex: '0', role: 'img', 'aria-label': 'Network picture, loading', 'aria-describedby': 'net-help' });
  const info = h('div', { class: 'net-info', id: 'net-info', 'aria-live': 'polite' }, 'Loading the picture…');
  const zoomIn = h('button', { type: 'button', 'aria-label': 'Zoom in', title: 'Zoom in (+)' }, '+');
  const zoomOut = h('button', { type: 'button', 'aria-label': 'Zoom out', title: 'Zoom out (−)' }, '−');
  const fitBtn = h('button', { type: 'button', 'aria-label': 'Fit the whole picture', title: 'Fit (0)' }, 'Fit');
  const depth = h('select', { id: 'net-depth' }, h('option', { value: '1' }, '1 link'), h('option', { value: '2', selected: true }, '2 links'));
  const legend = h('ul', { class: 'legend', 'aria-label': 'Colours' },
    ['me', ...ORBITS, 'beyond'].map((o) => h('li', null, h('span', { class: `dot ${o}`, 'aria-hidden': 'true' }), o === 'me' ? 'you' : o === 'beyond' ? 'beyond your orbits' : o)),
    h('li', null, h('span', { class: 'ring', 'aria-hidden': 'true' }), 'matches the filters'));

  // Near me form.
  const within = h('select', { id: 'near-within' }, [1, 2, 3, 4, 5, 6].map((n) => h('option', { value: n, selected: n === 2 }, `${n} link${n === 1 ? '' : 's'}`)));
  const inputs = {};
  const fields = FILTERS.map(([k, label, ph]) => {
    inputs[k] = h('input', { id: `near-${k}`, type: 'text', placeholder: ph, value: params.get(k) || '' });
    return h('div', { class: 'field' }, h('label', { for: `near-${k}` }, label), inputs[k]);
  });
  const nearForm = h('form', { 'aria-label': 'Near me filters' },
    h('div', { class: 'row' }, h('div', { class: 'field tight' }, h('label', { for: 'near-within' }, 'Within'), within), fields.slice(0, 2)),
    h('div', { class: 'row' }, fields.slice(2)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Find'), h('button', { type: 'reset', class: 'secondary' }, 'Clear')));
  const nearResults = h('div', { id: 'near-results', 'aria-live': 'polite' });

  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Network & near me'), h('p', null, 'Everyone within two links of you, coloured by orbit.')),
    h('div', { class: 'grid' },
      h('section', { class: 'span-8', 'aria-labelledby': 'pic-title' },
        h('h2', { id: 'pic-title', class: 'sr-only' }, 'Network picture'),
        h('div', { class: 'net-bar' }, h('label', { for: 'net-depth' }, 'Show people within'), depth, legend),
        h('div', { class: 'net-wrap' }, canvas,
          h('div', { class: 'net-tools' }, zoomIn, zoomOut, fitBtn), info),
        h('p', { class: 'hint', id: 'net-help' }, 'Drag to pan, wheel or pinch to zoom, click someone to select, double-click to open. With the keyboard: arrows pan, ',
          h('kbd', null, '+'), ' ', h('kbd', null, '−'), ' zoom, ', h('kbd', null, '['), ' ', h('kbd', null, ']'), ' step through people, ', h('kbd', null, 'Enter'), ' opens.')),
      h('section', { class: 'panel span-4', 'aria-labelledby': 'near-title' },
        h('h2', { id: 'near-title' }, 'Near me'), nearForm, nearResults)));
  focusHeading(root);

  let data = null; // {nodes, index: Map id -> i}
  const view = new NetworkView(canvas, {
    onSelect: (node) => showInfo(node),
    onOpen: (node) => go(`#/person/${node.id}`),
  });
  ctx.onCleanup(() => view.destroy());
  zoomIn.addEventListener('click', () => view.zoomBy(1.3));
  zoomOut.addEventListener('click', () => view.zoomBy(1 / 1.3));
  fitBtn.addEventListener('click', () => view.fit());

  function showInfo(node) {
    clear(info);
    if (!node) {
      if (!data) return;
      if (data.nodes.length <= 1) {
        info.append(h('span', { id: 'net-empty' }, 'Only you so far. The picture grows as you ',
          h('a', { href: '#/people/new' }, 'add people'), ', link them, or ', h('a', { href: '#/import' }, 'import contacts'), '.'));
        return;
      }
      info.append(`${plural(data.nodes.length, 'person', 'people')}, ${plural(data.edges.length, 'link')}. Select someone.`);
      return;
    }
    info.append(h('strong', null, node.name), ' ',
      h('span', { class: `badge ${node.orbit}` }, node.orbit === 'me' ? 'you' : node.orbit), ' ',
      node.distance ? h('span', { class: 'muted' }, `${node.distance} link${node.distance === 1 ? '' : 's'} away · ${node.degree} in picture `) : null,
      h('a', { href: `#/person/${node.id}` }, 'Open'));
  }

  async function loadPicture() {
    info.textContent = 'Loading the picture…';
    try {
      const [near, orbitMap, links] = await Promise.all([
        api('/near', { params: { within: depth.value, limit: 0 } }),
        orbits(),
        allPages('/links'),
      ]);
      if (!ctx.alive()) return;
      const nodes = [];
      const index = new Map();
      const add = (id, name, distance) => {
        index.set(id, nodes.length);
        const o = orbitMap.get(id);
        const orbit = id === (me && me.id) ? 'me' : o ? o.orbit_name : 'beyond';
        nodes.push({ id, name, distance, orbit, color: ORBIT_COLOURS[orbit] || ORBIT_COLOURS.beyond, ring: distance, label: orbit === 'inner' || orbit === 'me' });
        rememberName(id, name);
      };
      if (me) add(me.id, me.name, 0);
      for (const p of near.items || []) if (!index.has(p.id)) add(p.id, p.name, p.distance);
      const seen = new Set();
      const edges = [];
      for (const l of links) {
        const a = index.get(l.a), b = index.get(l.b);
        if (a === undefined || b === undefined || a === b) continue;
        const key = a < b ? a * 1e6 + b : b * 1e6 + a;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push([a, b, l.trust == null ? 0.5 : l.trust]);
      }
      const degree = new Array(nodes.length).fill(0);
      for (const [a, b] of edges) { degree[a]++; degree[b]++; }
      const bonus = { inner: 2.5, close: 1.5, active: 0.5 };
      nodes.forEach((nd, i) => { nd.degree = degree[i]; nd.r = nd.orbit === 'me' ? 10 : Math.min(10, 3.5 + Math.sqrt(degree[i]) * 0.9 + (bonus[nd.orbit] || 0)); });
      data = { nodes, edges, index };
      view.setData(nodes, edges, me ? 0 : -1);
      canvas.dataset.nodes = String(nodes.length);
      canvas.dataset.edges = String(edges.length);
      canvas.setAttribute('aria-label', `Network picture: you and ${plural(nodes.length - 1, 'person', 'people')} within ${plural(Number(depth.value), 'link')}, ${plural(edges.length, 'link')} between them.`);
      showInfo(null);
      announce(`Network picture: ${plural(nodes.length, 'person', 'people')}.`);
      if (lastMatches) view.setHighlight(lastMatches);
      const focus = Number(params.get('focus'));
      if (focus && index.has(focus)) setTimeout(() => { view.select(index.get(focus)); }, 50);
    } catch (e) {
      if (ctx.alive()) { put(info, h('span', { class: 'error' }, errorText(e))); }
    }
  }

  let lastMatches = null;
  async function runNear() {
    const q = { within: within.value, limit: 1000 };
    let any = false;
    for (const [k] of FILTERS) { const v = inputs[k].value.trim(); if (v) { q[k] = v; any = true; } }
    put(nearResults, loading('Searching…'));
    try {
      const res = await api('/near', { params: q });
      if (!ctx.alive()) return;
      const items = res.items || [];
      lastMatches = any ? items.map((p) => p.id) : null;
      view.setHighlight(lastMatches || []);
      clear(nearResults);
      nearResults.append(h('p', { class: 'small muted' }, `${plural(items.length, 'person', 'people')} within ${plural(Number(within.value), 'link')}${any ? ' matching' : ''}.`));
      if (items.length) {
        nearResults.append(h('ul', { class: 'list', id: 'near-list' }, items.slice(0, 200).map((p) => {
          rememberName(p.id, p.name);
          const inPic = data && data.index.has(p.id);
          return h('li', null,
            h('div', { class: 'main' },
              h('a', { class: 'name', href: `#/person/${p.id}` }, p.name),
              h('div', { class: 'meta' }, [`${p.distance} link${p.distance === 1 ? '' : 's'}`, [p.city, p.country].filter(Boolean).join(', '), (p.tags || []).join(', ')].filter(Boolean).join(' · '))),
            h('div', { class: 'side' }, pct(p.chain_strength),
              inPic ? h('div', null, h('button', { type: 'button', class: 'quiet', 'aria-label': `Show ${p.name} in the picture`, onclick: () => { const i = data.index.get(p.id); view.select(i); view.centreOn(i); canvas.focus(); } }, 'Show')) : null));
        })));
        if (items.length > 200) nearResults.append(h('p', { class: 'small muted' }, 'The first 200 are listed.'));
      }
      announce(`${items.length} found.`);
    } catch (e) { if (ctx.alive()) put(nearResults, errorBox(e)); }
  }
  nearForm.addEventListener('submit', (e) => { e.preventDefault(); runNear(); });
  nearForm.addEventListener('reset', () => { setTimeout(() => { lastMatches = null; view.setHighlight([]); clear(nearResults); }, 0); });
  depth.addEventListener('change', loadPicture);

  const pic = loadPicture();
  if (FILTERS.some(([k]) => params.get(k))) await Promise.all([pic, runNear()]);
  else await pic;
}
