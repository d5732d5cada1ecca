// What leaves with a member (#/leaves[?member=ID][&min=S]): for each
// member, the relationships only they hold, the organisations the team
// would lose a way into, and the teammate to meet each one before they go
// (GET /leaves, GET /members/{id}/leaves); and, team-wide, the
// relationships held by one member only.
import { api, memberList } from './api.js';
import { h, put, loading, errorBox, plural, pct } from './dom.js';
import { focusHeading, go } from './nav.js';
import { chainList, strengthBadge } from './chain.js';

const SHOW = 40;

// A long list (or table body) shows its first SHOW rows, and a button for
// the rest.
function capped(list, rows) {
  list.append(...rows.slice(0, SHOW));
  if (rows.length <= SHOW) return [list, null];
  const more = h('button', { type: 'button', class: 'secondary show-more' }, `Show all ${rows.length}`);
  more.addEventListener('click', () => {
    list.append(...rows.slice(SHOW));
    more.remove();
    const f = rows[SHOW].querySelector('a');
    if (f) f.focus();
  });
  return [list, more];
}

const orgLinks = (orgs) => (orgs || []).map((o, i) => [i ? ', ' : '', h('a', { href: `#/org/${o.id}` }, o.name)]);

function suggestion(x, holder, meId) {
  if (!x.suggest) {
    return h('span', { class: 'muted' }, `Nobody else reaches them: ${holder.id === meId ? 'you could introduce' : `${holder.name} could introduce`} a teammate.`);
  }
  const m = x.suggest.member;
  return [h('span', null, h('strong', { class: 'suggest-member' }, m.id === meId ? 'You' : m.name), ` should meet them · `, strengthBadge(x.suggest.strength)),
    chainList(x.suggest.people, x.suggest.edges)];
}

function memberCard(m, meId) {
  const who = m.member.id === meId ? 'you' : m.member.name;
  const held = m.held || [], lost = m.lost_orgs || [];
  return h('section', { class: 'panel leaves-member', id: `leaves-member-${m.member.id}`, 'aria-labelledby': `lm-${m.member.id}-title` },
    h('h2', { id: `lm-${m.member.id}-title` }, `If ${who === 'you' ? 'you' : who} left`),
    h('p', { class: 'leaves-summary' }, held.length
      ? [h('strong', null, plural(held.length, 'relationship')), ` only ${who} hold${who === 'you' ? '' : 's'}`,
        lost.length ? [' · the team would lose its way into ', h('strong', null, plural(lost.length, 'organisation'))] : '', '.']
      : `Nothing leaves with ${who}: no relationship of ${who === 'you' ? 'yours' : 'theirs'} is held by ${who === 'you' ? 'you' : 'them'} alone.`),
    lost.length ? [h('h3', null, 'Organisations the team would lose'),
      h('p', { class: 'org-chips' }, lost.map((o) => h('a', { class: 'tag', href: `#/org/${o.id}` }, o.name)))] : null,
    held.length ? h('details', { class: 'leaves-meet', open: held.length <= 10 },
      h('summary', null, `Meet before ${who === 'you' ? 'you go' : 'they go'} (${held.length})`),
      capped(h('ul', { class: 'list leaves-held' }), held.map((x) => h('li', { dataset: { person: String(x.id) } }, h('div', { class: 'main' },
        h('a', { class: 'name', href: `#/person/${x.id}` }, x.name), ' ', strengthBadge(x.strength),
        (x.orgs || []).length ? h('div', { class: 'meta' }, 'works at ', orgLinks(x.orgs)) : null,
        h('div', { class: 'suggest' }, suggestion(x, m.member, meId))))))) : null);
}

export async function leavesScreen(ctx) {
  const { root, params, session } = ctx;
  ctx.setTitle('What leaves with a member');
  const meId = session.me.id;
  const memberV = Number(params.get('member')) || 0;
  const minV = Number(params.get('min')) || 0.2;
  const ms = await memberList();
  if (!ctx.alive()) return;
  const member = h('select', { id: 'lv-member' }, h('option', { value: '' }, 'every member'),
    ms.map((m) => h('option', { value: m.id, selected: m.id === memberV }, m.id === meId ? `${m.name} (you)` : m.name)));
  const min = h('select', { id: 'lv-min', 'aria-describedby': 'lv-min-hint' }, [0.1, 0.2, 0.3, 0.5].map((v) => h('option', { value: v, selected: Math.abs(v - minV) < 1e-9 }, pct(v))));
  const form = h('form', { class: 'filters', 'aria-label': 'Whose relationships' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'lv-member' }, 'Member'), member),
      h('div', { class: 'field tight' }, h('label', { for: 'lv-min' }, 'Counts from'), min,
        h('span', { class: 'hint', id: 'lv-min-hint' }, 'strength of a relationship'))),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show'), h('a', { class: 'button secondary', href: '#/goodwill' }, 'Goodwill')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const u = new URLSearchParams();
    if (member.value) u.set('member', member.value);
    if (Number(min.value) !== 0.2) u.set('min', min.value);
    go(`#/leaves${u.toString() ? `?${u}` : ''}`);
  });
  const out = h('div', { id: 'leaves-out', 'aria-busy': 'true', 'aria-live': 'polite' }, loading('Finding who holds what…'));
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'What leaves with a member'),
      h('p', null, 'Relationships are the firm’s goodwill. These are held by one member only: nobody else reaches them within two links.')),
    h('section', { class: 'panel' }, form), out);
  focusHeading(root);
  try {
    const d = await api(memberV ? `/members/${memberV}/leaves` : '/leaves', { params: { min: minV !== 0.2 ? minV : undefined } });
    if (!ctx.alive()) return;
    const all = d.held_by_one || [];
    const [tbody, more] = capped(h('tbody'), all.map((x) => h('tr', { dataset: { person: String(x.id) } },
      h('th', { scope: 'row' }, h('a', { href: `#/person/${x.id}` }, x.name)),
      h('td', null, x.held_by ? (x.held_by.id === meId ? 'you' : x.held_by.name) : ''),
      h('td', null, pct(x.strength)),
      h('td', null, orgLinks(x.orgs)),
      h('td', null, x.suggest ? `${x.suggest.member.id === meId ? 'you' : x.suggest.member.name} · ${pct(x.suggest.strength)}` : h('span', { class: 'muted' }, 'none')))));
    const team = memberV ? null : h('section', { class: 'panel', id: 'held-by-one', 'aria-labelledby': 'hbo-title' },
      h('h2', { id: 'hbo-title' }, 'Held by one member only', h('small', null, all.length ? plural(all.length, 'relationship') : '')),
      all.length
        ? [h('div', { class: 'table-wrap' }, h('table', { id: 'held-table', class: 'figures' },
          h('thead', null, h('tr', null, ['Person', 'Held by', 'Strength', 'Works at', 'Second way'].map((t) => h('th', { scope: 'col' }, t)))),
          tbody)), more]
        : h('p', { class: 'empty' }, 'None: every relationship the team holds, at least two members reach.'));
    put(out, team, h('div', { class: 'leaves-members' }, (d.members || []).map((m) => memberCard(m, meId))));
  } catch (e) {
    if (ctx.alive()) put(out, errorBox(e));
  }
  out.setAttribute('aria-busy', 'false');
}
