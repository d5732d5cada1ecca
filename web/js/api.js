// The public kith API (/api/v1), signed in with a member token kept in
// sessionStorage for this tab only.

const BASE = '/api/v1';
const KEY = 'kith.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {}))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

// opts.signal aborts the request (then an ApiError with code 'aborted');
// opts.ifMatch sends If-Match, so a write that lost a race is refused (412).
export async function api(path, { method = 'GET', params, json, body, tokenOverride, signal, ifMatch, raw } = {}) {
  const headers = { Accept: 'application/json' };
  const t = tokenOverride || token.get();
  if (t) headers.Authorization = `Bearer ${t}`;
  if (ifMatch) headers['If-Match'] = ifMatch.startsWith('"') ? ifMatch : `"${ifMatch}"`;
  let payload;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    payload = body;
  }
  let res;
  try {
    res = await fetch(BASE + path + qs(params), { method, headers, body: payload, cache: 'no-store', signal });
  } catch (e) {
    if (e && e.name === 'AbortError') throw new ApiError(0, 'aborted', 'aborted');
    throw new ApiError(0, 'network', 'The kith server could not be reached.');
  }
  if (res.status === 204) return null;
  if (raw && res.ok) return res;
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) {
    const err = data && data.error;
    const e = new ApiError(res.status, err ? err.code : 'http', err ? err.message : `${res.status} ${res.statusText}`);
    if (res.status === 401 && !tokenOverride) onUnauthorized(e);
    throw e;
  }
  return data;
}

// Every page of a paged list (links, people), up to max items.
export async function allPages(path, params = {}, max = 100000) {
  const out = [];
  const limit = 1000;
  for (let offset = 0; offset < max; offset += limit) {
    const page = await api(path, { params: { ...params, limit, offset } });
    const items = page.items || [];
    out.push(...items);
    if (items.length < limit) break;
    if (page.total !== undefined && out.length >= page.total) break;
  }
  return out;
}

// Names of people by id, filled from every answer that carries one and
// fetched one by one for the rest.
const names = new Map();
export function rememberName(id, name) { if (id && name) names.set(Number(id), name); }
export function nameOf(id) { return names.get(Number(id)) || `#${id}`; }
export async function ensureNames(ids) {
  const missing = [...new Set(ids.map(Number))].filter((id) => id && !names.has(id));
  const queue = missing.slice();
  const worker = async () => {
    while (queue.length) {
      const id = queue.shift();
      try {
        const p = await api(`/people/${id}`);
        rememberName(p.id, p.name);
      } catch (e) {
        names.set(id, 'someone not visible');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(6, queue.length) }, worker));
}

// The caller's orbits (id -> {orbit, orbit_name, strength}), cached.
let orbitCache = null;
export async function orbits(refresh = false) {
  if (orbitCache && !refresh) return orbitCache;
  const data = await api('/orbits');
  const m = new Map();
  for (const it of data.items || []) {
    m.set(it.person, it);
    rememberName(it.person, it.name);
  }
  orbitCache = m;
  return m;
}
// The team's members (id -> name), cached.
let memberCache = null;
export async function members() {
  if (!memberCache) {
    memberCache = api('/members').then((d) => new Map((d.items || []).map((m) => [m.id, m.name])))
      .catch(() => { memberCache = null; return new Map(); });
  }
  return memberCache;
}
// The team's members as the API lists them ({id, name, person, owner}),
// cached.
let memberItems = null;
export function memberList() {
  if (!memberItems) {
    memberItems = api('/members').then((d) => d.items || []).catch(() => { memberItems = null; return []; });
  }
  return memberItems;
}
export function forgetKinds() { kindCache = null; }
export function forgetCaches() { orbitCache = null; memberCache = null; memberItems = null; kindCache = null; names.clear(); }

export const ORBITS = ['inner', 'close', 'active', 'known'];
export const KINDS = ['meeting', 'call', 'email', 'message', 'introduction', 'favour'];
export const LINK_KINDS = ['knows', 'friend', 'family', 'colleague', 'client', 'partner', 'mentor', 'investor', 'classmate', 'neighbour'];

// The kinds the team uses (GET /kinds where the server has it, else the
// built-in ones), cached.
let kindCache = null;
export function kinds() {
  if (!kindCache) {
    kindCache = api('/kinds').then((d) => ({
      interaction: (d.interaction || []).map((k) => k.name).filter(Boolean),
      link: (d.link || []).map((k) => k.name).filter(Boolean),
    })).then((k) => ({ interaction: k.interaction.length ? k.interaction : KINDS, link: k.link.length ? k.link : LINK_KINDS }))
      .catch(() => ({ interaction: KINDS, link: LINK_KINDS }));
  }
  return kindCache;
}
