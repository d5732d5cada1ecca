// Way to anyone: the strongest introduction chains to a target, drawn as
// SVG with each link's strength on its edge, and the team member best
// placed to introduce; asking a teammate (a chain's first hop) for the
// introduction (chain.js).
import { api, rememberName, orbits, memberList } from './api.js';
import { h, s, clear, announce, loading, errorBox, pct } from './dom.js';
import { combobox } from './combobox.js';
import { focusHeading, go } from './nav.js';
import { askAction, chainList } from './chain.js';

const ORBIT_FILL = { inner: '#c2410c', close: '#b7791f', active: '#2f855a', known: '#2b6cb0' };
const edgeCache = new Map();

async function edgeStrength(a, b) {
  const key = a < b ? `${a}-${b}` : `${b}-${a}`;
  if (!edgeCache.has(key)) {
    edgeCache.set(key, api('/intro', { params: { from: a, to: b, hops: 1, alts: 0 } })
      .then((r) => (r.paths && r.paths[0] ? r.paths[0].strength : null))
      .catch(() => null));
  }
  return edgeCache.get(key);
}

function wrapName(name, max = 16) {
  if (name.length <= max) return [name];
  const words = name.split(' ');
  const lines = [''];
  for (const w of words) {
    const cur = lines[lines.length - 1];
    if (cur && (cur + ' ' + w).length > max && lines.length < 2) lines.push(w);
    else lines[lines.length - 1] = cur ? `${cur} ${w}` : w;
  }
  return lines;
}

// One chain as SVG: horizontal when there is room, vertical on a phone.
export function pathSvg(chain, strengths, orbitMap, meId, vertical) {
  const n = chain.people.length;
  const gap = vertical ? 84 : 170;
  const W = vertical ? 300 : Math.max(2, n) * gap - gap + 140;
  const H = vertical ? (n - 1) * gap + 60 : 100;
  const pos = (i) => (vertical ? [40, 30 + i * gap] : [70 + i * gap, 36]);
  const labels = chain.people.map((p, i) => (i ? `${pct(strengths[i - 1])} to ${p.name}` : p.name));
  const svg = s('svg', {
    class: 'path-svg', viewBox: `0 0 ${W} ${H}`, role: 'img', width: W, height: H,
    'aria-label': `Chain: ${labels.join(', then ')}`,
  });
  for (let i = 0; i + 1 < n; i++) {
    const [x1, y1] = pos(i), [x2, y2] = pos(i + 1);
    const st = strengths[i];
    svg.append(s('line', { class: 'edge', x1, y1, x2, y2, 'stroke-width': 2 + 8 * (st || 0) }));
    const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
    const text = st == null ? '?' : pct(st);
    const bw = 14 + text.length * 7.5;
    svg.append(s('rect', { class: 'edge-label-bg', x: mx - bw / 2 + (vertical ? 30 : 0), y: my - 11, width: bw, height: 22, rx: 11 }));
    svg.append(s('text', { class: 'edge-label', x: mx + (vertical ? 30 : 0), y: my + 4, 'text-anchor': 'middle' }, text));
  }
  chain.people.forEach((p, i) => {
    const [x, y] = pos(i);
    const orbit = orbitMap.get(p.id);
    const fill = p.id === meId ? '#3b2f8f' : orbit ? ORBIT_FILL[orbit.orbit_name] || '#8a8797' : '#8a8797';
    const a = s('a', { href: `#/person/${p.id}`, 'aria-label': p.name });
    a.append(s('circle', { cx: x, cy: y, r: i === 0 || i === n - 1 ? 17 : 13, fill }));
    if (vertical) {
      a.append(s('text', { x: x + 28, y: y + 4 }, p.name));
    } else {
      wrapName(p.name).forEach((line, j) => a.append(s('text', { x, y: y + 36 + j * 15, 'text-anchor': 'middle' }, line)));
    }
    svg.append(s('g', { class: 'node' }, a));
  });
  return svg;
}

export async function introScreen(ctx) {
  const { root, session, params } = ctx;
  ctx.setTitle('Way to anyone');
  const meId = session.me.person ? session.me.person.id : null;
  const target = h('input', { id: 'intro-to', type: 'text', placeholder: 'Who do you want to reach?', required: true });
  const hops = h('select', { id: 'intro-hops' }, [2, 3, 4, 5, 6].map((n) => h('option', { value: n, selected: n === 4 }, `${n} links`)));
  const results = h('div', { id: 'intro-results', 'aria-live': 'polite' });
  const team = h('div', { id: 'intro-team', 'aria-live': 'polite' });
  const form = h('form', { 'aria-label': 'Find a way to someone' },
    h('div', { class: 'row' },
      h('div', { class: 'field grow' }, h('label', { for: 'intro-to' }, 'Target'), target),
      h('div', { class: 'field tight' }, h('label', { for: 'intro-hops' }, 'At most'), hops)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Find the way')));
  combobox(target, { types: ['person'], onPick: (it, input) => { input.value = it.title; input.dataset.pickedId = String(it.id); run(); } });
  form.addEventListener('submit', (e) => { e.preventDefault(); run(); });

  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Way to anyone'), h('p', null, 'The warmest chains of introductions, strongest first. ',
      h('a', { href: '#/intros' }, 'Your introduction requests'), '.')),
    h('div', { class: 'grid' },
      h('section', { class: 'panel span-8', 'aria-labelledby': 'paths-title' }, form,
        h('h2', { id: 'paths-title', class: 'sr-only' }, 'Introduction paths'), results),
      h('section', { class: 'panel span-4', 'aria-labelledby': 'team-title' },
        h('h2', { id: 'team-title' }, 'Best placed in the team'), team)));
  clear(team).append(h('p', { class: 'empty' }, 'Pick a target to see who in the team knows the way.'));
  focusHeading(root);

  async function run() {
    const to = target.dataset.pickedId || target.value.trim();
    const target0 = () => target.value.trim();
    if (!to) { target.focus(); return; }
    if (location.hash !== `#/intro?to=${encodeURIComponent(to)}`) history.replaceState(null, '', `#/intro?to=${encodeURIComponent(to)}`);
    clear(results).append(loading('Finding the strongest chains…'));
    clear(team).append(loading());
    const orbitMap = await orbits().catch(() => new Map());
    const vertical = results.clientWidth < 560;
    const ms = await memberList();
    const memberOfPerson = new Map(ms.filter((m) => m.person).map((m) => [m.person, m]));
    const teamP = api('/intro/team', { params: { to } }).then(async (t) => {
      if (!ctx.alive()) return [];
      const members = (t.members || []).filter((m) => m.path && m.path.people && m.path.people.length);
      members.sort((a, b) => b.path.strength - a.path.strength);
      const edges = await Promise.all(members.map((m) => Promise.all(m.path.people.slice(1).map((p, i) => edgeStrength(m.path.people[i].id, p.id)))));
      if (!ctx.alive()) return [];
      const dest = { id: Number(t.to), name: members.length ? members[0].path.people[members[0].path.people.length - 1].name : target0() };
      clear(team).append(members.length
        ? h('ol', { class: 'list', id: 'team-list' }, members.map((m, i) => h('li', { class: 'team-way', dataset: { member: String(m.member) } },
          h('div', { class: 'main' },
            h('div', { class: 'name' }, m.member === session.me.id ? `${m.name} (you)` : m.name, i === 0 ? [' ', h('span', { class: 'badge active' }, 'best placed')] : null,
              h('span', { class: 'muted small' }, ` · ${pct(m.path.strength)}, ${m.path.hops} link${m.path.hops === 1 ? '' : 's'}`)),
            chainList(m.path.people, edges[i]),
            // No asking oneself, nor a teammate whose chain runs through you.
            m.member === session.me.id || m.path.hops < 1 || m.path.people.some((p) => p.id === meId) ? null
              : askAction({ member: { id: m.member, name: m.name }, target: dest, hops: hops.value })))))
        : h('p', { class: 'empty' }, 'Nobody in the team has a way there.'));
      return members;
    }).catch((e) => { if (ctx.alive()) clear(team).append(errorBox(e)); return []; });
    try {
      const data = await api('/intro', { params: { to, alts: 3, hops: hops.value } });
      const paths = data.paths || [];
      for (const c of paths) for (const p of c.people) rememberName(p.id, p.name);
      const strengths = await Promise.all(paths.map((c) => Promise.all(c.people.slice(1).map((p, i) => edgeStrength(c.people[i].id, p.id)))));
      if (!ctx.alive()) return;
      clear(results);
      if (!paths.length) {
        const others = (await teamP).filter((m) => m.member !== session.me.id);
        if (!ctx.alive()) return;
        results.append(h('div', { class: 'empty-state', id: 'intro-none' }, others.length
          ? h('p', null, `No chain of yours reaches them within ${hops.value} links, but ${others.length === 1 ? `${others[0].name} has one` : `${others.length} teammates have one`}: ask for an introduction under “Best placed in the team”.`)
          : h('p', null, `No chain of at most ${hops.value} links reaches them, from you or anyone in the team. Add the links you know from a person’s page, or try more links.`)));
        announce('No path of your own found.');
        return;
      }
      const targetName = paths[0].people[paths[0].people.length - 1].name;
      // A chain whose first hop is a teammate's person: ask that teammate.
      const askFirstHop = (c) => {
        const m = c.people.length > 2 ? memberOfPerson.get(c.people[1].id) : null;
        if (!m || m.id === session.me.id) return null;
        return askAction({ member: { id: m.id, name: m.name }, target: { id: c.people[c.people.length - 1].id, name: targetName }, hops: hops.value });
      };
      if (paths[0].hops === 0) { results.append(h('p', { class: 'empty' }, 'That is you.')); return; }
      results.append(h('div', { class: 'paths' }, paths.map((c, i) => h('article', { class: 'path-card', 'aria-label': `Path ${i + 1}` },
        h('h3', null, i === 0 ? 'Strongest' : `Alternative ${i}`,
          h('span', { class: 'muted small' }, `${c.hops} link${c.hops === 1 ? '' : 's'} · strength ${pct(c.strength)}`)),
        pathSvg(c, strengths[i], orbitMap, meId, vertical), askFirstHop(c)))));
      announce(`${paths.length} path${paths.length === 1 ? '' : 's'} to ${targetName}.`);
    } catch (e) {
      if (ctx.alive()) clear(results).append(errorBox(e));
    }
  }

  const to = params.get('to');
  if (to) {
    target.value = to;
    if (/^\d+$/.test(to)) {
      target.dataset.pickedId = to;
      api(`/people/${to}`).then((p) => { if (ctx.alive()) target.value = p.name; }).catch(() => {});
    }
    await run();
  } else {
    target.focus();
  }
}
