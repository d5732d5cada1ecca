// kith web interface: sign-in, the top bar, search and the screens,
// routed by the location hash (#/, #/person/ID, #/intro, #/intros,
// #/network, #/goodwill, #/leaves, #/import ...).
import { api, token, setUnauthorizedHandler, forgetCaches, rememberName } from './api.js';
import { h, clear, $, announce, errorText } from './dom.js';
import { combobox } from './combobox.js';
import { todayScreen } from './today.js';
import { personScreen } from './person.js';
import { introScreen } from './intro.js';
import { networkScreen } from './network.js';
import { importScreen } from './importer.js';
import { peopleScreen, newPersonScreen, searchScreen } from './people.js';
import { orgsScreen, orgScreen } from './orgs.js';
import { insightsScreen } from './insights.js';
import { teamScreen } from './team.js';
import { introsScreen } from './intros.js';
import { goodwillScreen } from './goodwill.js';
import { leavesScreen } from './leaves.js';
import { go, onReroute } from './nav.js';

export const session = { me: null };

const main = () => document.getElementById('main');
let cleanup = null;
let generation = 0;

function signInScreen(message) {
  document.getElementById('top').hidden = true;
  document.title = 'Sign in · kith';
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-help' });
  const err = h('p', { class: 'error', role: 'alert', id: 'signin-error' }, message || '');
  const form = h('form', { class: 'panel signin', 'aria-labelledby': 'signin-title' },
    h('div', { class: 'brandmark', 'aria-hidden': 'true' }, 'kith'),
    h('h1', { id: 'signin-title', tabindex: '-1' }, 'Sign in'),
    h('p', { id: 'token-help' }, 'Paste your member token (it starts with kith_). Make one with ', h('kbd', null, 'kith member add NAME'), '. It is kept for this tab only.'),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Member token'), input),
    err,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const t = input.value.trim();
    err.textContent = '';
    if (!t) { err.textContent = 'Enter a token.'; return; }
    try {
      const me = await api('/me', { tokenOverride: t });
      token.set(t);
      start(me);
    } catch (ex) {
      err.textContent = ex.status === 401 ? 'That token is not valid.' : errorText(ex);
      input.focus();
    }
  });
  clear(main()).append(form);
  input.focus();
}

function signOut(message) {
  token.clear();
  forgetCaches();
  session.me = null;
  if (cleanup) { cleanup(); cleanup = null; }
  signInScreen(message);
}

function start(me) {
  session.me = me;
  if (me.person) rememberName(me.person.id, me.person.name);
  document.getElementById('top').hidden = false;
  $('#whoami').textContent = me.person ? `${me.name} · ${me.person.name}` : me.name;
  if (!location.hash || location.hash === '#') location.hash = '#/';
  onReroute(route);
  route();
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  return { parts, params: new URLSearchParams(query || '') };
}


async function route() {
  if (!session.me) return;
  const { parts, params } = parseHash();
  const gen = ++generation;
  if (cleanup) { cleanup(); cleanup = null; }
  const root = clear(main());
  const ctx = {
    root, params, session,
    alive: () => gen === generation,
    onCleanup: (fn) => { cleanup = fn; },
    setTitle: (t) => { document.title = `${t} · kith`; },
  };
  let nav = 'today';
  try {
    if (parts[0] === 'person' && parts[1]) { nav = ''; await personScreen(ctx, Number(parts[1])); }
    else if (parts[0] === 'people' && parts[1] === 'new') { nav = 'people'; await newPersonScreen(ctx); }
    else if (parts[0] === 'people') { nav = 'people'; await peopleScreen(ctx); }
    else if (parts[0] === 'search') { nav = ''; await searchScreen(ctx); }
    else if (parts[0] === 'orgs') { nav = 'orgs'; await orgsScreen(ctx); }
    else if (parts[0] === 'org' && parts[1]) { nav = 'orgs'; await orgScreen(ctx, Number(parts[1])); }
    else if (parts[0] === 'interaction' && parts[1]) { nav = ''; await openInteraction(ctx, Number(parts[1])); }
    else if (parts[0] === 'insights') { nav = 'insights'; await insightsScreen(ctx); }
    else if (parts[0] === 'team') { nav = 'team'; await teamScreen(ctx); }
    else if (parts[0] === 'intros') { nav = 'intros'; await introsScreen(ctx); }
    else if (parts[0] === 'goodwill') { nav = 'goodwill'; await goodwillScreen(ctx); }
    else if (parts[0] === 'leaves') { nav = 'goodwill'; await leavesScreen(ctx); }
    else if (parts[0] === 'intro') { nav = 'intro'; await introScreen(ctx); }
    else if (parts[0] === 'network' || parts[0] === 'near') { nav = 'network'; await networkScreen(ctx); }
    else if (parts[0] === 'import') { nav = 'import'; await importScreen(ctx); }
    else await todayScreen(ctx);
  } catch (e) {
    if (ctx.alive()) root.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
  }
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

// An interaction found by search opens on the timeline of the other
// person in it.
async function openInteraction(ctx, id) {
  const ix = await api(`/interactions/${id}`);
  if (!ctx.alive()) return;
  const me = session.me.person && session.me.person.id;
  const other = ix.people.find((p) => p !== me) || ix.people[0];
  history.replaceState(null, '', `#/person/${other}`);
  route();
}

// The top search: arrows and Enter open a person or organisation; Enter
// with nothing chosen shows every result; "Create" adds someone new.
function setupSearch() {
  const q = $('#q');
  const leave = () => { q.value = ''; q.dataset.pickedId = ''; q.blur(); };
  combobox(q, {
    live: (msg) => announce(msg),
    onAll: (text) => { leave(); go(`#/search?q=${encodeURIComponent(text)}`); },
    onCreate: (text) => { leave(); go(`#/people/new?name=${encodeURIComponent(text)}`); },
    onPick: (it) => {
      leave();
      if (it.type === 'person') go(`#/person/${it.id}`);
      else if (it.type === 'org') go(`#/org/${it.id}`);
      else go(`#/interaction/${it.id}`);
    },
  });
  document.addEventListener('keydown', (e) => {
    const tag = (e.target.tagName || '').toLowerCase();
    const typing = tag === 'input' || tag === 'textarea' || tag === 'select' || e.target.isContentEditable;
    if (typing || e.ctrlKey || e.metaKey || e.altKey || !session.me) return;
    if (e.key === '/') { e.preventDefault(); q.focus(); q.select(); }
    else if (e.key === 'l') {
      const who = document.getElementById('log-who');
      if (who) { e.preventDefault(); who.focus(); }
    }
  });
}

async function boot() {
  setUnauthorizedHandler(() => signOut('Your session ended: sign in again.'));
  $('#signout').addEventListener('click', () => signOut('Signed out.'));
  setupSearch();
  window.addEventListener('hashchange', route);
  const t = token.get();
  if (!t) { signInScreen(); return; }
  try {
    start(await api('/me'));
  } catch (e) {
    if (e.status !== 401) signInScreen(errorText(e));
  }
}

boot();
