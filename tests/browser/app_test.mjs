// The web app as a student uses it, in headless chromium (Playwright):
// paste the seed, see its nodes, fold one, add and rename a node, undo,
// study three cards with typed answers and ratings, reload and find the
// progress; then hostile node texts in every view must stay text.
// usage: node app_test.mjs MINDCARDS_BINARY DEPS_DIR SCREENSHOT_DIR SEED
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [bin, deps, shots, seedPath] = process.argv.slice(2);
const require = createRequire(join(deps, 'package.json'));
const { chromium } = require('playwright-core');

const failures = [];
function check(ok, what) {
  if (!ok) { failures.push(what); console.log(`FAIL: ${what}`); } else console.log(`ok: ${what}`);
}

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--port', '0', '--db', db], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving at (http:\/\/[^\s]+)/);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

const work = mkdtempSync(join(tmpdir(), 'mindcards-browser-'));
const { child, url } = await startServer(join(work, 'db.sqlite'));
const api = async (path, init) => {
  const r = await fetch(url + path.replace(/^\//, ''), init);
  return r.json();
};

const context = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
page.on('dialog', async (d) => { failures.push(`unexpected dialog: ${d.message()}`); await d.dismiss(); });
page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
page.on('console', (m) => { if (m.type() === 'error') console.log(`console: ${m.text()}`); });
page.setDefaultTimeout(15000);

const nodeCount = () => page.locator('#viewport .node').count();
const nodeTexts = () => page.$$eval('#viewport .node title', (ts) => ts.map((t) => t.textContent));

try {
  // --- paste the seed
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  check(await page.locator('#view-import').isVisible(), 'an empty database opens on Import');
  const seed = readFileSync(seedPath, 'utf8');
  await page.fill('#import-text', seed);
  await page.click('#import-go');
  await page.waitForSelector('#view-map:not([hidden]) #viewport .node');
  const { maps } = await api('/api/maps');
  const mapId = maps[0].id;
  const map = await api(`/api/maps/${mapId}`);
  const layout = await api(`/api/maps/${mapId}/layout?layout=map`);
  check(await nodeCount() === layout.boxes.length, `all ${layout.boxes.length} visible nodes drawn`);
  const shown = await nodeTexts();
  const root = map.nodes[0].text;
  check(shown.some((t) => t.startsWith(root)), 'the root is shown');
  await page.screenshot({ path: join(shots, 'map.png') });

  // --- nodes the page-text reader was unsure of are marked; confirming one
  // clears its mark
  const unsure = (n) => (n.join_confidence ?? 1) < 0.8 || (n.parent_confidence ?? 1) < 0.8;
  const visibleUnsure = map.nodes.filter((n) => unsure(n) && layout.boxes.some((b) => b.id === n.id));
  check(await page.locator('#viewport .node.uncertain').count() === visibleUnsure.length,
    `the ${visibleUnsure.length} uncertain nodes are marked`);
  if (visibleUnsure.length > 0) {
    const u = visibleUnsure[0];
    await page.click(`#viewport .node[data-id="${u.id}"]`);
    await page.waitForSelector('#uncertain-bar:not([hidden])');
    await page.screenshot({ path: join(shots, 'uncertain.png') });
    await page.click('#uncertain-ok');
    await page.waitForFunction((id) => !document.querySelector(`#viewport .node[data-id="${id}"]`)?.classList.contains('uncertain'), u.id);
    const after = (await api(`/api/maps/${mapId}`)).nodes.find((n) => n.id === u.id);
    check(!unsure(after) && after.parent === u.parent && after.text === u.text, 'Looks right confirms the node where it is');
    await page.keyboard.press('Control+z');
    await page.waitForFunction((id) => document.querySelector(`#viewport .node[data-id="${id}"]`)?.classList.contains('uncertain'), u.id);
    check(true, 'undo brings the mark back');
  } else {
    console.log('note: the seed has no uncertain nodes with this reader; confirm flow not exercised');
  }

  // --- fold one branch
  const branch = map.nodes.find((n) => n.depth === 1 && n.children > 0);
  const before = await nodeCount();
  await page.click(`.fold-marker[data-fold="${branch.id}"]`);
  await page.waitForFunction((n) => document.querySelectorAll('#viewport .node').length < n, before);
  const folded = await api(`/api/maps/${mapId}`);
  check(folded.nodes.find((n) => n.id === branch.id).folded === true, 'folding is saved');
  const marker = await page.$eval(`.fold-marker[data-fold="${branch.id}"]`, (m) => m.outerHTML).catch((e) => String(e));
  check(await page.locator(`.fold-marker[data-fold="${branch.id}"] .fold-count`).count() === 1, `a folded node shows its child count (${marker})`);
  await page.screenshot({ path: join(shots, 'folded.png') });

  // --- add a child of the root and rename it, then undo the rename
  await page.click(`#viewport .node[data-id="${map.root}"]`);
  await page.keyboard.press('Tab');
  await page.waitForSelector('#editor:not([hidden])');
  await page.keyboard.type('Added by the test');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('#viewport .node title')].some((t) => t.textContent === 'Added by the test'));
  check(true, 'Tab adds a child and typing names it');
  await page.keyboard.press('F2');
  await page.waitForSelector('#editor:not([hidden])');
  await page.fill('#editor', 'Renamed by the test');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('#viewport .node title')].some((t) => t.textContent === 'Renamed by the test'));
  check(true, 'F2 renames the node');
  await page.screenshot({ path: join(shots, 'edited.png') });
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => [...document.querySelectorAll('#viewport .node title')].some((t) => t.textContent === 'Added by the test'));
  const undone = await api(`/api/maps/${mapId}`);
  check(undone.nodes.some((n) => n.text === 'Added by the test') && !undone.nodes.some((n) => n.text === 'Renamed by the test'), 'Ctrl+Z undoes the rename');
  await page.keyboard.press('Control+y');
  await page.waitForFunction(() => [...document.querySelectorAll('#viewport .node title')].some((t) => t.textContent === 'Renamed by the test'));
  check(true, 'Ctrl+Y redoes it');

  // --- drag the new node onto another branch: it moves there
  const renamed = (await api(`/api/maps/${mapId}`)).nodes.find((n) => n.text === 'Renamed by the test');
  const target = map.nodes.find((n) => n.depth === 1 && n.id !== branch.id);
  const from = await page.locator(`#viewport .node[data-id="${renamed.id}"] rect`).boundingBox();
  const to = await page.locator(`#viewport .node[data-id="${target.id}"] rect`).boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2 + 20, { steps: 4 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(async ([m, id, parent]) => {
    const r = await fetch(`/api/maps/${m}`);
    const j = await r.json();
    return j.nodes.find((n) => n.id === id)?.parent === parent;
  }, [mapId, renamed.id, target.id]);
  check(true, 'dragging a node onto another re-parents it');
  await page.screenshot({ path: join(shots, 'dragged.png') });

  // --- the layout switch redraws the same nodes in another layout
  const rightBefore = await page.$eval(`#viewport .node[data-id="${map.root}"]`, (g) => g.getAttribute('transform'));
  await page.selectOption('#layout-select', 'down');
  await page.waitForFunction(([id, t]) => document.querySelector(`#viewport .node[data-id="${id}"]`)?.getAttribute('transform') !== t, [map.root, rightBefore]);
  const down = await api(`/api/maps/${mapId}/layout?layout=down`);
  check(await nodeCount() === down.boxes.length, `layout switch to down draws its ${down.boxes.length} boxes`);
  await page.selectOption('#layout-select', 'map');
  await page.waitForFunction((t) => document.querySelector('#viewport .node')?.getAttribute('transform') === t, rightBefore);

  // --- search highlights matches
  await page.fill('#search', 'Malenkov');
  const hits = await page.locator('#viewport .node.hit').count();
  const expectedHits = (await nodeTexts()).filter((t) => t.toLowerCase().includes('malenkov')).length;
  check(hits > 0 && hits === expectedHits, `search highlights the ${expectedHits} matching nodes (${hits})`);
  await page.fill('#search', '');

  // --- study three cards with typed answers and ratings
  const { cards } = await api(`/api/maps/${mapId}/cards`);
  const backs = new Map(cards.map((c) => [c.id, c.back]));
  await page.click('#tabs button[data-view="study"]');
  const studied = [];
  let previous = null;
  for (let i = 0; i < 3; i++) {
    await page.waitForFunction((old) => {
      const card = document.getElementById('study-card');
      return !card.hidden && card.dataset.card && card.dataset.card !== old &&
        !document.getElementById('study-answer').disabled;
    }, previous);
    const id = await page.getAttribute('#study-card', 'data-card');
    previous = id;
    const intervals = await page.$$eval('#study-ratings small', (s) => s.map((x) => x.textContent));
    check(intervals.length === 4 && intervals.every((t) => t.length > 0), `card ${i + 1}: every rating button shows its interval (${intervals.join(', ')})`);
    const context = await page.$$eval('#study-context li', (ls) => ls.map((l) => l.textContent));
    check(context.length > 0, `card ${i + 1}: context shown (${context.join(' > ')})`);
    const right = i !== 1;
    const answer = right ? backs.get(id) : 'no idea at all';
    const expected = await api('/api/grade', { method: 'POST', body: JSON.stringify({ map: mapId, card_id: id, answer }) });
    await page.fill('#study-answer', answer);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#study-result:not([hidden])');
    const grade = await page.getAttribute('#study-grade', 'class');
    check((grade === 'correct') === expected.correct && (right || !expected.correct),
      `card ${i + 1}: the typed answer is graded as the API grades it (${expected.how}, ${expected.score})`);
    check(await page.textContent('#study-back') === backs.get(id), `card ${i + 1}: the answer is shown`);
    if (i === 0) await page.screenshot({ path: join(shots, 'study.png') });
    await page.keyboard.press(right ? '3' : '1');
    studied.push(id);
  }

  // --- reload: the progress is there
  await page.goto(`${url}#map=${mapId}&view=stats`);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#stats-numbers div');
  const numbers = await page.$$eval('#stats-numbers div', (ds) => Object.fromEntries(ds.map((d) => [d.childNodes[1].textContent, d.querySelector('b').textContent])));
  check(numbers.reviews === '3', `after reload the stats count 3 reviews (got ${numbers.reviews})`);
  const log = await api(`/api/reviews?map=${mapId}`);
  check(JSON.stringify(log.reviews.map((r) => r.card_id)) === JSON.stringify(studied), 'the review log holds the three studied cards in order');
  check(await page.locator('#chart-reviews svg rect.bar').count() >= 1, 'the reviews-per-day chart has a bar');
  await page.screenshot({ path: join(shots, 'stats.png') });
  // --- settings: the 21 parameters in use, default ones on a fresh store
  await page.click('#tabs button[data-view="settings"]');
  await page.waitForSelector('#settings-weights tbody tr');
  const fsrs = await api('/api/settings/fsrs');
  const weights = await page.$$eval('#settings-weights tbody tr', (rs) => rs.map((r) => r.children[1].textContent));
  check(weights.length === 21 && weights.every((w, i) => w === fsrs.parameters.w[i].toFixed(4)), 'the settings view shows the 21 parameters in use');
  check((await page.textContent('#settings-kind')) === 'Scheduler: default parameters.', 'the settings view says the defaults are in use');
  await page.click('#settings-optimize');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('not enough reviews'));
  check(await page.locator('#settings-reset').isDisabled(), 'reset is disabled while the defaults are in use');
  await page.click('#tabs button[data-view="timeline"]');
  await page.waitForSelector('#timeline tbody tr');
  await page.screenshot({ path: join(shots, 'timeline.png') });

  // --- dropping a file imports it
  await page.goto(`${url}#view=import`);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  const mapsBefore = (await api('/api/maps')).maps.length;
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Dropped map\n  first child\n  second child\n'], 'dropped.txt', { type: 'text/plain' }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => [...document.querySelectorAll('#viewport .node title')].some((t) => t.textContent === 'second child'));
  const dropped = (await api('/api/maps')).maps;
  check(dropped.length === mapsBefore + 1 && dropped.at(-1).name === 'dropped.txt', 'dropping a file imports it and shows it');

  // --- deleting a map: Undo right after, or Restore from the trash
  const droppedId = dropped.at(-1).id;
  const listed = async () => (await api('/api/maps')).maps.map((m) => m.id);
  await page.click('#delete-map');
  await page.waitForSelector('#status-action');
  check(!(await listed()).includes(droppedId), 'Delete map takes the map out of the list');
  check((await page.textContent('#status')).includes('Moved "dropped.txt" to the trash.'), 'the status line says where the map went');
  await page.click('#status-action');
  await page.waitForFunction(() => [...document.querySelectorAll('#viewport .node title')].some((t) => t.textContent === 'second child'));
  check((await listed()).includes(droppedId) && (await page.inputValue('#map-select')) === String(droppedId), 'Undo brings the deleted map back and shows it');
  await page.click('#delete-map');
  await page.waitForSelector('#status-action');
  await page.click('#tabs button[data-view="trash"]');
  await page.waitForSelector(`#trash-list li[data-map="${droppedId}"] button.restore`);
  await page.screenshot({ path: join(shots, 'trash.png') });
  await page.click(`#trash-list li[data-map="${droppedId}"] button.restore`);
  await page.waitForFunction(() => [...document.querySelectorAll('#viewport .node title')].some((t) => t.textContent === 'second child'));
  check((await listed()).includes(droppedId) && (await api('/api/trash')).maps.length === 0, 'Restore in the trash brings the map back');

  // --- hostile texts stay text in every view
  const hostile = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '"><svg onload=alert(3)>',
    "'><iframe src=javascript:alert(4)>", '<b>bold</b> in 1955'];
  const outline = `Hostile <img src=x onerror=alert(0)> map 1953\n${hostile.map((h) => `  ${h}\n    Khrushchev in 1956 said <i>it</i>`).join('\n')}\n`;
  const created = await api('/api/maps?format=outline', { method: 'POST', body: outline });
  for (const view of ['map', 'timeline', 'study', 'stats']) {
    await page.goto(`${url}#map=${created.id}&view=${view}`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForTimeout(300);
    const active = await page.$$eval('img, iframe, object, embed, [onerror], [onload], svg svg, ' +
      '#viewport b, #viewport i, #timeline b, #timeline i, #study-card b, #study-card i', (e) => e.length);
    const scripts = await page.$$eval('script', (s) => s.length);
    check(active === 0 && scripts === 1, `view ${view}: no element made from map text`);
    if (view === 'map') {
      const texts = await nodeTexts();
      check(hostile.every((h) => texts.includes(h)), 'view map: hostile texts shown as text');
      await page.screenshot({ path: join(shots, 'hostile.png') });
    }
    if (view === 'study') {
      const front = await page.textContent('#study-front');
      check(front !== null, 'view study: shows a card');
    }
  }
  // The trash lists the hostile map by its name, as text.
  await api(`/api/maps/${created.id}`, { method: 'DELETE' });
  await page.goto(`${url}#view=trash`);
  await page.reload();
  await page.waitForSelector(`#trash-list li[data-map="${created.id}"]`);
  const trashActive = await page.$$eval('img, iframe, object, embed, [onerror], [onload], #trash-list b, #trash-list i', (e) => e.length);
  const trashText = await page.textContent(`#trash-list li[data-map="${created.id}"] span`);
  check(trashActive === 0 && trashText.includes('<img src=x onerror=alert(0)>'), 'view trash: the hostile name shown as text');
} catch (e) {
  failures.push(`exception: ${e.stack || e}`);
  await page.screenshot({ path: join(shots, 'failure.png') }).catch(() => {});
} finally {
  await context.close();
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}

if (failures.length) {
  console.log(`\n${failures.length} failure(s):\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('\nall browser checks passed');
