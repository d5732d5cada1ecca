// Today: who is due or going dry, recent interactions, and a quick form
// to log one.
import { api, ensureNames, nameOf, rememberName, orbits } from './api.js';
import { h, put, clear, loading, errorBox, timeEl, dateLabel, meter, pct, plural } from './dom.js';
import { focusHeading } from './nav.js';
import { logForm } from './logform.js';

export { logForm };

export function personLink(id, name) {
  return h('a', { href: `#/person/${id}` }, name || nameOf(id));
}

// One interaction in a list.  A favour says who gave it and its value;
// opts.onRemove adds a Remove button (the caller confirms).
export function interactionItem(ix, meId, { dated = false, onRemove } = {}) {
  const others = ix.people.filter((p) => p !== meId);
  let favour = null;
  if (ix.kind === 'favour' && ix.giver) {
    const given = ix.giver === meId;
    favour = h('span', { class: `favour-tag ${given ? 'given' : 'received'}` },
      given ? 'given' : ix.people.includes(meId) ? 'received' : `from ${nameOf(ix.giver)}`,
      ix.value && ix.value !== 1 ? ` · ${ix.value}` : '');
  }
  const started = ix.initiator && ix.kind !== 'favour'
    ? (ix.initiator === meId ? 'you started it' : `${nameOf(ix.initiator)} started it`) : null;
  return h('li', { class: ix.kind === 'favour' ? 'is-favour' : null },
    dated ? h('span', { class: 'date' }, dateLabel(ix.at)) : null,
    h('div', { class: 'main' },
      h('div', null,
        h('span', { class: `kindtag ${ix.kind}` }, ix.kind), ' ', favour, favour ? ' ' : null,
        others.length ? [dated ? 'with ' : '', others.map((p, i) => [i ? ', ' : '', personLink(p)])] : null,
        ix.private ? [' ', h('span', { class: 'badge private' }, 'private')] : null),
      ix.notes || started ? h('div', { class: 'meta' }, [ix.notes, started].filter(Boolean).join(' · ')) : null),
    h('div', { class: 'side' }, timeEl(ix.at),
      onRemove ? h('div', null, h('button', { type: 'button', class: 'quiet', 'aria-label': `Remove this ${ix.kind} (${dateLabel(ix.at)})`, onclick: () => onRemove(ix) }, 'Remove')) : null));
}

function dueItem(d, onLog) {
  const why = [];
  if (d.overdue) why.push(h('span', { class: 'badge bad' }, 'overdue'));
  if (d.going_dry) why.push(h('span', { class: 'badge warn' }, 'going dry'));
  const days = Math.round(d.days_since);
  return h('li', null,
    h('span', { class: `dot ${d.orbit}`, 'aria-hidden': 'true' }),
    h('div', { class: 'main' },
      h('div', null, h('a', { class: 'name', href: `#/person/${d.person}` }, d.name), ' ', h('span', { class: `badge ${d.orbit}` }, d.orbit), ' ', why),
      h('div', { class: 'meta' }, `${days} day${days === 1 ? '' : 's'} since the last ${d.last_kind || 'contact'} · every ${d.cadence_days} days usually`)),
    h('div', { class: 'side' }, meter(d.strength, `strength ${pct(d.strength)}, was ${pct(d.strength_90d_ago)}`),
      h('div', null, h('button', { type: 'button', class: 'quiet', 'aria-label': `Log an interaction with ${d.name}`, onclick: () => onLog(d) }, 'Log'))));
}

// No one due: either all is well, or there is no one yet to be due.
async function emptyDue() {
  const orbitMap = await orbits().catch(() => new Map());
  if (orbitMap.size) return h('p', { class: 'empty' }, 'Nobody is due: all your relationships are in good shape.');
  return h('div', { class: 'empty-state', id: 'due-empty' },
    h('p', null, 'No one is due yet. People come here once you have logged time with them and it has been a while.'),
    h('p', null, h('a', { class: 'button secondary', href: '#/people/new' }, 'Add a person'), ' ', h('a', { class: 'button secondary', href: '#/people' }, 'Browse people')));
}

export async function todayScreen(ctx) {
  const { root, session } = ctx;
  ctx.setTitle('Today');
  const meId = session.me.person ? session.me.person.id : null;
  const dueBox = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const recentBox = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  let log;

  const loadRecent = async () => {
    try {
      const data = await api('/interactions', { params: { limit: 15 } });
      const items = data.items || [];
      await ensureNames(items.flatMap((ix) => ix.people));
      if (!ctx.alive()) return;
      put(recentBox, items.length
        ? h('ul', { class: 'list', id: 'recent-list' }, items.map((ix) => interactionItem(ix, meId)))
        : h('div', { class: 'empty-state', id: 'recent-empty' },
          h('p', null, 'Nothing logged yet. Every meeting, call, message or favour you log here makes the picture truer: who you are close to, who is due, who can introduce you.'),
          h('p', null, 'Start with someone you spoke to this week, above, or ', h('a', { href: '#/people/new' }, 'add a person'), ' or ', h('a', { href: '#/import' }, 'import your contacts'), '.')));
    } catch (e) { put(recentBox, errorBox(e)); }
    recentBox.setAttribute('aria-busy', 'false');
  };
  const loadDue = async () => {
    try {
      const data = await api('/due', { params: { limit: 12 } });
      if (!ctx.alive()) return;
      const items = data.items || [];
      for (const d of items) rememberName(d.person, d.name);
      put(dueBox, items.length
        ? h('ul', { class: 'list', id: 'due-list' }, items.map((d) => dueItem(d, (p) => {
          log.preset(p.person, p.name);
        })))
        : (await emptyDue()));
    } catch (e) { put(dueBox, errorBox(e)); }
    dueBox.setAttribute('aria-busy', 'false');
  };

  log = logForm(session, { onLogged: () => { orbits(true).catch(() => {}); loadRecent(); loadDue(); } });
  const first = session.me.person ? session.me.person.name.split(' ')[0] : session.me.name;
  root.append(
    h('div', { class: 'screen-head' }, h('h1', null, 'Today'),
      h('p', null, `Hello ${first}. Press `, h('kbd', null, 'l'), ' to log, ', h('kbd', null, '/'), ' to search.')),
    h('div', { class: 'grid' },
      h('div', { class: 'col span-7' },
        h('section', { class: 'panel ph-1', 'aria-labelledby': 'log-title' },
          h('h2', { id: 'log-title' }, 'Log an interaction'), log.form),
        h('section', { class: 'panel', 'aria-labelledby': 'recent-title' },
          h('h2', { id: 'recent-title' }, 'Recent interactions'), recentBox)),
      h('section', { class: 'panel span-5 ph-2', 'aria-labelledby': 'due-title' },
        h('h2', { id: 'due-title' }, 'Due or going dry', h('small', null, 'reach out soon')), dueBox)));
  focusHeading(root);
  await Promise.all([loadDue(), loadRecent()]);
}
