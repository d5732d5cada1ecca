// An organisation's "Ways in" (GET /orgs/{id}/ways): for each person who
// works or worked there, the team member best placed to introduce, the
// strongest chain with each link's strength, and the other ways by first
// contact; filtered by role words and current only.
import { api } from './api.js';
import { h, put, loading, errorBox, plural } from './dom.js';
import { chainList, links, strengthBadge, askAction } from './chain.js';

const jobLine = (j) => [j.title, `${j.from || '?'}–${j.current ? 'now' : (j.to || '?')}`].filter(Boolean).join(' · ');

function wayItem(w, meMember, mePerson, hops) {
  const best = w.best;
  const mine = (c) => c && c.member && c.member.id === meMember;
  const asks = new Set();
  const ask = (c) => {
    // Not oneself, nor a teammate whose chain runs through one's own person.
    if (!c || !c.member || mine(c) || asks.has(c.member.id) || c.people.some((p) => p.id === mePerson)) return null;
    asks.add(c.member.id);
    return askAction({ member: c.member, target: { id: w.id, name: w.name }, hops });
  };
  const alts = w.alternatives || [];
  const who = (c) => (mine(c) ? 'You' : c.member.name);
  return h('li', { class: 'way', dataset: { person: String(w.id) } },
    h('div', { class: 'way-head' },
      h('a', { class: 'name', href: `#/person/${w.id}` }, w.name), ' ',
      h('span', { class: `badge ${w.current ? 'active' : 'beyond'}` }, w.current ? 'works here' : 'former'),
      h('div', { class: 'meta' }, (w.jobs || []).map(jobLine).join('; '))),
    best
      ? h('div', { class: 'way-best' },
        h('p', { class: 'small' }, h('strong', { class: 'way-member' }, who(best)), mine(best) ? ' have the best way in, ' : ' is best placed, ',
          links(best.hops), ' · ', strengthBadge(best.strength)),
        chainList(best.people, best.edges),
        ask(best))
      : h('p', { class: 'empty' }, `Nobody in the team reaches them within ${hops} links.`),
    alts.length
      ? h('details', { class: 'way-alts' },
        h('summary', null, `${plural(alts.length, 'other way')} in, by first contact`),
        h('ul', { class: 'list' }, alts.map((c) => h('li', null, h('div', { class: 'main' },
          h('p', { class: 'small' }, h('strong', null, who(c)), ` · ${links(c.hops)} · `, strengthBadge(c.strength)),
          chainList(c.people, c.edges), ask(c))))))
      : null);
}

// The panel, for org (the organisation record) as member meMember (whose
// person is mePerson) sees it.
export function waysPanel(ctx, org, meMember, mePerson) {
  const role = h('input', { type: 'search', id: 'ways-role', placeholder: 'e.g. CEO, engineering' });
  const current = h('input', { type: 'checkbox', id: 'ways-current' });
  const hops = h('select', { id: 'ways-hops' }, [2, 3, 4, 5, 6].map((n) => h('option', { value: n, selected: n === 4 }, `${n} links`)));
  const out = h('div', { id: 'ways-out', 'aria-live': 'polite', 'aria-busy': 'true' }, loading('Finding the ways in…'));
  const form = h('form', { class: 'filters', 'aria-label': 'Filter the ways in' },
    h('div', { class: 'row' },
      h('div', { class: 'field grow' }, h('label', { for: 'ways-role' }, 'Role or title words'), role),
      h('div', { class: 'field tight' }, h('label', { for: 'ways-hops' }, 'At most'), hops)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show the ways in'),
      h('label', { class: 'check' }, current, 'Works there now only')));
  let seq = 0;
  const load = async () => {
    const mine = ++seq;
    out.setAttribute('aria-busy', 'true');
    put(out, loading('Finding the ways in…'));
    try {
      const d = await api(`/orgs/${org.id}/ways`, { params: { role: role.value.trim() || undefined, current: current.checked ? 1 : undefined, hops: hops.value } });
      if (!ctx.alive() || mine !== seq) return;
      const items = d.items || [];
      const reached = items.filter((w) => w.best).length;
      const filtered = role.value.trim() || current.checked;
      put(out,
        h('p', { class: 'small muted', id: 'ways-count' }, items.length
          ? `${plural(items.length, 'person', 'people')} ${filtered ? 'match' : 'work or worked here'}; the team reaches ${reached}. Strongest first.`
          : ''),
        items.length
          ? h('ol', { class: 'list ways', id: 'ways-list' }, items.map((w) => wayItem(w, meMember, mePerson, hops.value)))
          : h('div', { class: 'empty-state' }, filtered
            ? h('p', null, 'Nobody here matches. Clear the filter to see everyone who works or worked here.')
            : h('p', null, 'Nobody you can see works or worked here yet. Add someone’s job here (“Works here now”), then the team’s ways in show up.')),
        d.truncated ? h('p', { class: 'small muted' }, 'Only the first people are shown; narrow with a role word.') : null);
    } catch (e) {
      if (ctx.alive() && mine === seq) put(out, errorBox(e));
    }
    if (mine === seq) out.setAttribute('aria-busy', 'false');
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  current.addEventListener('change', load);
  const panel = h('section', { class: 'panel', id: 'ways', 'aria-labelledby': 'ways-title' },
    h('h2', { id: 'ways-title' }, 'Ways in', h('small', null, 'who in the team can introduce you')), form, out);
  return { panel, load };
}
