// Runs markmap-lib's Transformer (the reference for how Markdown becomes a
// mind-map tree) over Markdown files and prints, per file, the node count
// and the transform time in milliseconds: "FILE<TAB>NODES<TAB>MS".
// Used by bench/markmap_side_by_side.sh and to establish the counts in
// tests/data/corpus_counts/markmap.tsv. Needs markmap-lib installed where
// node can resolve it (the script sets NODE_PATH).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.resolve(process.env.NODE_PATH || '.', 'x.js'));
const { Transformer } = require('markmap-lib');

const transformer = new Transformer();
for (const file of process.argv.slice(2)) {
  const text = fs.readFileSync(file, 'utf8');
  const start = process.hrtime.bigint();
  const { root } = transformer.transform(text);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let nodes = 0;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    ++nodes;
    for (const child of node.children) stack.push(child);
  }
  console.log(`${file}\t${nodes}\t${ms.toFixed(1)}`);
}
