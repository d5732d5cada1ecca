// Goodwill (#/goodwill?now=&months=): the team's stock of relationships
// over time, introductions per member and per month, favours given and
// received, and the relationships going dry (GET /goodwill).  Computed
// from the log, so any past date can be shown.
import { api, ORBITS } from './api.js';
import { h, s, put, loading, errorBox, plural, pct, dateLabel } from './dom.js';
import { focusHeading, go } from './nav.js';

const num = (x, d = 1) => (Math.round((x || 0) * 10 ** d) / 10 ** d).toLocaleString('en');
const orbitName = (o) => (o ? ORBITS[o - 1] || `orbit ${o}` : 'outside');
const table = (id, caption, head, rows) => h('div', { class: 'table-wrap' }, h('table', { id, class: 'figures' },
  h('caption', { class: 'sr-only' }, caption),
  h('thead', null, h('tr', null, head.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
  h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i ? h('td', { class: 'num' }, c) : h('th', { scope: 'row' }, c))))))));

// The stock over time as a small chart: bars for the people, a line for
// the total strength (each on its own scale), with the figures in words.
function stockChart(series) {
  const W = 640, H = 220, L = 44, R = 44, T = 16, B = 34;
  const n = series.length;
  const maxP = Math.max(1, ...series.map((p) => p.people));
  const maxS = Math.max(0.001, ...series.map((p) => p.strength));
  const xw = (W - L - R) / Math.max(1, n);
  const x = (i) => L + xw * i + xw / 2;
  const yP = (v) => H - B - (v / maxP) * (H - T - B);
  const yS = (v) => H - B - (v / maxS) * (H - T - B);
  const first = series[0], last = series[n - 1];
  const svg = s('svg', { class: 'gw-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', id: 'gw-chart',
    'aria-label': n ? `Stock from ${dateLabel(first.at)} to ${dateLabel(last.at)}: ${plural(first.people, 'person', 'people')} (strength ${num(first.strength)}) then ${plural(last.people, 'person', 'people')} (strength ${num(last.strength)})` : 'No figures' });
  svg.append(s('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
  svg.append(s('text', { class: 'tick', x: L - 6, y: yP(maxP) + 4, 'text-anchor': 'end' }, String(maxP)));
  svg.append(s('text', { class: 'tick', x: L - 6, y: H - B + 4, 'text-anchor': 'end' }, '0'));
  svg.append(s('text', { class: 'tick line-tick', x: W - R + 6, y: yS(maxS) + 4 }, num(maxS)));
  series.forEach((p, i) => {
    const y = yP(p.people);
    svg.append(s('rect', { class: 'bar', x: x(i) - xw * 0.32, y, width: xw * 0.64, height: Math.max(0, H - B - y) },
      s('title', null, `${dateLabel(p.at)}: ${plural(p.people, 'person', 'people')}, strength ${num(p.strength)}`)));
    if (n <= 13 || i % Math.ceil(n / 12) === 0 || i === n - 1) {
      const d = new Date(Date.parse(p.at));
      svg.append(s('text', { class: 'tick', x: x(i), y: H - B + 16, 'text-anchor': 'middle' },
        d.toLocaleDateString('en', { month: 'short', timeZone: 'UTC' }) + (i === 0 || d.getUTCMonth() === 0 ? ` ${String(d.getUTCFullYear()).slice(2)}` : '')));
    }
  });
  if (n) {
    svg.append(s('polyline', { class: 'line', points: series.map((p, i) => `${x(i)},${yS(p.strength)}`).join(' ') }));
    series.forEach((p, i) => svg.append(s('circle', { class: 'point', cx: x(i), cy: yS(p.strength), r: 3.5 })));
  }
  return h('figure', { class: 'gw-figure' }, svg,
    h('figcaption', null, h('ul', { class: 'legend' }, h('li', null, h('span', { class: 'key bar-key', 'aria-hidden': 'true' }), 'people in the team’s inner, close and active orbits (left scale)'),
      h('li', null, h('span', { class: 'key line-key', 'aria-hidden': 'true' }), 'total strength (right scale)'))));
}

export async function goodwillScreen(ctx) {
  const { root, params } = ctx;
  ctx.setTitle('Goodwill');
  const nowV = /^\d{4}-\d{2}-\d{2}$/.test(params.get('now') || '') ? params.get('now') : '';
  const monthsV = Number(params.get('months')) || 12;
  const now = h('input', { type: 'date', id: 'gw-now', value: nowV, 'aria-describedby': 'gw-now-hint' });
  const months = h('select', { id: 'gw-months' }, [3, 6, 12, 24, 36].map((m) => h('option', { value: m, selected: m === monthsV }, `${m} months`)));
  const form = h('form', { class: 'filters', 'aria-label': 'Goodwill as of a date' },
    h('div', { class: 'row' },
      h('div', { class: 'field tight gw-date' }, h('label', { for: 'gw-now' }, 'As of'), now,
        h('span', { class: 'hint', id: 'gw-now-hint' }, 'empty: today')),
      h('div', { class: 'field tight' }, h('label', { for: 'gw-months' }, 'Over'), months)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show'),
      h('a', { class: 'button secondary', href: '#/leaves' }, 'What leaves with a member')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const u = new URLSearchParams();
    if (now.value) u.set('now', now.value);
    if (Number(months.value) !== 12) u.set('months', months.value);
    go(`#/goodwill${u.toString() ? `?${u}` : ''}`);
  });
  const out = h('div', { id: 'gw-out', 'aria-busy': 'true', 'aria-live': 'polite' }, loading('Reading the log…'));
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Goodwill'),
      h('p', null, 'The team’s relationships as an asset: how many, how strong, the introductions and favours that move them.')),
    h('section', { class: 'panel' }, form), out);
  focusHeading(root);
  try {
    const g = await api('/goodwill', { params: { now: nowV || undefined, months: monthsV } });
    if (!ctx.alive()) return;
    const stat = (k, v, extra) => h('div', { class: 'stat' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v), extra ? h('div', { class: 'small muted' }, extra) : null);
    const intro = g.introductions || {}, fav = g.favours || {};
    const series = g.series || [];
    const was = series[0];
    const members = g.members || [];
    const monthsRows = g.months || [];
    const down = g.trending_down || [];
    const section = (id, title, ...body) => h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
    put(out, h('div', { class: 'grid' },
      h('div', { class: 'col span-12' },
        section('gw-stock', `The stock, as of ${dateLabel(g.now)}`,
          h('div', { class: 'summary', id: 'gw-summary' },
            stat('people in orbits', (g.stock.people || 0).toLocaleString('en'), was ? `${was.people.toLocaleString('en')} on ${dateLabel(was.at)}` : null),
            stat('total strength', num(g.stock.strength), was ? `${num(was.strength)} on ${dateLabel(was.at)}` : null),
            stat('introductions asked', String(intro.asked || 0)),
            stat('made', String(intro.made || 0)),
            stat('with an outcome', String(intro.outcomes || 0)),
            stat('favours given', num(fav.given)), stat('favours received', num(fav.received)),
            stat('favours within the team', num(fav.within))),
          series.length ? stockChart(series) : h('p', { class: 'empty' }, 'No figures for this period.'),
          series.length ? h('details', { class: 'gw-figures' }, h('summary', null, 'The figures'),
            table('gw-series', 'Stock over time', ['Date', 'People', 'Strength'], series.map((p) => [dateLabel(p.at), String(p.people), num(p.strength, 2)]))) : null)),
      h('div', { class: 'col span-7' },
        section('gw-members', 'Per member',
          members.length ? table('gw-members-table', 'Introductions and favours per member',
            ['Member', 'Asked', 'Asked of them', 'Made', 'With an outcome', 'Favours given', 'Received', 'People in orbits'],
            members.map((m) => [m.member.name, String(m.asked), String(m.asked_of), String(m.made), String(m.outcomes), num(m.favours_given), num(m.favours_received), String(m.people)]))
            : h('p', { class: 'empty' }, 'No members.'),
          h('p', { class: 'small muted' }, 'Introductions count the requests you are a party to; favours, those with people outside the team.')),
        section('gw-months', 'Per month',
          monthsRows.length ? table('gw-months-table', 'Introductions and favours per month',
            ['Month', 'Asked', 'Made', 'With an outcome', 'Favours given', 'Received'],
            monthsRows.slice().reverse().map((m) => [m.month, String(m.asked), String(m.made), String(m.outcomes), num(m.favours_given), num(m.favours_received)]))
            : h('p', { class: 'empty' }, 'Nothing logged in this period.'))),
      h('div', { class: 'col span-5' },
        section('gw-down', 'Going dry',
          down.length ? [h('p', { class: 'small muted' }, 'People who left a member’s closest three orbits in the last 90 days. A call now keeps them.'),
            h('ul', { class: 'list', id: 'gw-down-list' }, down.map((d) => h('li', null,
              h('div', { class: 'main' }, h('a', { class: 'name', href: `#/person/${d.id}` }, d.name),
                h('div', { class: 'meta' }, `${d.member ? d.member.name : ''}: ${orbitName(d.before)} → ${orbitName(d.orbit)}`)),
              h('div', { class: 'side' }, h('span', { class: 'trend down' }, `${pct(d.strength_90d_ago)} → ${pct(d.strength)}`)))))]
            : h('p', { class: 'empty' }, 'Nobody is slipping away: every close relationship held its place over the last 90 days.')))));
  } catch (e) {
    if (ctx.alive()) put(out, errorBox(e));
  }
  out.setAttribute('aria-busy', 'false');
}
