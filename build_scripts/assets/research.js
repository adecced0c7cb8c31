// Claim and callout permalinks: following the link also copies "citation + permalink".
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.research-permalink");
  if (!link || !navigator.clipboard) return;
  const url = new URL(link.getAttribute("href"), window.location.href).href;
  navigator.clipboard.writeText(`${link.dataset.cite} ${url}`).then(() => {
    link.dataset.copied = "true";
    setTimeout(() => delete link.dataset.copied, 1500);
  });
});

// On a touch screen there is no hover: the first tap on a footnote mark opens its tooltip (the theme shows it
// while the mark has focus), and a second tap follows the mark to the footnote.
document.addEventListener("click", (event) => {
  const mark = event.target.closest("a.footnote-ref");
  if (!mark || !window.matchMedia("(hover: none)").matches) return;
  if (mark.dataset.tapped) {
    delete mark.dataset.tapped;
    return;
  }
  event.preventDefault();
  document.querySelectorAll("a.footnote-ref[data-tapped]").forEach((other) => delete other.dataset.tapped);
  mark.dataset.tapped = "true";
  mark.focus();
});
