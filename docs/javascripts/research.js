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
