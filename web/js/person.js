// A person: details (edit in place), orbit, strength and trend, timeline,
// links, notes.
import { api, ensureNames, nameOf, rememberName, orbits, members } from './api.js';
import { h, put, clear, announce, loading, errorBox, errorText, timeEl, dateLabel, meter, pct } from './dom.js';
import { focusHeading, go } from './nav.js';
import { logForm, interactionItem, personLink } from './today.js';
import { personForm } from './people.js';
import { jobForm } from './jobs.js';
import { linkForm } from './links.js';
import { candidatePanel } from './candidate.js';
import { errorLine, confirmDialog, serverMessage, swap, field, check, validate, submitting } from './forms.js';


const list = (v) => (v || []).join(', ');

function detailsList(p) {
  const rows = [];
  const add = (k, v) => { if (v && (!Array.isArray(v) || v.length)) rows.push(h('dt', null, k), h('dd', null, v)); };
  add('Email', (p.emails || []).length ? p.emails.map((e, i) => [i ? ', ' : '', h('a', { href: `mailto:${e}` }, e)]) : null);
  add('Phone', list(p.phones));
  add('Place', [p.city, p.country].filter(Boolean).join(', '));
  add('Tags', (p.tags || []).length ? h('span', { class: 'tags' }, p.tags.map((t) => h('span', { class: 'tag' }, t))) : null);
  add('About', p.notes);
  if (!rows.length) return h('p', { class: 'empty' }, 'No details yet.');
  return h('dl', { class: 'details' }, rows);
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
    put(root, h('h1', null, 'Person'), errorBox(e));
    focusHeading(root);
    return;
  }
  if (!ctx.alive()) return;
  rememberName(p.id, p.name);
  const isMe = p.id === meId;
  const orbitMap = await orbits().catch(() => new Map());
  ctx.setTitle(p.name);

  const detailsBox = h('div', null, detailsList(p));
  const title = h('h1', { id: 'person-name' }, p.name);
  const editBtn = h('button', { type: 'button', class: 'secondary', id: 'edit-person' }, 'Edit');
  const timelineBox = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const linksBox = h('div', { 'aria-busy': 'true' }, loading());
  const notesBox = h('div', { 'aria-live': 'polite', 'aria-busy': 'true' }, loading());
  const strengthBox = h('div', null, strengthCard(p, orbitMap.get(p.id)));

  const showDetails = () => { put(detailsBox, detailsList(p)); editBtn.hidden = false; };
  editBtn.addEventListener('click', () => {
    editBtn.hidden = true;
    const { form } = personForm({
      person: p, idPrefix: 'edit', submitLabel: 'Save', ariaLabel: `Edit ${p.name}`,
      onSubmit: async (body) => {
        const updated = await api(`/people/${p.id}`, { method: 'PATCH', json: body, ifMatch: p.etag });
        p = { ...p, ...updated, jobs: updated.jobs || p.jobs, strength: updated.strength || p.strength };
        title.textContent = p.name;
        rememberName(p.id, p.name);
        ctx.setTitle(p.name);
        showDetails();
        announce(`Saved ${p.name}.`, { visual: true });
        editBtn.focus();
        return updated;
      },
      onCancel: () => { showDetails(); editBtn.focus(); },
    });
    swap(detailsBox, form);
  });
  const delBtn = h('button', { type: 'button', class: 'secondary danger-text', id: 'delete-person' }, 'Delete');
  const headErr = errorLine();
  delBtn.addEventListener('click', async () => {
    if (!(await confirmDialog(`Delete ${p.name}?`, { detail: 'Their links, jobs, notes and their part in interactions go too. This cannot be undone.' }))) return;
    try {
      await api(`/people/${p.id}`, { method: 'DELETE', ifMatch: p.etag });
      orbits(true).catch(() => {});
      announce(`Deleted ${p.name}.`, { visual: true });
      go('#/people');
    } catch (e) { headErr.show(serverMessage(e)); }
  });

  // Removing one thing from a list: asks, then reloads that list, or says
  // why not on the list's own error line.
  const remover = (what, path, reload, errLine) => async (rec, label) => {
    if (!(await confirmDialog(`Remove ${label}?`, { confirm: 'Remove' }))) return;
    try {
      await api(`${path}/${rec.id}`, { method: 'DELETE', ifMatch: rec.etag });
      errLine.clear();
      announce(`${what} removed.`, { visual: true });
      reload();
    } catch (e) { errLine.show(serverMessage(e)); }
  };

  const timelineErr = errorLine();
  const removeIx = (rec, label) => remover('Interaction', '/interactions', () => { loadTimeline(); refreshStrength(); }, timelineErr)(rec, label);
  let shown = 15;
  const loadTimeline = async () => {
    try {
      const data = await api(`/people/${p.id}/timeline`, { params: { limit: shown + 1 } });
      const items = (data.items || []).slice(0, shown);
      const more = (data.items || []).length > shown;
      await ensureNames(items.flatMap((ix) => ix.people));
      if (!ctx.alive()) return;
      put(timelineBox, items.length
        ? h('ul', { class: 'list timeline', id: 'timeline' }, items.map((ix) => interactionItem({ ...ix, people: ix.people.filter((x) => x !== p.id) }, meId, {
          dated: true,
          onRemove: ix.owner == null || ix.owner === session.me.id ? (x) => removeIx(x, `this ${x.kind} of ${dateLabel(x.at)}`) : null,
        })))
        : h('p', { class: 'empty' }, isMe ? 'Your interactions with others show on their pages.' : 'No interactions yet: log the first one above.'));
      if (more) timelineBox.append(h('button', { type: 'button', class: 'secondary', onclick: () => { shown += 20; loadTimeline(); } }, 'Show older'));
    } catch (e) { put(timelineBox, errorBox(e)); }
    timelineBox.setAttribute('aria-busy', 'false');
  };
  const linksErr = errorLine();
  const removeLink = remover('Link', '/links', () => loadLinks(), linksErr);
  const loadLinks = async () => {
    try {
      const data = await api('/links', { params: { person: p.id, limit: 200 } });
      const items = data.items || [];
      await ensureNames(items.map((l) => (l.a === p.id ? l.b : l.a)));
      if (!ctx.alive()) return;
      items.sort((x, y) => (y.trust ?? -1) - (x.trust ?? -1));
      put(linksBox, items.length
        ? h('ul', { class: 'list', id: 'links' }, items.map((l) => {
          const other = l.a === p.id ? l.b : l.a;
          const row = h('li', null,
            h('div', { class: 'main' }, personLink(other), ' ', h('span', { class: 'kindtag' }, l.kind),
              l.private ? [' ', h('span', { class: 'badge private' }, 'private')] : null,
              h('div', { class: 'meta' }, [l.since ? `since ${l.since}` : null, l.notes].filter(Boolean).join(' · '))),
            h('div', { class: 'side' }, l.trust == null ? h('span', { class: 'muted' }, 'trust not set')
              : [h('span', { class: 'sr-only' }, 'trust '), meter(l.trust, `trust ${pct(l.trust)}`), ' ', pct(l.trust)],
              h('div', { class: 'row-actions' },
                h('button', { type: 'button', class: 'quiet', 'aria-label': `Edit the link to ${nameOf(other)}`, onclick: () => {
                  swap(row, h('div', { class: 'grow' }, linkForm({ person: p, link: l, idPrefix: `el${l.id}`, onDone: () => loadLinks(), onCancel: () => loadLinks() })));
                } }, 'Edit'),
                h('button', { type: 'button', class: 'quiet', 'aria-label': `Remove the link to ${nameOf(other)}`, onclick: () => removeLink(l, `the link to ${nameOf(other)}`) }, 'Remove'))));
          return row;
        }))
        : h('p', { class: 'empty' }, isMe ? 'You have no links yet: open someone you know and add one, or log an interaction with them.' : 'No links yet.'));
      if (data.total > items.length) linksBox.append(h('p', { class: 'small muted' }, `${data.total - items.length} more not shown.`));
    } catch (e) { put(linksBox, errorBox(e)); }
    linksBox.setAttribute('aria-busy', 'false');
  };
  const addLinkBox = h('div');
  const addLinkBtn = h('button', { type: 'button', class: 'secondary', id: 'add-link' }, '+ Add a link');
  addLinkBtn.addEventListener('click', () => {
    addLinkBtn.hidden = true;
    swap(addLinkBox, linkForm({ person: p, idPrefix: 'nl',
      onDone: () => { clear(addLinkBox); addLinkBtn.hidden = false; addLinkBtn.focus(); loadLinks(); },
      onCancel: () => { clear(addLinkBox); addLinkBtn.hidden = false; addLinkBtn.focus(); } }));
  });

  // Work: jobs now and before.
  const jobsBox = h('div');
  const jobsErr = errorLine();
  const removeJob = remover('Job', '/jobs', () => reloadJobs(), jobsErr);
  const showJobs = () => {
    const jobs = (p.jobs || []).slice().sort((a, b) => (b.current - a.current) || String(b.from || '').localeCompare(String(a.from || '')));
    put(jobsBox, jobs.length ? h('ul', { class: 'list', id: 'jobs' }, jobs.map((j) => {
      const row = h('li', null,
        h('div', { class: 'main' }, h('span', { class: 'name' }, j.title ? `${j.title}, ` : '', h('a', { href: `#/org/${j.org}` }, j.org_name)),
          h('div', { class: 'meta' }, `${j.from || '?'}–${j.current ? 'now' : (j.to || '?')}`, j.current ? [' ', h('span', { class: 'badge active' }, 'current')] : null)),
        h('div', { class: 'side row-actions' },
          h('button', { type: 'button', class: 'quiet', 'aria-label': `Edit the job at ${j.org_name}`, onclick: () => {
            swap(row, h('div', { class: 'grow' }, jobForm({ job: j, idPrefix: `ej${j.id}`, onDone: () => reloadJobs(), onCancel: () => showJobs() })));
          } }, 'Edit'),
          h('button', { type: 'button', class: 'quiet', 'aria-label': `Remove the job at ${j.org_name}`, onclick: () => removeJob(j, `the job at ${j.org_name}`) }, 'Remove')));
      return row;
    })) : h('p', { class: 'empty' }, 'No work recorded yet.'));
  };
  const reloadJobs = async () => {
    try {
      const fresh = await api(`/people/${p.id}`);
      p.jobs = fresh.jobs || [];
      p.etag = fresh.etag;
    } catch (e) { jobsErr.show(serverMessage(e)); }
    if (ctx.alive()) showJobs();
  };
  const addJobBox = h('div');
  const addJobBtn = h('button', { type: 'button', class: 'secondary', id: 'add-job' }, '+ Add a job');
  addJobBtn.addEventListener('click', () => {
    addJobBtn.hidden = true;
    swap(addJobBox, jobForm({ person: p, idPrefix: 'nj',
      onDone: () => { clear(addJobBox); addJobBtn.hidden = false; addJobBtn.focus(); reloadJobs(); },
      onCancel: () => { clear(addJobBox); addJobBtn.hidden = false; addJobBtn.focus(); } }));
  });

  // Vouches: who in the team vouches for them, and yours.
  const vouchBox = h('div', { 'aria-busy': 'true' }, loading());
  const vouchErr = errorLine();
  const removeVouch = remover('Vouch', '/vouches', () => { loadVouches(); refreshStrength(); }, vouchErr);
  const loadVouches = async () => {
    try {
      const data = await api('/vouches', { params: { person: p.id } });
      if (!ctx.alive()) return;
      const items = (data.items || []).filter((v) => v.subject === p.id);
      const mine = meId && items.find((v) => v.voucher === meId);
      const [notesF, notes] = field('vouch-notes', 'Why you vouch for them', h('input', { type: 'text', placeholder: 'optional' }));
      const err = errorLine();
      const form = h('form', { 'aria-label': `Vouch for ${p.name}`, novalidate: true, id: 'vouch-form' },
        h('div', { class: 'row' }, notesF), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Vouch for them')), err.el);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (!validate(err, [[notes, check.line('The reason')]])) return;
        const ok = await submitting(form, err, () => api('/vouches', { method: 'POST', json: { subject: String(p.id), notes: notes.value.trim() || undefined } }));
        if (ok) { announce(`You vouch for ${p.name}.`, { visual: true }); loadVouches(); refreshStrength(); }
      });
      put(vouchBox, 
        items.length ? h('ul', { class: 'list', id: 'vouches' }, items.map((v) => h('li', null,
          h('div', { class: 'main' }, h('span', { class: 'name' }, v.voucher === meId ? 'You vouch' : [personLink(v.voucher, v.voucher_name), ' vouches']), ' for them',
            v.notes ? h('div', { class: 'meta' }, v.notes) : null),
          v.voucher === meId ? h('div', { class: 'side' }, h('button', { type: 'button', class: 'quiet', 'aria-label': 'Withdraw your vouch', onclick: () => removeVouch(v, 'your vouch') }, 'Withdraw')) : null)))
          : h('p', { class: 'empty' }, 'Nobody vouches for them yet.'),
        mine ? null : form);
    } catch (e) {
      if (ctx.alive()) put(vouchBox, e.status === 404 || e.status === 405 ? h('p', { class: 'empty' }, 'Vouches are not available on this server yet.') : errorBox(e));
    }
    vouchBox.setAttribute('aria-busy', 'false');
  };

  // The favour balance with them.
  const balanceBox = h('div', { id: 'balance' });
  const loadBalance = async () => {
    if (isMe) return;
    try {
      const b = await api('/balance', { params: { person: p.id } });
      if (!ctx.alive()) return;
      const it = b.items ? (b.items.find((x) => x.person === p.id) || null) : b;
      if (!it || (!it.given && !it.received)) { put(balanceBox, h('p', { class: 'small muted' }, 'No favours either way yet.')); return; }
      const net = (it.given || 0) - (it.received || 0);
      put(balanceBox, h('p', { class: `balance ${net > 0 ? 'given' : net < 0 ? 'received' : 'even'}` },
        `Favours: you gave ${it.given || 0}, received ${it.received || 0} · `,
        h('strong', null, net > 0 ? `they owe you ${net}` : net < 0 ? `you owe them ${-net}` : 'even')));
    } catch (e) { clear(balanceBox); }
  };

  const loadNotes = async () => {
    try {
      const [data, who] = await Promise.all([api(`/people/${p.id}/notes`), members()]);
      const items = (data.items || []).slice().sort((a, b) => String(b.created).localeCompare(String(a.created)));
      if (!ctx.alive()) return;
      put(notesBox, items.length
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
    } catch (e) { put(notesBox, errorBox(e)); }
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

  // Why the link is as strong as it is, and how often to reach out.
  const whyBox = h('div', { id: 'strength-why' });
  const loadWhy = async () => {
    if (isMe) return;
    try {
      const [st, cad] = await Promise.all([api('/strength', { params: { b: p.id } }), api('/cadences').catch(() => null)]);
      if (!ctx.alive()) return;
      const own = cad && (cad.people || []).find((x) => x.person === p.id);
      const [daysF, days] = field('cadence-days', 'Reach out every (days)', h('input', { type: 'number', min: 0, max: 3650, step: 1, value: own ? String(own.days) : '', placeholder: 'as their orbit' }), { hint: 'empty or 0: as their orbit says' });
      const err = errorLine();
      const form = h('form', { id: 'cadence-form', 'aria-label': `How often to reach out to ${p.name}`, novalidate: true },
        h('div', { class: 'row' }, daysF), h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Set')), err.el);
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const v = days.value.trim();
        if (!validate(err, [[days, () => (!v || (/^\d+$/.test(v) && Number(v) <= 3650) ? '' : 'Days are a whole number from 0 to 3650.')]])) return;
        const r = await submitting(form, err, () => api(`/people/${p.id}/cadence`, { method: 'PUT', json: { days: v ? Number(v) : 0 } }));
        if (r) announce(v && Number(v) ? `Reach out to ${p.name} every ${v} days.` : `${p.name} follows their orbit's rhythm.`, { visual: true });
      });
      put(whyBox, (st.reasons || []).length ? [h('h3', { class: 'small-h' }, 'Why'), h('ul', { class: 'reasons small', id: 'strength-reasons' }, st.reasons.map((x) => h('li', null, x)))] : null, form);
    } catch (e) { put(whyBox); }
  };

  // People like them: shared tags, for an introduction or a thought.
  const likeBox = h('div', { id: 'like' });
  const loadLike = async () => {
    try {
      const d = await api('/like', { params: { person: p.id, limit: 5 } });
      if (!ctx.alive()) return;
      const items = d.items || [];
      put(likeBox, items.length ? h('ul', { class: 'list', id: 'like-list' }, items.map((x) => h('li', null,
        h('div', { class: 'main' }, personLink(x.person, x.name), h('div', { class: 'meta' }, (x.shared || []).join(', '))),
        h('div', { class: 'side' }, pct(x.similarity)))))
        : h('p', { class: 'empty' }, 'Nobody shares their tags yet.'));
    } catch (e) { put(likeBox); }
  };

  const refreshStrength = async () => {
    try {
      const fresh = await api(`/people/${p.id}`);
      p.strength = fresh.strength;
      p.etag = fresh.etag;
      const om = await orbits(true);
      if (ctx.alive()) put(strengthBox, strengthCard(p, om.get(p.id)));
    } catch (e) { /* the timeline still shows it */ }
    loadBalance();
    loadWhy();
  };
  const log = isMe ? null : logForm(session, {
    person: p, idPrefix: 'plog',
    onLogged: () => { loadTimeline(); refreshStrength(); },
  });

  put(root, 
    h('div', { class: 'person-head screen-head' }, title,
      p.private ? h('span', { class: 'badge private' }, 'private') : null,
      isMe ? h('span', { class: 'badge' }, 'you') : null,
      h('div', { class: 'actions' }, editBtn, isMe ? null : delBtn,
        isMe ? null : h('a', { class: 'button secondary', href: `#/intro?to=${p.id}` }, 'Way to them'),
        h('a', { class: 'button secondary', href: `#/network?focus=${p.id}` }, 'In the picture'))),
    headErr.el,
    h('div', { class: 'grid' },
      h('div', { class: 'col span-7' },
        h('section', { class: 'panel ph-1', 'aria-labelledby': 'details-title' }, h('h2', { id: 'details-title' }, 'Details'), detailsBox),
        h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'),
          log ? h('details', { class: 'inline-log', open: true }, h('summary', null, 'Log an interaction'), log.form) : null,
          timelineErr.el, timelineBox),
        h('section', { class: 'panel', 'aria-labelledby': 'work-title' }, h('h2', { id: 'work-title' }, 'Work'), jobsBox, jobsErr.el, addJobBtn, addJobBox),
        isMe ? null : candidatePanel(p, session.me.id)),
      h('div', { class: 'col span-5' },
        h('section', { class: 'panel ph-2', 'aria-labelledby': 'strength-title' }, h('h2', { id: 'strength-title' }, 'Your link'), strengthBox, balanceBox, whyBox),
        h('section', { class: 'panel', 'aria-labelledby': 'links-title' }, h('h2', { id: 'links-title' }, 'Links'), linksBox, linksErr.el, addLinkBtn, addLinkBox),
        isMe ? null : h('section', { class: 'panel', 'aria-labelledby': 'vouch-title' }, h('h2', { id: 'vouch-title' }, 'Vouches'), vouchErr.el, vouchBox),
        h('section', { class: 'panel', 'aria-labelledby': 'notes-title' }, h('h2', { id: 'notes-title' }, 'Notes'), noteForm, notesBox),
        h('section', { class: 'panel', 'aria-labelledby': 'like-title' }, h('h2', { id: 'like-title' }, 'People like them'), likeBox))));
  showJobs();
  focusHeading(root);
  await Promise.all([loadTimeline(), loadLinks(), loadNotes(), isMe ? null : loadVouches(), loadBalance(), loadWhy(), loadLike()]);
}
