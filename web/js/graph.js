// A small force-directed layout (Barnes–Hut repulsion on a quadtree,
// springs on links, a pull towards each node's ring by degree of
// separation) and a canvas view with zoom, pan, drag and selection.

const THETA2 = 1.44; // Barnes–Hut opening criterion (theta = 1.2)

// The repulsion pass over a built quadtree (kept apart from the class so
// the engine optimises it as one tight function).
function repulse(n, x, y, vx, vy, fixed, root, cx_, cy_, m_, kid_, sz_, body_, next_, strength, minD2) {
  const stack = new Int32Array(64 * 4 + 8);
  for (let i = 0; i < n; i++) {
    if (fixed[i]) continue;
    let sp = 0, fx = 0, fy = 0;
    stack[sp++] = root;
    const xi = x[i], yi = y[i];
    while (sp > 0) {
      const c = stack[--sp];
      const m = m_[c];
      if (m === 0) continue;
      const mx = cx_[c] / m, my = cy_[c] / m;
      let dx = mx - xi, dy = my - yi;
      let d2 = dx * dx + dy * dy;
      const k0 = c * 4;
      const leaf = kid_[k0] < 0 && kid_[k0 + 1] < 0 && kid_[k0 + 2] < 0 && kid_[k0 + 3] < 0;
      if (leaf || (sz_[c] * sz_[c]) / (d2 || 1e-9) < THETA2) {
        if (leaf) {
          // Exact for each body in the leaf (usually one).
          for (let b = body_[c]; b >= 0; b = next_[b]) {
            if (b === i) continue;
            let ex = x[b] - xi, ey = y[b] - yi;
            let e2 = ex * ex + ey * ey;
            if (e2 === 0) { ex = ((i * 13) % 7 - 3) * 0.1 || 0.1; ey = ((i * 7) % 5 - 2) * 0.1 || 0.1; e2 = ex * ex + ey * ey; }
            if (e2 < minD2) e2 = Math.sqrt(minD2 * e2);
            const f = strength / e2;
            fx += ex * f; fy += ey * f;
          }
        } else {
          if (d2 < minD2) d2 = Math.sqrt(minD2 * d2);
          const f = strength * m / d2;
          fx += dx * f; fy += dy * f;
        }
        continue;
      }
      for (let q = 0; q < 4; q++) { const k = kid_[k0 + q]; if (k >= 0 && sp < stack.length) stack[sp++] = k; }
    }
    vx[i] += fx; vy[i] += fy;
  }
}

export class ForceLayout {
  // nodes: [{ring}] (ring: preferred distance from the centre in rings, or
  // null); edges: [[i, j, weight 0..1]]; centre: index pinned at (0, 0).
  constructor(nodes, edges, { centre = -1, spacing = 34 } = {}) {
    const n = nodes.length;
    this.n = n;
    this.x = new Float64Array(n);
    this.y = new Float64Array(n);
    this.vx = new Float64Array(n);
    this.vy = new Float64Array(n);
    this.fixed = new Uint8Array(n);
    this.ring = new Float64Array(n).fill(-1);
    this.edges = edges;
    this.centre = centre;
    this.spacing = spacing;
    this.alpha = 1;
    this.alphaMin = 0.004;
    this.alphaDecay = 1 - Math.pow(this.alphaMin, 1 / 260);
    this.charge = -spacing * spacing * 0.9;
    const degree = new Float64Array(n);
    for (const [a, b] of edges) { degree[a]++; degree[b]++; }
    this.degree = degree;
    // The ring radius grows with how many sit on it, so rings stay legible.
    const perRing = new Map();
    nodes.forEach((nd, i) => { if (nd.ring != null) perRing.set(nd.ring, (perRing.get(nd.ring) || 0) + 1); });
    const radius = new Map();
    let r = 0;
    for (const k of [...perRing.keys()].sort((a, b) => a - b)) {
      if (k === 0) { radius.set(0, 0); continue; }
      r += spacing * (1.6 + Math.sqrt(perRing.get(k)) * 0.55);
      radius.set(k, r);
    }
    // Phyllotaxis start on each ring: deterministic and already spread out.
    const seen = new Map();
    nodes.forEach((nd, i) => {
      const rr = nd.ring != null ? radius.get(nd.ring) : spacing * Math.sqrt(i + 1) * 2;
      this.ring[i] = nd.ring != null ? rr : -1;
      const k = seen.get(nd.ring) || 0;
      seen.set(nd.ring, k + 1);
      const a = k * 2.39996323 + (nd.ring || 0);
      const jitter = 1 + ((k * 7919) % 97) / 400;
      this.x[i] = Math.cos(a) * rr * jitter;
      this.y[i] = Math.sin(a) * rr * jitter;
    });
    if (centre >= 0) { this.x[centre] = 0; this.y[centre] = 0; this.fixed[centre] = 1; }
  }

  reheat(a = 0.3) { this.alpha = Math.max(this.alpha, a); }
  get running() { return this.alpha > this.alphaMin; }

  tick() {
    const { n, x, y, vx, vy } = this;
    const alpha = this.alpha;
    this.repel(alpha);
    // Springs: rest length a few spacings, stiffer for strong links.
    const L = this.spacing * 1.4;
    for (const [a, b, w] of this.edges) {
      let dx = x[b] + vx[b] - x[a] - vx[a];
      let dy = y[b] + vy[b] - y[a] - vy[a];
      const d = Math.sqrt(dx * dx + dy * dy) || 1e-6;
      const bias = this.degree[a] / (this.degree[a] + this.degree[b]);
      const k = (d - L) / d * alpha * (0.25 + 0.5 * (w || 0.5)) / Math.min(this.degree[a], this.degree[b]);
      dx *= k; dy *= k;
      vx[b] -= dx * bias; vy[b] -= dy * bias;
      vx[a] += dx * (1 - bias); vy[a] += dy * (1 - bias);
    }
    // Rings: a gentle radial pull keeps degrees of separation readable.
    for (let i = 0; i < n; i++) {
      const r = this.ring[i];
      if (r <= 0) {
        vx[i] -= x[i] * 0.002 * alpha; vy[i] -= y[i] * 0.002 * alpha;
        continue;
      }
      const d = Math.sqrt(x[i] * x[i] + y[i] * y[i]) || 1e-6;
      const k = (r - d) / d * 0.06 * alpha;
      vx[i] += x[i] * k; vy[i] += y[i] * k;
    }
    for (let i = 0; i < n; i++) {
      if (this.fixed[i]) { vx[i] = 0; vy[i] = 0; continue; }
      vx[i] *= 0.6; vy[i] *= 0.6;
      x[i] += vx[i]; y[i] += vy[i];
    }
    this.alpha += (0 - this.alpha) * this.alphaDecay;
  }

  // Barnes–Hut: a quadtree in flat arrays, rebuilt each tick.  A leaf
  // holds a chain of bodies (more than one only when they coincide).
  grow(cap) {
    const old = this.t;
    const t = {
      cap, cx: new Float64Array(cap), cy: new Float64Array(cap), m: new Float64Array(cap),
      ox: new Float64Array(cap), oy: new Float64Array(cap), sz: new Float64Array(cap),
      kid: new Int32Array(cap * 4), body: new Int32Array(cap), next: old ? old.next : null,
    };
    if (old) {
      for (const k of ['cx', 'cy', 'm', 'ox', 'oy', 'sz', 'kid', 'body']) t[k].set(old[k]);
    }
    this.t = t;
  }

  repel(alpha) {
    const { n, x, y, vx, vy } = this;
    if (n < 2) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      if (x[i] < x0) x0 = x[i]; if (x[i] > x1) x1 = x[i];
      if (y[i] < y0) y0 = y[i]; if (y[i] > y1) y1 = y[i];
    }
    const size0 = Math.max(x1 - x0, y1 - y0, 1) * 1.0001;
    if (!this.t || !this.t.next || this.t.next.length < n) { this.t = null; this.grow(n * 3 + 64); this.t.next = new Int32Array(n); }
    let t = this.t;
    let used = 0;
    const make = (ox, oy, sz) => {
      if (used >= t.cap) { this.grow(t.cap * 2); t = this.t; }
      const c = used++;
      t.cx[c] = 0; t.cy[c] = 0; t.m[c] = 0; t.ox[c] = ox; t.oy[c] = oy; t.sz[c] = sz;
      t.kid[c * 4] = t.kid[c * 4 + 1] = t.kid[c * 4 + 2] = t.kid[c * 4 + 3] = -1;
      t.body[c] = -1;
      return c;
    };
    const child = (c, px, py) => {
      const hh = t.sz[c] / 2;
      const q = (px >= t.ox[c] + hh ? 1 : 0) + (py >= t.oy[c] + hh ? 2 : 0);
      let k = t.kid[c * 4 + q];
      if (k < 0) {
        k = make(t.ox[c] + (q & 1 ? hh : 0), t.oy[c] + (q & 2 ? hh : 0), hh);
        t.kid[c * 4 + q] = k;
      }
      return k;
    };
    const root = make(x0, y0, size0);
    for (let i = 0; i < n; i++) {
      t.next[i] = -1;
      let c = root, depth = 0;
      for (;;) {
        const wasEmpty = t.m[c] === 0;
        t.cx[c] += x[i]; t.cy[c] += y[i]; t.m[c] += 1;
        const k0 = c * 4;
        if (t.kid[k0] < 0 && t.kid[k0 + 1] < 0 && t.kid[k0 + 2] < 0 && t.kid[k0 + 3] < 0) {
          if (wasEmpty) { t.body[c] = i; break; }
          if (depth > 30) { t.next[i] = t.body[c]; t.body[c] = i; break; }
          // Split: the resident bodies go one level down.
          let b = t.body[c];
          t.body[c] = -1;
          while (b >= 0) {
            const nb = t.next[b];
            const k = child(c, x[b], y[b]);
            t.cx[k] += x[b]; t.cy[k] += y[b]; t.m[k] += 1;
            t.next[b] = t.body[k]; t.body[k] = b;
            b = nb;
          }
        }
        c = child(c, x[i], y[i]);
        depth++;
      }
    }
    const t2 = this.t;
    repulse(n, x, y, vx, vy, this.fixed, root, t2.cx, t2.cy, t2.m, t2.kid, t2.sz, t2.body, t2.next,
      this.charge * alpha, this.spacing * this.spacing * 0.05);
  }
}

// Canvas view of a layout.  nodes: [{id, name, color, r}], same order as
// the layout's.  Options: onSelect(node|null), onOpen(node).
export class NetworkView {
  constructor(canvas, { onSelect, onOpen } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.onSelect = onSelect || (() => {});
    this.onOpen = onOpen || (() => {});
    this.k = 1; this.tx = 0; this.ty = 0;
    this.nodes = []; this.edges = []; this.layout = null;
    this.highlight = new Set();
    this.selected = -1; this.hover = -1;
    this.stats = { ticks: 0, tickMs: 0, frames: 0, drawMs: 0, settledMs: 0 };
    this.dirty = true;
    this.raf = 0;
    this.pointers = new Map();
    this.bind();
    this.resize();
    this.ro = new ResizeObserver(() => { this.resize(); this.dirty = true; });
    this.ro.observe(canvas);
    this.loop = this.loop.bind(this);
    this.raf = requestAnimationFrame(this.loop);
  }

  setData(nodes, edges, centre = -1) {
    this.nodes = nodes;
    this.edges = edges;
    this.layout = new ForceLayout(nodes, edges, { centre });
    this.adj = nodes.map(() => []);
    for (const [a, b] of edges) { this.adj[a].push(b); this.adj[b].push(a); }
    this.selected = -1; this.hover = -1;
    this.stats = { ticks: 0, tickMs: 0, frames: 0, drawMs: 0, settledMs: 0, started: performance.now() };
    this.fitted = false;
    this.dirty = true;
  }

  setHighlight(ids) {
    this.highlight = new Set(ids);
    this.dirty = true;
  }

  destroy() {
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    this.ro.disconnect();
  }

  resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = this.canvas.clientWidth || 300, hgt = this.canvas.clientHeight || 300;
    this.w = w; this.h = hgt; this.dpr = dpr;
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(hgt * dpr);
  }

  fit() {
    const L = this.layout;
    if (!L || !L.n) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < L.n; i++) {
      x0 = Math.min(x0, L.x[i]); x1 = Math.max(x1, L.x[i]);
      y0 = Math.min(y0, L.y[i]); y1 = Math.max(y1, L.y[i]);
    }
    const pad = 30;
    const k = Math.min((this.w - pad * 2) / Math.max(x1 - x0, 1), (this.h - pad * 2) / Math.max(y1 - y0, 1), 3);
    this.k = k;
    this.tx = this.w / 2 - ((x0 + x1) / 2) * k;
    this.ty = this.h / 2 - ((y0 + y1) / 2) * k;
    this.dirty = true;
  }

  zoomBy(f, cx = this.w / 2, cy = this.h / 2) {
    const k = Math.max(0.05, Math.min(12, this.k * f));
    const f2 = k / this.k;
    this.tx = cx - (cx - this.tx) * f2;
    this.ty = cy - (cy - this.ty) * f2;
    this.k = k;
    this.dirty = true;
  }

  panBy(dx, dy) { this.tx += dx; this.ty += dy; this.dirty = true; }

  toWorld(px, py) { return [(px - this.tx) / this.k, (py - this.ty) / this.k]; }

  // World units per node-radius unit: nodes keep a readable size on screen
  // when zoomed out and grow a little when zoomed in.
  rscale() { return Math.max(1, Math.min(2.5, Math.sqrt(this.k))) / this.k; }

  nodeAt(px, py) {
    const L = this.layout;
    if (!L) return -1;
    const [wx, wy] = this.toWorld(px, py);
    const rs = this.rscale();
    let best = -1, bd = Infinity;
    for (let i = 0; i < L.n; i++) {
      const r = (this.nodes[i].r || 4) * rs + 5 / this.k;
      const dx = L.x[i] - wx, dy = L.y[i] - wy;
      const d = dx * dx + dy * dy;
      if (d < r * r && d < bd) { bd = d; best = i; }
    }
    return best;
  }

  select(i, announce = true) {
    this.selected = i;
    this.dirty = true;
    if (announce) this.onSelect(i >= 0 ? this.nodes[i] : null, i);
  }

  centreOn(i) {
    const L = this.layout;
    if (!L || i < 0) return;
    this.tx = this.w / 2 - L.x[i] * this.k;
    this.ty = this.h / 2 - L.y[i] * this.k;
    this.dirty = true;
  }

  bind() {
    const c = this.canvas;
    const pos = (e) => { const r = c.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const [px, py] = pos(e);
      this.zoomBy(Math.exp(-e.deltaY * 0.0015), px, py);
    }, { passive: false });
    let drag = null;
    c.addEventListener('pointerdown', (e) => {
      c.setPointerCapture(e.pointerId);
      const [px, py] = pos(e);
      this.pointers.set(e.pointerId, [px, py]);
      if (this.pointers.size === 2) { drag = { pinch: this.pinchState() }; return; }
      const i = this.nodeAt(px, py);
      drag = { i, px, py, moved: false };
      if (i >= 0 && this.layout) { this.layout.fixed[i] = 1; }
    });
    c.addEventListener('pointermove', (e) => {
      const [px, py] = pos(e);
      if (this.pointers.has(e.pointerId)) this.pointers.set(e.pointerId, [px, py]);
      if (drag && drag.pinch) {
        const now = this.pinchState();
        if (now && drag.pinch) {
          this.zoomBy(now.d / drag.pinch.d, now.cx, now.cy);
          this.panBy(now.cx - drag.pinch.cx, now.cy - drag.pinch.cy);
          drag.pinch = now;
        }
        return;
      }
      if (!drag) {
        const i = this.nodeAt(px, py);
        if (i !== this.hover) { this.hover = i; this.dirty = true; c.title = i >= 0 ? this.nodes[i].name : ''; }
        return;
      }
      const dx = px - drag.px, dy = py - drag.py;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (!drag.moved) return;
      if (drag.i >= 0 && this.layout) {
        const [wx, wy] = this.toWorld(px, py);
        this.layout.x[drag.i] = wx; this.layout.y[drag.i] = wy;
        this.layout.reheat(0.08);
        this.dirty = true;
      } else {
        this.panBy(dx, dy);
        drag.px = px; drag.py = py;
      }
    });
    const end = (e) => {
      this.pointers.delete(e.pointerId);
      if (!drag) return;
      if (drag.pinch) { if (this.pointers.size === 0) drag = null; return; }
      if (drag.i >= 0 && this.layout && drag.i !== this.layout.centre) this.layout.fixed[drag.i] = 0;
      if (!drag.moved) this.select(drag.i);
      drag = null;
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('pointerleave', () => { if (this.hover >= 0) { this.hover = -1; this.dirty = true; } });
    c.addEventListener('dblclick', (e) => {
      const [px, py] = pos(e);
      const i = this.nodeAt(px, py);
      if (i >= 0) this.onOpen(this.nodes[i]); else this.zoomBy(1.6, px, py);
    });
    c.addEventListener('keydown', (e) => {
      const step = 40;
      const keys = {
        '+': () => this.zoomBy(1.25), '=': () => this.zoomBy(1.25), '-': () => this.zoomBy(0.8),
        ArrowLeft: () => this.panBy(step, 0), ArrowRight: () => this.panBy(-step, 0),
        ArrowUp: () => this.panBy(0, step), ArrowDown: () => this.panBy(0, -step),
        0: () => this.fit(),
        ']': () => this.cycle(1), '[': () => this.cycle(-1),
        Enter: () => { if (this.selected >= 0) this.onOpen(this.nodes[this.selected]); },
        Escape: () => this.select(-1),
      };
      const f = keys[e.key];
      if (f) { e.preventDefault(); f(); }
    });
  }

  // [ and ] step through the people in the picture (highlighted ones
  // first when there are any), so it can be explored without a mouse.
  cycle(dir) {
    const order = this.highlight.size
      ? this.nodes.map((n, i) => i).filter((i) => this.highlight.has(this.nodes[i].id))
      : this.nodes.map((n, i) => i).sort((a, b) => (this.layout.degree[b] - this.layout.degree[a]));
    if (!order.length) return;
    const at = order.indexOf(this.selected);
    const next = order[(at + dir + order.length) % order.length];
    this.select(next);
    this.centreOn(next);
  }

  pinchState() {
    const p = [...this.pointers.values()];
    if (p.length < 2) return null;
    const [a, b] = p;
    return { d: Math.hypot(a[0] - b[0], a[1] - b[1]) || 1, cx: (a[0] + b[0]) / 2, cy: (a[1] + b[1]) / 2 };
  }

  loop(now) {
    this.raf = requestAnimationFrame(this.loop);
    const L = this.layout;
    if (L && L.running) {
      // As many ticks as fit in ~8 ms, so frames stay smooth.
      const t0 = performance.now();
      let ticks = 0;
      do { L.tick(); ticks++; } while (L.running && performance.now() - t0 < 8 && ticks < 8);
      const dt = performance.now() - t0;
      this.stats.ticks += ticks;
      this.stats.tickMs += dt;
      if (!L.running) this.stats.settledMs = performance.now() - this.stats.started;
      if (!this.fitted || this.stats.ticks < 120) { this.fit(); this.fitted = true; }
      this.dirty = true;
    }
    if (this.dirty) {
      const t0 = performance.now();
      this.draw();
      this.stats.drawMs += performance.now() - t0;
      this.stats.frames++;
      this.dirty = false;
    }
  }

  draw() {
    const { ctx, layout: L, nodes } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, this.h);
    if (!L) return;
    ctx.setTransform(this.dpr * this.k, 0, 0, this.dpr * this.k, this.dpr * this.tx, this.dpr * this.ty);
    const { x, y } = L;
    const focus = this.selected >= 0 ? this.selected : this.hover;
    // Edges in one path; the focused node's edges again, darker.
    ctx.lineWidth = 0.8 / this.k;
    ctx.strokeStyle = focus >= 0 || this.highlight.size ? 'rgba(80, 72, 140, 0.10)' : 'rgba(80, 72, 140, 0.22)';
    ctx.beginPath();
    for (const [a, b] of this.edges) { ctx.moveTo(x[a], y[a]); ctx.lineTo(x[b], y[b]); }
    ctx.stroke();
    if (focus >= 0) {
      ctx.strokeStyle = 'rgba(59, 47, 143, 0.85)';
      ctx.lineWidth = 1.6 / this.k;
      ctx.beginPath();
      for (const b of this.adj[focus]) { ctx.moveTo(x[focus], y[focus]); ctx.lineTo(x[b], y[b]); }
      ctx.stroke();
    }
    // Nodes batched by colour.
    const byColour = new Map();
    for (let i = 0; i < L.n; i++) {
      const c = nodes[i].color;
      if (!byColour.has(c)) byColour.set(c, []);
      byColour.get(c).push(i);
    }
    const dim = this.highlight.size > 0;
    const rs = this.rscale();
    for (const [colour, list] of byColour) {
      ctx.fillStyle = colour;
      ctx.globalAlpha = dim ? 0.35 : 1;
      ctx.beginPath();
      for (const i of list) {
        const r = (nodes[i].r || 4) * rs;
        ctx.moveTo(x[i] + r, y[i]);
        ctx.arc(x[i], y[i], r, 0, Math.PI * 2);
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    if (dim) {
      ctx.lineWidth = 2.5 / this.k;
      ctx.strokeStyle = '#e11d74';
      ctx.beginPath();
      for (let i = 0; i < L.n; i++) {
        if (!this.highlight.has(nodes[i].id)) continue;
        const r = (nodes[i].r || 4) * rs + 2.5 / this.k;
        ctx.moveTo(x[i] + r, y[i]);
        ctx.arc(x[i], y[i], r, 0, Math.PI * 2);
      }
      ctx.stroke();
      for (const [colour, list] of byColour) {
        ctx.fillStyle = colour;
        ctx.beginPath();
        for (const i of list) {
          if (!this.highlight.has(nodes[i].id)) continue;
          const r = (nodes[i].r || 4) * rs;
          ctx.moveTo(x[i] + r, y[i]);
          ctx.arc(x[i], y[i], r, 0, Math.PI * 2);
        }
        ctx.fill();
      }
    }
    if (focus >= 0) {
      ctx.lineWidth = 3 / this.k;
      ctx.strokeStyle = '#d9480f';
      ctx.beginPath();
      ctx.arc(x[focus], y[focus], (nodes[focus].r || 4) * rs + 3 / this.k, 0, Math.PI * 2);
      ctx.stroke();
    }
    // Labels in screen space: the centre, focus, highlighted, big hubs and,
    // when zoomed in, whoever is on screen (capped).
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const want = [];
    const seen = new Set();
    const add = (i) => { if (i >= 0 && !seen.has(i)) { seen.add(i); want.push(i); } };
    add(focus); add(L.centre);
    if (focus >= 0 && this.selected >= 0) for (const b of this.adj[focus]) if (want.length < 40) add(b);
    for (let i = 0; i < L.n && want.length < 60; i++) if (this.highlight.has(nodes[i].id)) add(i);
    for (let i = 0; i < L.n && want.length < 80; i++) if (nodes[i].label) add(i);
    if (this.k > 1.4) {
      for (let i = 0; i < L.n && want.length < 160; i++) {
        const sx = x[i] * this.k + this.tx, sy = y[i] * this.k + this.ty;
        if (sx > 0 && sy > 0 && sx < this.w && sy < this.h) add(i);
      }
    }
    // Greedy placement: a label that would overlap one already drawn is
    // left out (the centre and the focused node always get theirs).
    const placed = [];
    for (const i of want) {
      const sx = x[i] * this.k + this.tx, sy = y[i] * this.k + this.ty;
      if (sx < -50 || sy < -20 || sx > this.w + 50 || sy > this.h + 20) continue;
      const r = (nodes[i].r || 4) * rs * this.k;
      const text = nodes[i].name;
      const tw = ctx.measureText(text).width;
      const lx = sx + r + 4, ly = sy;
      const box = [lx - 3, ly - 9, lx + tw + 3, ly + 9];
      const must = i === L.centre || i === focus;
      if (!must && placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
      placed.push(box);
      ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
      ctx.fillRect(lx - 2, ly - 8, tw + 4, 16);
      ctx.fillStyle = i === focus ? '#8a2c06' : '#1d1b26';
      ctx.fillText(text, lx, ly);
    }
  }
}
