// The reference for tests/test_format_bib.py: citeproc-js (npm `citeproc`, run by Node) formats the CSL-JSON items
// that `research-site format-bib --csl-json` prints, the plain way: a new processor, every item registered at once,
// one citation per item (makeCitationCluster), then the bibliography. Prints {citations, entries} by item id.
//   node tests/citeproc_node.js STYLE.csl LOCALE.xml ITEMS.json
const fs = require("fs");
const CSL = require("citeproc");

const [style, locale, itemsFile] = process.argv.slice(2).map((p) => fs.readFileSync(p, "utf8"));
const items = JSON.parse(itemsFile);
const byId = Object.fromEntries(items.map((item) => [item.id, item]));
const engine = new CSL.Engine({ retrieveLocale: () => locale, retrieveItem: (id) => byId[id] }, style, "en-US", true);
engine.setOutputFormat("html");
engine.updateItems(items.map((item) => item.id));
const citations = Object.fromEntries(items.map((item) => [item.id, engine.makeCitationCluster([{ id: item.id }])]));
const [meta, bodies] = engine.makeBibliography();
const entries = Object.fromEntries(meta.entry_ids.map((ids, i) => [ids[0], bodies[i]]));
process.stdout.write(JSON.stringify({ citations, entries }));
