// A person as a candidate (GET /people/{id}/candidate): their degree to
// each team member, the shortest and the strongest chain, who vouches for
// them and with what trust, and the contacts they share with each member.
// Loaded when the panel is opened (it searches the graph once per member).
import { api } from './api.js';
import { h, put, loading, errorBox, plural, pct, dateLabel } from './dom.js';
import { chainList, links, strengthBadge } from './chain.js';

const degreeText = (d) => (d == null ? 'not within reach' : d === 0 ? 'is this member' : `${links(d)} away`);

// The shortest and the strongest chain of one member, once when they are
// the same.
function chains(t) {
  const sh = t.shortest || [], st = t.strongest;
  const same = st && sh.length === st.people.length && sh.every((p, i) => p.id === st.people[i].id);
  const out = [];
  if (sh.length > 1 && !same) {
    out.push(h('div', { class: 'small' }, h('span', { class: 'muted' }, 'Shortest: '), chainList(sh, null, { 'aria-label': 'Shortest chain' })));
  }
  if (st) {
    out.push(h('div', { class: 'small' }, h('span', { class: 'muted' }, same ? 'Shortest and strongest: ' : 'Strongest: '),
      strengthBadge(st.strength), chainList(st.people, st.edges, { 'aria-label': 'Strongest chain' })));
  }
  return out;
}

function render(c, meId) {
  const ties = c.members || [];
  const vouches = c.vouches || [];
  return [
    h('p', { id: 'candidate-degree', class: 'candidate-degree' }, c.degree == null
      ? 'Nobody in the team reaches them yet.'
      : [h('strong', null, links(c.degree)), ' from the team at the closest.']),
    h('ul', { class: 'list candidate-members', id: 'candidate-members' }, ties.map((t) => h('li', { dataset: { member: String(t.member.id) } },
      h('div', { class: 'main' },
        h('div', { class: 'name' }, t.member.id === meId ? 'You' : t.member.name, ' ',
          h('span', { class: `badge ${t.degree == null ? 'beyond' : t.degree <= 1 ? 'active' : t.degree === 2 ? 'known' : 'beyond'}` }, degreeText(t.degree))),
        chains(t),
        (t.mutual || []).length ? h('div', { class: 'meta mutual' }, `${plural(t.mutual.length, 'mutual contact')}: `,
          t.mutual.slice(0, 12).map((p, i) => [i ? ', ' : '', h('a', { href: `#/person/${p.id}` }, p.name)]), t.mutual.length > 12 ? ` and ${t.mutual.length - 12} more` : '') : null)))),
    h('h3', null, 'Who vouches for them'),
    vouches.length
      ? h('ul', { class: 'list', id: 'candidate-vouches' }, vouches.map((v) => h('li', null,
        h('div', { class: 'main' }, h('a', { class: 'name', href: `#/person/${v.voucher.id}` }, v.voucher.name),
          h('div', { class: 'meta' }, v.trust == null ? 'no trust set on their link' : `trust ${pct(v.trust)}`, ` · relationship ${pct(v.strength)}`,
            closest(v, meId))),
        v.created ? h('div', { class: 'side' }, dateLabel(v.created)) : null)))
      : h('p', { class: 'empty' }, 'Nobody vouches for them yet.'),
  ];
}

// The member closest to a voucher: the voucher themselves when a member
// vouches (a chain of strength 1), else with the strength of their chain.
function closest(v, meId) {
  const m = v.closest_member;
  if (!m) return ' · no member reaches them';
  const who = m.id === meId ? 'you' : m.name;
  return v.member_chain >= 0.9999 ? ` · a member's own vouch (${who})` : ` · closest member: ${who} (${pct(v.member_chain)})`;
}

// The panel: collapsed until opened, then loaded once.
export function candidatePanel(person, meId) {
  const box = h('div', { id: 'candidate-out', 'aria-live': 'polite' });
  const det = h('details', { class: 'candidate', id: 'candidate' },
    h('summary', null, 'Degree to each member, chains, vouches, mutual contacts'), box);
  let loaded = false;
  det.addEventListener('toggle', async () => {
    if (!det.open || loaded) return;
    loaded = true;
    box.setAttribute('aria-busy', 'true');
    put(box, loading('Measuring the ties…'));
    try {
      put(box, render(await api(`/people/${person.id}/candidate`), meId));
    } catch (e) { put(box, errorBox(e)); loaded = false; }
    box.setAttribute('aria-busy', 'false');
  });
  return h('section', { class: 'panel', id: 'candidate-panel', 'aria-labelledby': 'candidate-title' },
    h('h2', { id: 'candidate-title' }, 'As a candidate', h('small', null, 'how close to the team')), det);
}
