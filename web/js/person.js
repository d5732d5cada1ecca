// A person: details (edit in place), orbit, strength and trend, timeline,
// links, notes.
import { api, ensureNames, nameOf, rememberName, orbits, members } from './api.js';
import { h, clear, announce, loading, errorBox, errorText, timeEl, dateLabel, meter, pct } from './dom.js';
import { focusHeading } from './nav.js';
import { logForm, interactionItem, personLink } from './today.js';

const list = (v) => (v || []).join(', ');
const split = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);

function detailsList(p) {
  const rows = [];
  const add = (k, v) => { if (v && (!Array.isArray(v) || v.length)) rows.push(h('dt', null, k), h('dd', null, v)); };
  add('Email', (p.emails || []).length ? p.emails.map((e, i) => [i ? ', ' : '', h('a', { href: `mailto:${e}` }, e)]) : null);
  add('Phone', list(p.phones));
  add('Place', [p.city, p.country].filter(Boolean).join(', '));
  add('Work', (p.jobs || []).map((j, i) => [i ? '; ' : '', `${j.title ? j.title + ' at ' : ''}${j.org_name}`,
    h('span', { class: 'muted' }, ` (${j.from || '?'}–${j.current ? 'now' : (j.to || '?')})`)]));
  add('Tags', (p.tags || []).length ? h('span', { class: 'tags' }, p.tags.map((t) => h('span', { class: 'tag' }, t))) : null);
  add('About', p.notes);
  if (!rows.length) return h('p', { class: 'empty' }, 'No details yet.');
  return h('dl', { class: 'details' }, rows);
}

function editForm(p, onSave, onCancel) {
  const f = (id, label, value, type = 'text') => {
    const input = type === 'textarea' ? h('textarea', { id, value: value || '' }) : h('input', { id, type, value: value || '' });
    return [h('div', { class: 'field' }, h('label', { for: id }, label), input), input];
  };
  const [nameF, name] = f('edit-name', 'Name', p.name);
  const [cityF, city] = f('edit-city', 'City', p.city);
  const [countryF, country] = f('edit-country', 'Country', p.country);
  const [emailsF, emails] = f('edit-emails', 'Emails (comma-separated)', list(p.emails));
  const [phonesF, phones] = f('edit-phones', 'Phones (comma-separated)', list(p.phones));
  const [tagsF, tags] = f('edit-tags', 'Tags (comma-separated)', list(p.tags));
  const [notesF, notes] = f('edit-notes', 'About', p.notes, 'textarea');
  const msg = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { 'aria-label': `Edit ${p.name}` },
    h('div', { class: 'row' }, nameF), h('div', { class: 'row' }, cityF, countryF),
    h('div', { class: 'row' }, emailsF, phonesF), h('div', { class: 'row' }, tagsF), h('div', { class: 'row' }, notesF),
    msg,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'), h('button', { type: 'button', class: 'secondary', onclick: onCancel }, 'Cancel')));
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); onCancel(); } });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {
      display_name: name.value.trim(),
      city: city.value.trim() || null, country: country.value.trim() || null,
      emails: split(emails.value), phones: split(phones.value), tags: split(tags.value),
      notes: notes.value.trim() || null,
    };
    if (!body.display_name) { msg.textContent = 'A name is needed.'; name.focus(); return; }
    try { await onSave(body); } catch (ex) { msg.textContent = errorText(ex); }
  });
  setTimeout(() => name.focus(), 0);
  return form;
}

function trend(now, then) {
  const d = (now || 0) - (then || 0);
  if (Math.abs(d) < 0.02) return h('span', { class: 'trend flat' }, '→ steady');
  return d > 0 ? h('span', { class: 'trend up' }, `↑ rising (+${pct(d)})`) : h('span', { class: 'trend down' }, `↓ cooling (−${pct(-d)})`);
}

function strengthCard(p, orbit) {
  const s = p.strength;
  if (!s) return h('p', { class: 'empty' }, 'This is you.');
  const stat = (k, v, extra) => h('div', { class: 'stat' }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v), extra || null);
  return h('div', { class: 'strength' },
    stat('Orbit', orbit ? orbit.orbit_name : 'beyond', h('span', { class: `badge ${orbit ? orbit.orbit_name : 'beyond'}` }, orbit ? `orbit ${orbit.orbit}` : 'outside your orbits')),
    stat('Strength now', pct(s.now), meter(s.now)),
    stat('90 days ago', pct(s.then), trend(s.now, s.then)),
    stat('Interactions', String(s.interactions), h('div', { class: 'small muted' }, s.last ? ['last ', timeEl(s.last)] : 'none yet')));
}

export async function personScreen(ctx, id) {
  const { root, session } = ctx;
  const meId = session.me.person ? session.me.person.id : null;
  root.append(loading());
  let p;
  try {
    [p] = await Promise.all([api(`/people/${id}`), orbits().catch(() => new Map())]);
  } catch (e) {
    if (!ctx.alive()) return;
    clear(root).append(h('h1', null, 'Person'), errorBox(e));
    focusHeading(root);
    return;
  }
  if (!ctx.alive()) return;
  rememberName(p.id, p.name);
  const orbitMap = await orbits().catch(() => new Map());
  ctx.setTitle(p.name);

  const detailsBox = h('div', null, detailsList(p));
  const title = h('h1', { id: 'person-name' }, p.name);
  const editBtn = h('button', { type: 'button', class: 'secondary', id: 'edit-person' }, 'Edit');
  const timelineBox = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const linksBox = h('div', { 'aria-busy': 'true' }, loading());
  const notesBox = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const strengthBox = h('div', null, strengthCard(p, orbitMap.get(p.id)));

  const showDetails = () => { clear(detailsBox).append(detailsList(p)); editBtn.hidden = false; };
  editBtn.addEventListener('click', () => {
    editBtn.hidden = true;
    clear(detailsBox).append(editForm(p, async (body) => {
      const updated = await api(`/people/${p.id}`, { method: 'PATCH', json: body });
      p = { ...p, ...updated, jobs: updated.jobs || p.jobs, strength: updated.strength || p.strength };
      title.textContent = p.name;
      rememberName(p.id, p.name);
      ctx.setTitle(p.name);
      showDetails();
      announce(`Saved ${p.name}.`, { visual: true });
      editBtn.focus();
    }, () => { showDetails(); editBtn.focus(); }));
  });

  let shown = 15;
  const loadTimeline = async () => {
    try {
      const data = await api(`/people/${p.id}/timeline`, { params: { limit: shown + 1 } });
      const items = (data.items || []).slice(0, shown);
      const more = (data.items || []).length > shown;
      await ensureNames(items.flatMap((ix) => ix.people));
      if (!ctx.alive()) return;
      clear(timelineBox).append(items.length
        ? h('ul', { class: 'list timeline', id: 'timeline' }, items.map((ix) => interactionItem({ ...ix, people: ix.people.filter((x) => x !== p.id) }, meId, { dated: true })))
        : h('p', { class: 'empty' }, 'No interactions yet.'));
      if (more) timelineBox.append(h('button', { type: 'button', class: 'secondary', onclick: () => { shown += 20; loadTimeline(); } }, 'Show older'));
    } catch (e) { clear(timelineBox).append(errorBox(e)); }
    timelineBox.setAttribute('aria-busy', 'false');
  };
  const loadLinks = async () => {
    try {
      const data = await api('/links', { params: { person: p.id, limit: 200 } });
      const items = data.items || [];
      await ensureNames(items.map((l) => (l.a === p.id ? l.b : l.a)));
      if (!ctx.alive()) return;
      items.sort((x, y) => (y.trust ?? -1) - (x.trust ?? -1));
      clear(linksBox).append(items.length
        ? h('ul', { class: 'list', id: 'links' }, items.map((l) => {
          const other = l.a === p.id ? l.b : l.a;
          return h('li', null,
            h('div', { class: 'main' }, personLink(other), ' ', h('span', { class: 'kindtag' }, l.kind),
              l.private ? [' ', h('span', { class: 'badge private' }, 'private')] : null,
              h('div', { class: 'meta' }, [l.since ? `since ${l.since}` : null, l.notes].filter(Boolean).join(' · '))),
            h('div', { class: 'side' }, l.trust == null ? h('span', { class: 'muted' }, 'trust not set')
              : [h('span', { class: 'sr-only' }, 'trust '), meter(l.trust, `trust ${pct(l.trust)}`), ' ', pct(l.trust)]));
        }))
        : h('p', { class: 'empty' }, 'No links yet.'));
      if (data.total > items.length) linksBox.append(h('p', { class: 'small muted' }, `${data.total - items.length} more not shown.`));
    } catch (e) { clear(linksBox).append(errorBox(e)); }
    linksBox.setAttribute('aria-busy', 'false');
  };
  const loadNotes = async () => {
    try {
      const [data, who] = await Promise.all([api(`/people/${p.id}/notes`), members()]);
      const items = (data.items || []).slice().sort((a, b) => String(b.created).localeCompare(String(a.created)));
      if (!ctx.alive()) return;
      clear(notesBox).append(items.length
        ? h('ul', { class: 'list', id: 'notes' }, items.map((n) => h('li', null,
          h('div', { class: 'main' }, h('div', { class: 'note-body' }, n.body),
            h('div', { class: 'meta' }, n.private ? [h('span', { class: 'badge private' }, 'private'), ' '] : null,
              [n.owner && who.get(n.owner) ? `by ${who.get(n.owner)}` : null, n.created ? dateLabel(n.created) : null].filter(Boolean).join(' · '))),
          n.owner && session.me.id === n.owner ? h('div', { class: 'side' }, h('button', {
            type: 'button', class: 'quiet', 'aria-label': 'Remove this note',
            onclick: async () => {
              try { await api(`/notes/${n.id}`, { method: 'DELETE' }); announce('Note removed.', { visual: true }); loadNotes(); } catch (e) { announce(errorText(e), true); }
            },
          }, 'Remove')) : null)))
        : h('p', { class: 'empty' }, 'No notes yet.'));
    } catch (e) { clear(notesBox).append(errorBox(e)); }
    notesBox.setAttribute('aria-busy', 'false');
  };

  const noteText = h('textarea', { id: 'note-body', required: true, placeholder: 'Something worth remembering' });
  const notePriv = h('input', { id: 'note-private', type: 'checkbox' });
  const noteForm = h('form', { 'aria-label': 'Add a note' },
    h('div', { class: 'field' }, h('label', { for: 'note-body' }, 'New note'), noteText),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add note'), h('label', { class: 'check' }, notePriv, 'Private (only you see it)')));
  noteForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!noteText.value.trim()) { noteText.focus(); return; }
    try {
      await api(`/people/${p.id}/notes`, { method: 'POST', json: { body: noteText.value.trim(), private: notePriv.checked } });
      noteText.value = ''; notePriv.checked = false;
      announce('Note added.', { visual: true });
      loadNotes();
    } catch (ex) { announce(errorText(ex), true); }
  });

  const isMe = p.id === meId;
  const log = isMe ? null : logForm(session, {
    person: p, idPrefix: 'plog',
    onLogged: async () => {
      loadTimeline();
      try {
        const fresh = await api(`/people/${p.id}`);
        p.strength = fresh.strength;
        const om = await orbits(true);
        clear(strengthBox).append(strengthCard(p, om.get(p.id)));
      } catch (e) { /* the timeline still shows it */ }
    },
  });

  clear(root).append(
    h('div', { class: 'person-head screen-head' }, title,
      p.private ? h('span', { class: 'badge private' }, 'private') : null,
      isMe ? h('span', { class: 'badge' }, 'you') : null,
      h('div', { class: 'actions' }, editBtn,
        isMe ? null : h('a', { class: 'button secondary', href: `#/intro?to=${p.id}` }, 'Way to them'),
        h('a', { class: 'button secondary', href: `#/network?focus=${p.id}` }, 'In the picture'))),
    h('div', { class: 'grid' },
      h('div', { class: 'col span-7' },
        h('section', { class: 'panel ph-1', 'aria-labelledby': 'details-title' }, h('h2', { id: 'details-title' }, 'Details'), detailsBox),
        h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'),
          log ? h('details', { class: 'inline-log', open: true }, h('summary', null, 'Log an interaction'), log.form) : null,
          timelineBox)),
      h('div', { class: 'col span-5' },
        h('section', { class: 'panel ph-2', 'aria-labelledby': 'strength-title' }, h('h2', { id: 'strength-title' }, 'Your link'), strengthBox),
        h('section', { class: 'panel', 'aria-labelledby': 'notes-title' }, h('h2', { id: 'notes-title' }, 'Notes'), noteForm, notesBox),
        h('section', { class: 'panel', 'aria-labelledby': 'links-title' }, h('h2', { id: 'links-title' }, 'Links'), linksBox))));
  focusHeading(root);
  await Promise.all([loadTimeline(), loadLinks(), loadNotes()]);
}
