// The page: tabs, the map list, import by paste or drop, and the views.
// State lives in the URL hash (#map=3&view=study) so reload keeps it.
import { get, post, del } from './api.js';
import { $, el, clear, status } from './dom.js';
import * as mapview from './mapview.js';
import * as study from './study.js';
import { showTimeline, showStats } from './insights.js';
import * as settings from './settings.js';

const app = { mapId: 0, view: 'map' };

function readHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  app.mapId = Number(h.get('map')) || 0;
  app.view = h.get('view') || 'map';
}

function writeHash() {
  const h = new URLSearchParams();
  if (app.mapId) h.set('map', app.mapId);
  h.set('view', app.view);
  history.replaceState(null, '', `#${h}`);
}

async function refreshMaps() {
  const { maps } = await get('/api/maps');
  const sel = clear($('map-select'));
  for (const m of maps) sel.append(el('option', { value: m.id, text: m.name || `map ${m.id}` }));
  if (!maps.some((m) => m.id === app.mapId)) app.mapId = maps.length ? maps[maps.length - 1].id : 0;
  sel.value = String(app.mapId);
  if (!maps.length) sel.append(el('option', { value: 0, text: '(no maps yet: import one)' }));
  return maps;
}

async function show(view) {
  app.view = view;
  writeHash();
  for (const b of $('tabs').querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.view === view));
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== `view-${view}`;
  if (view !== 'study') study.stop();
  try {
    if (view === 'map') { await mapview.load(app.mapId); $('canvas').focus(); }
    else if (view === 'study') await study.start(app.mapId);
    else if (view === 'timeline') await showTimeline(app.mapId, pickNode);
    else if (view === 'stats') await showStats(app.mapId);
    else if (view === 'settings') await settings.showSettings();
    else if (view === 'trash') await showTrash();
    else if (view === 'import') $('import-text').focus();
  } catch (e) {
    status(e.message, true);
  }
}

// The trash: maps deleted from the map view, with Restore and Delete for
// good.
async function showTrash() {
  const { maps } = await get('/api/trash');
  const list = clear($('trash-list'));
  $('trash-empty').hidden = maps.length > 0;
  for (const m of maps) {
    const when = new Date(m.trashed_ms).toLocaleString();
    list.append(el('li', { 'data-map': m.id },
      el('span', { text: `${m.name || `map ${m.id}`} (deleted ${when}) ` }),
      el('button', { type: 'button', class: 'restore', text: 'Restore', onclick: () => restoreMap(m.id) }), ' ',
      el('button', { type: 'button', class: 'danger purge', text: 'Delete for good', onclick: () => purgeMap(m) })));
  }
}

async function restoreMap(id) {
  try {
    const m = await post(`/api/maps/${id}/restore`);
    app.mapId = m.id;
    await refreshMaps();
    status(`Restored "${m.name}".`);
    await show(app.view === 'trash' ? 'map' : app.view);
  } catch (e) {
    status(e.message, true);
  }
}

async function purgeMap(m) {
  if (!confirm(`Delete "${m.name}" for good, with its cards and review history? This cannot be undone.`)) return;
  try { await del(`/api/trash/${m.id}`); await showTrash(); } catch (e) { status(e.message, true); }
}

async function onMapDeleted(id) {
  const name = $('map-select').selectedOptions[0]?.textContent || `map ${id}`;
  await refreshMaps();
  await show(app.view);
  status(`Moved "${name}" to the trash.`, false, { label: 'Undo', run: () => restoreMap(id) });
}

async function pickNode(id) {
  await show('map');
  mapview.reveal(id);
}

async function importBytes(body, name) {
  const params = new URLSearchParams({ format: $('import-format').value });
  const label = $('import-name').value.trim() || name;
  if (label) params.set('name', label);
  try {
    const r = await post(`/api/maps?${params}`, body, 'application/octet-stream');
    const list = clear($('import-warnings'));
    for (const w of r.warnings) list.append(el('li', { text: w }));
    status(`Imported "${r.name}": ${r.nodes} nodes${r.warnings.length ? `, ${r.warnings.length} warnings` : ''}.`);
    app.mapId = r.id;
    $('import-text').value = '';
    $('import-name').value = '';
    await refreshMaps();
    if (!r.warnings.length) await show('map');
  } catch (e) {
    status(e.message, true);
  }
}

function setupImport() {
  $('import-go').addEventListener('click', () => {
    const text = $('import-text').value;
    if (!text.trim()) { status('Paste a map first.', true); return; }
    importBytes(text, '');
  });
  $('import-file').addEventListener('change', async (e) => {
    const f = e.target.files[0];
    if (f) await importBytes(await f.arrayBuffer(), f.name);
    e.target.value = '';
  });
  let depth = 0;
  const hint = $('drop-hint');
  window.addEventListener('dragenter', (e) => { if (e.dataTransfer.types.includes('Files')) { depth++; hint.hidden = false; } });
  window.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) hint.hidden = true; });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', async (e) => {
    e.preventDefault();
    depth = 0;
    hint.hidden = true;
    const f = e.dataTransfer.files[0];
    if (f) await importBytes(await f.arrayBuffer(), f.name);
    else {
      const text = e.dataTransfer.getData('text/plain');
      if (text) importBytes(text, '');
    }
  });
}

async function main() {
  readHash();
  mapview.setup({ onDeleted: onMapDeleted });
  study.setup();
  settings.init();
  setupImport();
  for (const b of $('tabs').querySelectorAll('button')) b.addEventListener('click', () => show(b.dataset.view));
  $('map-select').addEventListener('change', () => { app.mapId = Number($('map-select').value); show(app.view); });
  mapview.onMapChanged(() => {});
  try {
    const { formats } = await get('/api/formats');
    for (const f of formats.filter((x) => x.read)) $('import-format').append(el('option', { value: f.name, text: `${f.name}: ${f.description}` }));
    const maps = await refreshMaps();
    if (!maps.length && app.view !== 'import') app.view = 'import';
  } catch (e) {
    status(e.message, true);
  }
  await show(app.view);
  document.body.dataset.ready = 'true';
}

main();
