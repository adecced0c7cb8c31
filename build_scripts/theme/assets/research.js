// Claim and callout permalinks: following the link also copies "citation + permalink", and says so: beside the
// link, and to a screen reader through a live region.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.research-permalink");
  if (!link || !navigator.clipboard) return;
  const url = new URL(link.getAttribute("href"), window.location.href).href;
  navigator.clipboard.writeText(`${link.dataset.cite} ${url}`).then(() => {
    link.dataset.copied = "true";
    const status = document.querySelector(".research-status");
    if (status) status.textContent = "Link copied";
    setTimeout(() => {
      delete link.dataset.copied;
      if (status) status.textContent = "";
    }, 2500);
  });
});

// The live region that says "Link copied", and the reader's own date in "Cite this page" ("Accessed 5 December
// 2026"; the built page says "[the date you read it]", so that a build does not change from day to day).
function setUpCitations() {
  if (!document.querySelector(".research-status")) {
    const status = document.createElement("div");
    status.className = "research-status";
    status.setAttribute("role", "status");
    document.body.append(status);
  }
  const today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  document.querySelectorAll(".research-accessed").forEach((date) => (date.textContent = today));
}

// On a touch screen there is no hover: the first tap on a footnote mark opens its tooltip (the theme shows it
// while the mark has focus), and a second tap follows the mark to the footnote. A matrix cell likewise shows
// the value as the source puts it on the first tap, and follows its link to the claim on the second.
document.addEventListener("click", (event) => {
  const mark = event.target.closest("a.footnote-ref, .research-matrix a[data-said]");
  if (!mark || !window.matchMedia("(hover: none)").matches) return;
  if (mark.dataset.tapped) {
    delete mark.dataset.tapped;
    return;
  }
  event.preventDefault();
  document.querySelectorAll("[data-tapped]").forEach((other) => delete other.dataset.tapped);
  mark.dataset.tapped = "true";
  mark.focus();
});

// A link to an anchor inside a closed block (a claim in a topic page's claims table): open the block, and every
// block around it, and bring the anchor into view, whether the page was just opened or the link was on it.
function revealTarget() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (!target) return;
  let opened = false;
  for (let block = target.closest("details"); block; block = block.parentElement.closest("details")) {
    if (!block.open) {
      block.open = true;
      opened = true;
    }
  }
  if (opened) target.scrollIntoView();
}
window.addEventListener("hashchange", revealTarget);
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", revealTarget);
else revealTarget();

// A who-says-what matrix wider than the screen says so (its cue shows, see research.css).
function markOverflow() {
  document.querySelectorAll(".research-matrix").forEach((box) => {
    box.toggleAttribute("data-overflow", box.scrollWidth > box.clientWidth + 1);
  });
}
window.addEventListener("resize", markOverflow);

// The index of all disagreements: filter its lines by topic and kind, and say how many show.
function setUpFilters() {
  document.querySelectorAll("div.research-filter").forEach((form) => {
    const table = form.parentElement.querySelector(".research-index-table");
    if (!table || form.dataset.ready) return;
    form.dataset.ready = "true";
    const rows = Array.from(table.tBodies[0].rows);
    const output = form.querySelector("output");
    const apply = () => {
      const wanted = {};
      form.querySelectorAll("select[data-filter]").forEach((select) => (wanted[select.dataset.filter] = select.value));
      let shown = 0;
      rows.forEach((row) => {
        const show = Object.entries(wanted).every(([key, value]) => !value || row.dataset[key] === value);
        row.hidden = !show;
        shown += show ? 1 : 0;
      });
      output.textContent =
        shown === rows.length
          ? `Showing all ${rows.length}`
          : shown === 0
            ? `No disagreement of this kind on this topic (of ${rows.length})`
            : `Showing ${shown} of ${rows.length}`;
    };
    form.addEventListener("change", apply);
    form.hidden = false;
    apply();
  });
}

function onLoad() {
  setUpCitations();
  markOverflow();
  setUpFilters();
}
// Material's document$ fires on every page, instant navigation included; elsewhere (Zensical), the load.
if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onLoad);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onLoad);
else onLoad();
