// Insights (#/insights): the network in numbers, orbits, the favour
// balance, vouches, and duplicates to merge side by side.
import { api, rememberName, ORBITS, orbits } from './api.js';
import { h, put, clear, announce, loading, errorBox, plural, pct, meter, dateLabel } from './dom.js';
import { focusHeading } from './nav.js';
import { confirmDialog, errorLine, serverMessage } from './forms.js';
import { personDetail } from './combobox.js';

const unavailable = (e) => e && (e.status === 404 || e.status === 405);
const section = (id, title, ...body) => h('section', { class: 'panel', 'aria-labelledby': `${id}-title`, id }, h('h2', { id: `${id}-title` }, title), ...body);
const person = (id, name) => { rememberName(id, name); return h('a', { href: `#/person/${id}` }, name); };

async function fill(box, fn) {
  try { await fn(); } catch (e) {
    put(box, unavailable(e) ? h('p', { class: 'empty' }, 'Not available on this server yet.') : errorBox(e));
  }
  box.setAttribute('aria-busy', 'false');
}

export async function insightsScreen(ctx) {
  const { root, session } = ctx;
  ctx.setTitle('Insights');
  const meId = session.me.person ? session.me.person.id : null;
  const box = () => h('div', { 'aria-busy': 'true', 'aria-live': 'polite' }, loading());
  const statsBox = box(), orbitBox = box(), balanceBox = box(), vouchBox = box(), dupesBox = box();
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Insights'), h('p', null, 'Your network in numbers, your orbits, favours, vouches and duplicates.')),
    h('div', { class: 'grid' },
      h('div', { class: 'col span-6' }, section('stats', 'The network', statsBox), section('balance', 'Favour balance', balanceBox), section('vouches', 'Vouches', vouchBox)),
      h('div', { class: 'col span-6' }, section('orbits', 'Your orbits', orbitBox), section('dupes', 'Possible duplicates', dupesBox))));
  focusHeading(root);

  const stats = fill(statsBox, async () => {
    let s;
    try { s = await api('/stats', { params: { top: 5 } }); } catch (e) { s = await api('/stats'); }
    if (!ctx.alive()) return;
    const stat = (k, v) => h('div', { class: 'stat' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, (v ?? 0).toLocaleString('en')));
    put(statsBox, h('div', { class: 'summary', id: 'stats-summary' },
      stat(s.people === 1 ? 'person' : 'people', s.people), stat(s.orgs === 1 ? 'organisation' : 'organisations', s.orgs),
      stat(s.links === 1 ? 'link' : 'links', s.links), stat(s.interactions === 1 ? 'interaction' : 'interactions', s.interactions),
      stat('last 30 days', s.interactions_30d), stat(s.tags === 1 ? 'tag' : 'tags', s.tags), stat('with no link', s.isolated)));
    const deg = await api('/degree').catch(() => null);
    if (deg && (deg.counts || []).length) {
      statsBox.append(h('h3', null, 'How far people are from you'), h('ul', { class: 'degrees small', id: 'degree-list' },
        deg.counts.map((c, i) => h('li', null, `${plural(i + 1, 'link')} away: `, h('strong', null, plural(c, 'person', 'people')))),
        deg.unreachable ? h('li', null, 'not reachable: ', h('strong', null, plural(deg.unreachable, 'person', 'people'))) : null));
    }
    if (s.people <= 1) statsBox.append(h('p', { class: 'empty-state' }, 'Just you so far. ', h('a', { href: '#/people/new' }, 'Add people you know'), ' or ', h('a', { href: '#/import' }, 'import contacts'), '.'));
    const top = s.top || {};
    const lists = [['linked_people', 'Most linked'], ['orgs', 'Largest organisations'], ['cities', 'Cities']].filter(([k]) => (top[k] || []).length);
    if (lists.length) statsBox.append(h('div', { class: 'tops' }, lists.map(([k, label]) => h('div', null, h('h3', null, label),
      h('ol', { class: 'small' }, top[k].map((x) => h('li', null, x.id && k === 'linked_people' ? person(x.id, x.name) : (x.name || x.value || x.key), ` · ${x.count ?? x.n ?? ''}`)))))));
  });

  const orbitP = fill(orbitBox, async () => {
    const m = await orbits(true);
    if (!ctx.alive()) return;
    const by = new Map();
    for (const it of m.values()) { const k = it.orbit_name; if (!by.has(k)) by.set(k, []); by.get(k).push(it); }
    if (!m.size) {
      put(orbitBox, h('p', { class: 'empty-state' }, 'Nobody in your orbits yet. Orbits fill as you log interactions: the people you see most sit closest. ', h('a', { href: '#/' }, 'Log one now'), '.'));
      return;
    }
    put(orbitBox, h('div', { id: 'orbit-groups' }, [...ORBITS, ...[...by.keys()].filter((k) => !ORBITS.includes(k))].filter((k) => by.has(k)).map((k) => {
      const xs = by.get(k).sort((a, b) => b.strength - a.strength);
      return h('details', { class: 'orbit-group', open: k === 'inner' || k === 'close' },
        h('summary', null, h('span', { class: `dot ${k}`, 'aria-hidden': 'true' }), ' ', h('strong', null, k), ` · ${plural(xs.length, 'person', 'people')}`),
        h('ul', { class: 'list' }, xs.slice(0, 100).map((x) => h('li', null, h('div', { class: 'main' }, person(x.person, x.name)),
          h('div', { class: 'side' }, meter(x.strength), ' ', pct(x.strength))))),
        xs.length > 100 ? h('p', { class: 'small muted' }, `and ${xs.length - 100} more`) : null);
    })));
  });

  const balanceP = fill(balanceBox, async () => {
    const b = await api('/balance');
    if (!ctx.alive()) return;
    const items = (b.items || []).filter((x) => x.given || x.received);
    if (!items.length) { put(balanceBox, h('p', { class: 'empty' }, 'No favours logged yet. Log one (kind “favour”) to keep count of who helped whom.')); return; }
    items.sort((a, b) => Math.abs(b.net ?? (b.given - b.received)) - Math.abs(a.net ?? (a.given - a.received)));
    put(balanceBox, h('div', { class: 'table-wrap' }, h('table', { id: 'balance-table' },
      h('thead', null, h('tr', null, ['Person', 'Given', 'Received', 'Balance'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.slice(0, 200).map((x) => {
        const net = x.net ?? ((x.given || 0) - (x.received || 0));
        return h('tr', null, h('td', null, person(x.person, x.name)), h('td', null, String(x.given || 0)), h('td', null, String(x.received || 0)),
          h('td', { class: net > 0 ? 'favour-given' : net < 0 ? 'favour-received' : null }, net > 0 ? `they owe you ${net}` : net < 0 ? `you owe ${-net}` : 'even'));
      })))));
  });

  const vouchP = fill(vouchBox, async () => {
    const v = await api('/vouches', { params: { limit: 200 } });
    if (!ctx.alive()) return;
    const items = v.items || [];
    put(vouchBox, items.length
      ? h('ul', { class: 'list', id: 'vouch-list' }, items.map((x) => h('li', null, h('div', { class: 'main' },
        x.voucher === meId ? 'You' : person(x.voucher, x.voucher_name), ' vouch', x.voucher === meId ? '' : 'es', ' for ', person(x.subject, x.subject_name),
        x.notes ? h('div', { class: 'meta' }, x.notes) : null), x.created ? h('div', { class: 'side' }, dateLabel(x.created)) : null)))
      : h('p', { class: 'empty' }, 'Nobody has vouched for anyone yet. Vouch from a person’s page when you would stake your word on them.'));
  });

  const dupesP = fill(dupesBox, async () => {
    const d = await api('/dupes', { params: { limit: 50 } });
    if (!ctx.alive()) return;
    const items = d.items || [];
    if (!items.length) { put(dupesBox, h('p', { class: 'empty' }, 'No likely duplicates.')); return; }
    const compare = h('div', { id: 'merge-box' });
    put(dupesBox, h('ul', { class: 'list', id: 'dupes-list' }, items.map((x, i) => {
      const li = h('li', null,
        h('div', { class: 'main' }, h('span', { class: 'name' }, x.a.name), ' and ', h('span', { class: 'name' }, x.b.name),
          h('div', { class: 'meta' }, [x.reason, x.detail].filter(Boolean).join(': '))),
        h('div', { class: 'side' }, h('button', { type: 'button', class: 'secondary', id: `compare-${i}`, onclick: () => showMerge(x, compare, li) }, 'Compare')));
      return li;
    })), compare);
  });

  await Promise.all([stats, orbitP, balanceP, vouchP, dupesP]);
}

// Two records side by side, field by field; keep one, merge the other in.
function showMerge(pair, box, row) {
  const { a, b } = pair;
  const err = errorLine();
  const val = (p, k) => {
    const v = p[k];
    if (Array.isArray(v)) return v.join(', ');
    return v == null ? '' : String(v);
  };
  const rows = [['Name', 'name'], ['Emails', 'emails'], ['Phones', 'phones'], ['City', 'city'], ['Country', 'country'], ['Tags', 'tags'], ['About', 'notes']];
  const keep = (k, g) => async () => {
    if (!(await confirmDialog(`Keep ${k.name} (#${k.id}) and merge ${g.name} (#${g.id}) into it?`, { confirm: 'Merge', detail: 'Their emails, phones, tags, links and interactions move to the one kept. This cannot be undone.' }))) return;
    try {
      const kept = await api('/merge', { method: 'POST', json: { keep: String(k.id), gone: String(g.id), keep_etag: k.etag, gone_etag: g.etag } });
      announce(`Merged into ${kept.name || k.name}.`, { visual: true });
      put(box, h('p', { class: 'ok', id: 'merge-done' }, `Merged. `, h('a', { href: `#/person/${k.id}` }, `Open ${kept.name || k.name}`)));
      orbits(true).catch(() => {});
      row.remove();
    } catch (e) { err.show(serverMessage(e)); }
  };
  put(box, h('div', { class: 'merge', role: 'group', 'aria-label': `Compare ${a.name} and ${b.name}` },
    h('h3', null, 'Side by side'),
    h('div', { class: 'table-wrap' }, h('table', { id: 'merge-table' },
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, `#${a.id}`), h('th', { scope: 'col' }, `#${b.id}`))),
      h('tbody', null, rows.map(([label, k]) => {
        const x = val(a, k), y = val(b, k);
        return h('tr', { class: x !== y ? 'differs' : null }, h('th', { scope: 'row' }, label), h('td', null, x), h('td', null, y));
      }), h('tr', null, h('th', { scope: 'row' }, 'Work'), h('td', null, personDetail(a) || ''), h('td', null, personDetail(b) || ''))))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'keep-a', onclick: keep(a, b) }, `Keep #${a.id}, merge #${b.id} in`),
      h('button', { type: 'button', id: 'keep-b', class: 'secondary', onclick: keep(b, a) }, `Keep #${b.id}, merge #${a.id} in`)),
    err.el));
  box.querySelector('button').focus();
}
