// research-site's driver for citeproc-js (citeproc.js, loaded before this file, as `CSL`).
//
// researchFormat(key, style, lang, locales, items, together) formats CSL-JSON items as HTML: each item's
// in-text citation (makeCitationCluster) and bibliography entry (makeBibliography). With `together`, every item
// is registered at once (updateItems), so that the style's disambiguation (added given names, added names, year
// suffixes) sees them all; without it, each item is formatted on its own. A processor is built once per style
// (`key`) and kept: building one for a large style takes most of a second. A processor that fails is dropped.
var researchLocales = {};
var researchItems = {};
var researchEngines = {};

function researchEngine(key, style, lang) {
  if (!researchEngines[key]) {
    var sys = {
      retrieveLocale: function (code) { return researchLocales[code] || false; },
      retrieveItem: function (id) { return researchItems[id]; },
    };
    researchEngines[key] = new CSL.Engine(sys, style, lang, true);
    researchEngines[key].setOutputFormat("html");
  }
  return researchEngines[key];
}

function researchEntries(engine, into) {
  if (!engine.bibliography || !engine.bibliography.tokens.length) return;
  var made = engine.makeBibliography();
  if (!made) return;
  for (var i = 0; i < made[0].entry_ids.length; i++) into[made[0].entry_ids[i][0]] = made[1][i];
}

function researchFormat(key, style, lang, locales, items, together) {
  try {
    return researchRun(key, style, lang, locales, items, together);
  } catch (error) {
    delete researchEngines[key];  // a processor that failed half-way is not used again: the next call builds anew
    throw error;
  }
}

function researchRun(key, style, lang, locales, items, together) {
  for (var code in locales) researchLocales[code] = locales[code];
  var engine = researchEngine(key, style, lang);
  var citations = {};
  var entries = {};
  var ids = [];
  engine.updateItems([]);  // nothing of an earlier call is left registered
  researchItems = {};
  for (var i = 0; i < items.length; i++) {
    researchItems[items[i].id] = items[i];
    ids.push(items[i].id);
  }
  var groups = together ? [ids] : ids.map(function (id) { return [id]; });
  for (var g = 0; g < groups.length; g++) {
    engine.updateItems(groups[g]);
    for (var j = 0; j < groups[g].length; j++) {
      citations[groups[g][j]] = engine.makeCitationCluster([{ id: groups[g][j] }]);
    }
    researchEntries(engine, entries);
  }
  engine.updateItems([]);
  return { citations: citations, entries: entries };
}

// Building a processor looks each macro up by a walk of the whole style, once per call of it: memoized here
// (the style's tree does not change once read), which halves the time a large style takes to build.
(function () {
  var find = CSL.XmlJSON.prototype.getNodesByName;
  CSL.XmlJSON.prototype.getNodesByName = function (node, name, attribute, found) {
    if (name !== "macro" || found || node !== this.dataObj) return find.call(this, node, name, attribute, found);
    if (!this.researchMacros) this.researchMacros = {};
    var key = attribute || "";
    if (!Object.prototype.hasOwnProperty.call(this.researchMacros, key)) {
      this.researchMacros[key] = find.call(this, node, name, attribute);
    }
    return this.researchMacros[key].slice();
  };
})();
