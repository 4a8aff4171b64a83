// The map view: draws the server's layout as SVG (every text through
// textContent), pans, zooms, folds, searches, and edits with the keyboard
// and the mouse. Edits go to the server, which keeps the undo history.
import { get, post, patch, del } from './api.js';
import { $, el, svg, clear, status } from './dom.js';

const FILLS = ['#eef3fd', '#fdeeee', '#eefaf1', '#fff6e0', '#f3eefd', '#e8f7f8', '#fdeef7', '#f1f4e6'];
const STROKES = ['#2f6fdf', '#d64545', '#2e9e58', '#d9962b', '#7a4fd6', '#1f9aa6', '#cf4c96', '#7d8f2a'];
const UNCERTAIN = 0.8;
const EXPORTS = ['apkg', 'md', 'opml', 'mm', 'json', 'svg', 'png', 'pdf'];

const state = {
  mapId: 0,
  nodes: new Map(),   // id -> node from GET /api/maps/{id}, plus .kids
  root: null,
  layout: null,
  boxes: new Map(),   // id -> box of the visible nodes
  selected: null,
  view: { x: 40, y: 40, k: 1 },
  fitted: false,
  hits: new Set(),
  editing: null,
  onChange: null,
};

export function currentMap() { return state.mapId; }
export function onMapChanged(fn) { state.onChange = fn; }

function layoutName() { return $('layout-select').value; }

export async function load(mapId, keepView = false) {
  state.mapId = mapId;
  if (!keepView) { state.fitted = false; state.selected = null; }
  renderExports();
  if (!mapId) { clear($('viewport')); return; }
  const [map, layout] = await Promise.all([
    get(`/api/maps/${mapId}`),
    get(`/api/maps/${mapId}/layout?layout=${encodeURIComponent(layoutName())}`),
  ]);
  if (mapId !== state.mapId) return;
  state.nodes = new Map();
  for (const n of map.nodes) { n.kids = []; state.nodes.set(n.id, n); }
  for (const n of map.nodes) if (n.parent !== null) state.nodes.get(n.parent).kids.push(n.id);
  state.root = map.root;
  state.layout = layout;
  state.boxes = new Map(layout.boxes.map((b) => [b.id, b]));
  if (state.selected !== null && !state.nodes.has(state.selected)) state.selected = null;
  $('undo').disabled = !map.can_undo;
  $('redo').disabled = !map.can_redo;
  draw();
  if (!state.fitted) { fit(); state.fitted = true; }
  runSearch();
  showUncertain();
}

function renderExports() {
  const box = clear($('exports'));
  if (!state.mapId) return;
  for (const f of EXPORTS) {
    box.append(el('a', {
      href: `/api/maps/${state.mapId}/export?format=${f}&layout=${encodeURIComponent(layoutName())}`,
      download: '', 'data-format': f,
    }, f));
  }
}

function isUncertain(n) {
  return (n.join_confidence ?? 1) < UNCERTAIN || (n.parent_confidence ?? 1) < UNCERTAIN;
}

function linkPath(p, c) {
  const kind = state.layout.layout;
  if (kind === 'down') {
    const x1 = p.x + p.w / 2, y1 = p.y + p.h, x2 = c.x + c.w / 2, y2 = c.y;
    const my = (y1 + y2) / 2;
    return `M${x1},${y1} C${x1},${my} ${x2},${my} ${x2},${y2}`;
  }
  if (kind === 'radial' || c.side === 0) {
    return `M${p.x + p.w / 2},${p.y + p.h / 2} L${c.x + c.w / 2},${c.y + c.h / 2}`;
  }
  const left = c.side < 0;
  const x1 = left ? p.x : p.x + p.w, y1 = p.y + p.h / 2;
  const x2 = left ? c.x + c.w : c.x, y2 = c.y + c.h / 2;
  const mx = (x1 + x2) / 2;
  return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
}

function draw() {
  const vp = clear($('viewport'));
  const L = state.layout;
  const links = svg('g', { class: 'links' });
  const nodes = svg('g', { class: 'nodes' });
  for (const b of L.boxes) {
    const n = state.nodes.get(b.id);
    const colour = b.depth === 0 ? 0 : b.branch % STROKES.length;
    if (b.parent !== null && state.boxes.has(b.parent)) {
      links.append(svg('path', { class: 'link', d: linkPath(state.boxes.get(b.parent), b), stroke: STROKES[colour] }));
    }
    const cls = ['node'];
    if (n && isUncertain(n)) cls.push('uncertain');
    if (b.id === state.selected) cls.push('selected');
    if (state.hits.has(b.id)) cls.push('hit');
    const g = svg('g', { class: cls.join(' '), 'data-id': b.id, transform: `translate(${b.x},${b.y})` });
    g.append(svg('rect', {
      class: 'box', width: b.w, height: b.h, rx: 8,
      fill: b.depth === 0 ? '#dfe8fb' : FILLS[colour], stroke: STROKES[colour],
    }));
    b.lines.forEach((line, i) => {
      g.append(svg('text', {
        x: L.padding_x, y: L.padding_y + i * L.line_height + L.line_height * 0.75,
        'font-size': L.font_size, text: line,
      }));
    });
    if (n) {
      const tip = isUncertain(n)
        ? `${n.text}\n(guessed from a copied page: check it)` : n.text;
      g.append(svg('title', { text: tip }));
      if (n.kids.length > 0 && b.depth > 0) {
        const right = b.side >= 0 && L.layout !== 'down';
        const cx = L.layout === 'down' ? b.w / 2 : (right ? b.w + 7 : -7);
        const cy = L.layout === 'down' ? b.h + 7 : b.h / 2;
        const m = svg('g', { class: 'fold-marker', 'data-fold': b.id });
        m.append(svg('circle', { class: 'fold', cx, cy, r: n.folded ? 8 : 5 }));
        if (n.folded) m.append(svg('text', { class: 'fold-count', x: cx, y: cy + 3.5, 'text-anchor': 'middle', text: n.kids.length }));
        g.append(m);
      }
    }
    nodes.append(g);
  }
  vp.append(links, nodes);
  applyView();
}

function applyView() {
  const v = state.view;
  $('viewport').setAttribute('transform', `translate(${v.x},${v.y}) scale(${v.k})`);
  if (state.editing !== null) placeEditor();
}

export function fit() {
  const L = state.layout;
  if (!L || L.boxes.length === 0) return;
  const r = $('map-svg').getBoundingClientRect();
  const w = Math.max(1, L.max_x - L.min_x), h = Math.max(1, L.max_y - L.min_y);
  const k = Math.min(1.5, Math.max(0.05, Math.min((r.width - 40) / w, (r.height - 40) / h)));
  state.view = { k, x: (r.width - w * k) / 2 - L.min_x * k, y: (r.height - h * k) / 2 - L.min_y * k };
  applyView();
}

function zoomAt(factor, cx, cy) {
  const v = state.view;
  const k = Math.min(8, Math.max(0.03, v.k * factor));
  v.x = cx - (cx - v.x) * (k / v.k);
  v.y = cy - (cy - v.y) * (k / v.k);
  v.k = k;
  applyView();
}

function centerOn(id) {
  const b = state.boxes.get(id);
  if (!b) return;
  const r = $('map-svg').getBoundingClientRect();
  const v = state.view;
  const sx = b.x * v.k + v.x, sy = b.y * v.k + v.y;
  if (sx < 0 || sy < 0 || sx + b.w * v.k > r.width || sy + b.h * v.k > r.height) {
    v.x = r.width / 2 - (b.x + b.w / 2) * v.k;
    v.y = r.height / 2 - (b.y + b.h / 2) * v.k;
    applyView();
  }
}

function select(id) {
  state.selected = id;
  for (const g of $('viewport').querySelectorAll('.node.selected')) g.classList.remove('selected');
  if (id !== null) {
    const g = $('viewport').querySelector(`.node[data-id="${id}"]`);
    if (g) g.classList.add('selected');
    centerOn(id);
  }
  showUncertain();
}

function showUncertain() {
  const bar = $('uncertain-bar');
  const n = state.selected !== null ? state.nodes.get(state.selected) : null;
  if (!n || !isUncertain(n)) { bar.hidden = true; return; }
  const parts = [];
  if ((n.join_confidence ?? 1) < UNCERTAIN) parts.push(`where its text starts and ends (${Math.round(n.join_confidence * 100)}% sure)`);
  if ((n.parent_confidence ?? 1) < UNCERTAIN) parts.push(`which node it belongs under (${Math.round(n.parent_confidence * 100)}% sure)`);
  $('uncertain-text').textContent = `This node was rebuilt from a copied page; check ${parts.join(' and ')}.`;
  bar.hidden = false;
}

// Runs an edit request, then reloads the map and selects `select`'s result.
async function edit(request, pick) {
  try {
    const res = await request();
    await load(state.mapId, true);
    const id = pick ? pick(res) : state.selected;
    if (id !== null && id !== undefined && state.nodes.has(id)) select(id);
    if (state.onChange) state.onChange();
    return res;
  } catch (e) {
    status(e.message, true);
    return null;
  }
}

const base = () => `/api/maps/${state.mapId}`;

async function addChild(parent) {
  const res = await edit(() => post(`${base()}/nodes`, { parent, text: 'New node' }), (r) => r.node);
  if (res) { const n = state.nodes.get(parent); if (n && n.folded) await setFolded(parent, false); startEdit(res.node, true); }
}

async function addSibling(id) {
  const n = state.nodes.get(id);
  if (!n || n.parent === null) return addChild(id);
  const kids = state.nodes.get(n.parent).kids;
  const next = kids[kids.indexOf(id) + 1];
  const body = { parent: n.parent, text: 'New node' };
  if (next !== undefined) body.before = next;
  const res = await edit(() => post(`${base()}/nodes`, body), (r) => r.node);
  if (res) startEdit(res.node, true);
}

function setFolded(id, folded) {
  return edit(() => patch(`${base()}/nodes/${id}`, { folded }));
}

function removeNode(id) {
  const n = state.nodes.get(id);
  if (!n || n.parent === null) { status('The root cannot be deleted.', true); return; }
  const kids = state.nodes.get(n.parent).kids;
  const i = kids.indexOf(id);
  const after = kids[i + 1] ?? kids[i - 1] ?? n.parent;
  return edit(() => del(`${base()}/nodes/${id}`), () => after);
}

function isDescendant(id, ancestor) {
  for (let p = id; p !== null && p !== undefined; p = state.nodes.get(p)?.parent) {
    if (p === ancestor) return true;
  }
  return false;
}

function moveNode(id, parent) {
  if (id === parent || isDescendant(parent, id)) return;
  return edit(() => patch(`${base()}/nodes/${id}`, { parent }), () => id);
}

export function undo() { return edit(() => post(`${base()}/undo`)); }
export function redo() { return edit(() => post(`${base()}/redo`)); }

// --- text editing in place
function placeEditor() {
  const b = state.boxes.get(state.editing);
  const ed = $('editor');
  if (!b) { ed.hidden = true; return; }
  const v = state.view;
  ed.style.left = `${b.x * v.k + v.x}px`;
  ed.style.top = `${b.y * v.k + v.y}px`;
  ed.style.width = `${Math.max(160, b.w * v.k + 40)}px`;
  ed.style.height = `${Math.max(32, b.h * v.k + 8)}px`;
}

function startEdit(id, selectAll = false) {
  const n = state.nodes.get(id);
  if (!n) return;
  select(id);
  state.editing = id;
  const ed = $('editor');
  ed.value = n.text;
  ed.hidden = false;
  placeEditor();
  ed.focus();
  if (selectAll) ed.select();
}

async function finishEdit(commit) {
  const id = state.editing;
  if (id === null) return;
  state.editing = null;
  const ed = $('editor');
  ed.hidden = true;
  $('canvas').focus();
  const n = state.nodes.get(id);
  const text = ed.value.trim();
  if (commit && n && text !== n.text && text !== '') {
    await edit(() => patch(`${base()}/nodes/${id}`, { text }), () => id);
  }
}

// --- search
function runSearch() {
  const q = $('search').value.trim().toLocaleLowerCase();
  state.hits = new Set();
  if (q) for (const n of state.nodes.values()) if (n.text.toLocaleLowerCase().includes(q)) state.hits.add(n.id);
  let hidden = 0;
  for (const g of $('viewport').querySelectorAll('.node')) {
    g.classList.toggle('hit', state.hits.has(Number(g.dataset.id)));
  }
  for (const id of state.hits) if (!state.boxes.has(id)) hidden++;
  $('search-count').textContent = q ? `${state.hits.size} found${hidden ? ` (${hidden} in folded branches)` : ''}` : '';
}

function nextHit() {
  const ids = [...state.hits].filter((id) => state.boxes.has(id));
  if (ids.length === 0) return;
  const i = ids.indexOf(state.selected);
  select(ids[(i + 1) % ids.length]);
}

// --- keyboard
function onKey(e) {
  if (state.editing !== null || !state.mapId) return;
  const id = state.selected;
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && (e.key === 'z' || e.key === 'Z')) { e.preventDefault(); if (e.shiftKey) redo(); else undo(); return; }
  if (ctrl && (e.key === 'y' || e.key === 'Y')) { e.preventDefault(); redo(); return; }
  if (ctrl) return;
  switch (e.key) {
    case '/': e.preventDefault(); $('search').focus(); return;
    case '+': case '=': zoomAt(1.2, ...center()); return;
    case '-': zoomAt(1 / 1.2, ...center()); return;
    case '0': fit(); return;
    default: break;
  }
  if (id === null) {
    if (['Tab', 'Enter', 'ArrowDown', 'ArrowRight'].includes(e.key) && state.root !== null) { e.preventDefault(); select(state.root); }
    return;
  }
  const n = state.nodes.get(id);
  switch (e.key) {
    case 'Tab': e.preventDefault(); addChild(id); break;
    case 'Enter': e.preventDefault(); addSibling(id); break;
    case 'F2': e.preventDefault(); startEdit(id); break;
    case 'Delete': case 'Backspace': e.preventDefault(); removeNode(id); break;
    case ' ': e.preventDefault(); if (n.kids.length) setFolded(id, !n.folded); break;
    case 'Escape': select(null); break;
    case 'ArrowLeft': case 'ArrowRight': case 'ArrowUp': case 'ArrowDown': e.preventDefault(); navigate(n, e.key); break;
    default: break;
  }
}

function navigate(n, key) {
  const b = state.boxes.get(n.id);
  const towardKids = (key === 'ArrowRight' && (b?.side ?? 1) >= 0) || (key === 'ArrowLeft' && b?.side < 0);
  if ((key === 'ArrowLeft' || key === 'ArrowRight')) {
    if (n.parent === null) {
      const side = key === 'ArrowRight' ? 1 : -1;
      const kid = n.kids.find((k) => state.boxes.get(k)?.side === side) ?? n.kids[0];
      if (kid !== undefined && state.boxes.has(kid)) select(kid);
    } else if (towardKids) {
      if (!n.folded && n.kids.length) select(n.kids[0]);
    } else {
      select(n.parent);
    }
    return;
  }
  if (n.parent === null) return;
  const sibs = state.nodes.get(n.parent).kids;
  const i = sibs.indexOf(n.id) + (key === 'ArrowDown' ? 1 : -1);
  if (i >= 0 && i < sibs.length) select(sibs[i]);
}

function center() {
  const r = $('map-svg').getBoundingClientRect();
  return [r.width / 2, r.height / 2];
}

// --- mouse: select, drag to move, pan, zoom
function setupPointer() {
  const canvas = $('map-svg');
  let drag = null;
  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    $('canvas').focus();
    const fold = e.target.closest('.fold-marker');
    if (fold) { const id = Number(fold.dataset.fold); setFolded(id, !state.nodes.get(id).folded); return; }
    const g = e.target.closest('.node');
    drag = { x: e.clientX, y: e.clientY, vx: state.view.x, vy: state.view.y, id: g ? Number(g.dataset.id) : null, moved: false, target: null };
    canvas.setPointerCapture(e.pointerId);
    if (!g) canvas.classList.add('panning');
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 6) return;
    drag.moved = true;
    if (drag.id === null) {
      state.view.x = drag.vx + dx; state.view.y = drag.vy + dy; applyView();
      return;
    }
    const vp = $('viewport');
    vp.querySelector(`.node[data-id="${drag.id}"]`)?.classList.add('dragging');
    for (const t of vp.querySelectorAll('.drop-target')) t.classList.remove('drop-target');
    const over = document.elementsFromPoint(e.clientX, e.clientY).map((x) => x.closest && x.closest('.node')).find((x) => x && Number(x.dataset.id) !== drag.id);
    const tid = over ? Number(over.dataset.id) : null;
    drag.target = tid !== null && !isDescendant(tid, drag.id) ? tid : null;
    if (drag.target !== null) over.classList.add('drop-target');
  });
  const end = (e) => {
    if (!drag) return;
    const d = drag; drag = null;
    canvas.classList.remove('panning');
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    if (!d.moved) { select(d.id); return; }
    if (d.id !== null) {
      if (d.target !== null) moveNode(d.id, d.target); else draw();
    }
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('dblclick', (e) => {
    const g = e.target.closest('.node');
    if (g) startEdit(Number(g.dataset.id));
  });
  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    zoomAt(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
}

export function setup({ onDeleted }) {
  setupPointer();
  $('canvas').addEventListener('keydown', onKey);
  const ed = $('editor');
  ed.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); finishEdit(true); }
    else if (e.key === 'Escape') { e.preventDefault(); finishEdit(false); }
    else if (e.key === 'Tab') { e.preventDefault(); finishEdit(true); }
    e.stopPropagation();
  });
  ed.addEventListener('blur', () => { if (state.editing !== null) finishEdit(true); });
  $('search').addEventListener('input', runSearch);
  $('search').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); nextHit(); }
    if (e.key === 'Escape') { $('search').value = ''; runSearch(); $('canvas').focus(); }
  });
  $('layout-select').addEventListener('change', () => { state.fitted = false; load(state.mapId, true).catch((e) => status(e.message, true)); });
  $('zoom-in').addEventListener('click', () => zoomAt(1.2, ...center()));
  $('zoom-out').addEventListener('click', () => zoomAt(1 / 1.2, ...center()));
  $('zoom-fit').addEventListener('click', fit);
  $('undo').addEventListener('click', () => { undo(); $('canvas').focus(); });
  $('redo').addEventListener('click', () => { redo(); $('canvas').focus(); });
  $('uncertain-ok').addEventListener('click', () => {
    const n = state.nodes.get(state.selected);
    if (!n) return;
    const body = { text: n.text };
    if (n.parent !== null) {
      body.parent = n.parent;
      const kids = state.nodes.get(n.parent).kids;
      const next = kids[kids.indexOf(n.id) + 1];
      if (next !== undefined) body.before = next;
    }
    edit(() => patch(`${base()}/nodes/${n.id}`, body), () => n.id);
    $('canvas').focus();
  });
  $('uncertain-edit').addEventListener('click', () => { if (state.selected !== null) startEdit(state.selected); });
  // Deleting moves the map to the trash, so no confirmation: the status
  // line offers Undo, and the Trash tab restores it later.
  $('delete-map').addEventListener('click', async () => {
    if (!state.mapId) return;
    const id = state.mapId;
    try { await del(base()); state.mapId = 0; onDeleted(id); } catch (e) { status(e.message, true); }
  });
}

// Selects a node (from the timeline) once the map is shown.
export function reveal(id) {
  if (state.nodes.has(id)) {
    if (!state.boxes.has(id)) { status('That node is inside a folded branch.'); return; }
    select(id);
  }
}
