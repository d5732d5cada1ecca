// Today: who is due or going dry, recent interactions, and a quick form
// to log one.
import { api, ensureNames, nameOf, rememberName, orbits, KINDS } from './api.js';
import { h, clear, announce, loading, errorBox, errorText, timeEl, dateLabel, meter, pct } from './dom.js';
import { combobox } from './combobox.js';
import { focusHeading, go } from './nav.js';

// The quick log form.  opts.person: {id, name} to log with that person
// (no "who" field then); opts.onLogged(interaction).
export function logForm(session, { person = null, onLogged, idPrefix = 'log' } = {}) {
  const ids = { who: `${idPrefix}-who`, kind: `${idPrefix}-kind`, at: `${idPrefix}-at`, note: `${idPrefix}-note`, priv: `${idPrefix}-private` };
  const msg = h('p', { class: 'small', 'aria-live': 'polite' });
  const who = person ? null : h('input', { id: ids.who, type: 'text', placeholder: 'Start typing a name', required: true, 'aria-describedby': `${ids.who}-hint` });
  const kind = h('select', { id: ids.kind }, KINDS.map((k) => h('option', { value: k }, k)));
  const at = h('input', { id: ids.at, type: 'text', placeholder: 'now', 'aria-describedby': `${ids.at}-hint` });
  const note = h('input', { id: ids.note, type: 'text', placeholder: 'What was it about?' });
  const priv = h('input', { id: ids.priv, type: 'checkbox' });
  const submit = h('button', { type: 'submit' }, 'Log it');
  const form = h('form', { class: 'logform', 'aria-label': person ? `Log an interaction with ${person.name}` : 'Log an interaction' },
    h('div', { class: 'row' },
      who && h('div', { class: 'field grow' }, h('label', { for: ids.who }, 'Who'), who,
        h('span', { class: 'hint', id: `${ids.who}-hint` }, '↓ ↑ to choose, Enter to pick')),
      h('div', { class: 'field tight' }, h('label', { for: ids.kind }, 'Kind'), kind),
      h('div', { class: 'field when' }, h('label', { for: ids.at }, 'When'), at,
        h('span', { class: 'hint', id: `${ids.at}-hint` }, 'now, 3d, 2026-11-20'))),
    h('div', { class: 'row' },
      h('div', { class: 'field grow' }, h('label', { for: ids.note }, 'Note'), note)),
    h('div', { class: 'actions' }, submit, h('label', { class: 'check' }, priv, 'Private (only you see it)')),
    msg);
  if (who) combobox(who, { types: ['person'], onPick: (it, input) => { input.value = it.title; input.dataset.pickedId = String(it.id); kind.focus(); } });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.className = 'small';
    msg.textContent = '';
    let target, targetName;
    if (person) { target = String(person.id); targetName = person.name; }
    else {
      const text = who.value.trim();
      if (!text) { msg.className = 'small error'; msg.textContent = 'Say who it was with.'; who.focus(); return; }
      target = who.dataset.pickedId || text;
      targetName = text;
    }
    const me = session.me.person ? String(session.me.person.id) : 'me';
    const body = { people: [me, target], kind: kind.value, private: priv.checked };
    if (at.value.trim()) body.at = at.value.trim();
    if (note.value.trim()) body.notes = note.value.trim();
    submit.disabled = true;
    try {
      const ix = await api('/interactions', { method: 'POST', json: body });
      const text = `Logged a ${ix.kind} with ${targetName}.`;
      msg.className = 'small ok';
      msg.textContent = text;
      announce(text, { visual: true });
      note.value = ''; at.value = ''; priv.checked = false;
      if (who) { who.value = ''; who.dataset.pickedId = ''; who.focus(); }
      onLogged && onLogged(ix);
    } catch (ex) {
      msg.className = 'small error';
      msg.textContent = errorText(ex);
      announce(errorText(ex), true);
    } finally {
      submit.disabled = false;
    }
  });
  return { form, who, note, kind };
}

export function personLink(id, name) {
  return h('a', { href: `#/person/${id}` }, name || nameOf(id));
}

export function interactionItem(ix, meId, { dated = false } = {}) {
  const others = ix.people.filter((p) => p !== meId);
  return h('li', null,
    dated ? h('span', { class: 'date' }, dateLabel(ix.at)) : null,
    h('div', { class: 'main' },
      h('div', null,
        h('span', { class: 'kindtag' }, ix.kind), ' ',
        others.length ? [dated ? 'with ' : '', others.map((p, i) => [i ? ', ' : '', personLink(p)])] : null,
        ix.private ? [' ', h('span', { class: 'badge private' }, 'private')] : null),
      ix.notes ? h('div', { class: 'meta' }, ix.notes) : null),
    h('div', { class: 'side' }, timeEl(ix.at)));
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
      clear(recentBox).append(items.length
        ? h('ul', { class: 'list', id: 'recent-list' }, items.map((ix) => interactionItem(ix, meId)))
        : h('p', { class: 'empty' }, 'Nothing logged yet.'));
    } catch (e) { clear(recentBox).append(errorBox(e)); }
    recentBox.setAttribute('aria-busy', 'false');
  };
  const loadDue = async () => {
    try {
      const data = await api('/due', { params: { limit: 12 } });
      if (!ctx.alive()) return;
      const items = data.items || [];
      for (const d of items) rememberName(d.person, d.name);
      clear(dueBox).append(items.length
        ? h('ul', { class: 'list', id: 'due-list' }, items.map((d) => dueItem(d, (p) => {
          if (log.who) { log.who.value = p.name; log.who.dataset.pickedId = String(p.person); log.kind.focus(); log.form.scrollIntoView({ block: 'nearest' }); }
        })))
        : h('p', { class: 'empty' }, 'Nobody is due: all your relationships are in good shape.'));
    } catch (e) { clear(dueBox).append(errorBox(e)); }
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
