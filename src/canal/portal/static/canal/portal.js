// Behaviour the portal's markup asks for with data attributes, so that no page needs inline script
// (the Content-Security-Policy allows scripts from our origin only).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});

// Phones: the side menu is closed behind a "Menu" button (without this script it simply stays open).
document.documentElement.classList.add("js-menu");
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-menu-toggle]");
  if (!button) return;
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  button.closest(".sidenav").classList.toggle("open", open);
});

// Tables shown as cards on phones label each cell from its column header; the shared lists write these
// labels themselves, this fills them in for the other tables (and for rows htmx swaps in).
function labelCells(root) {
  root.querySelectorAll(".table-wrap table").forEach((table) => {
    const headers = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    if (!headers.length) return;
    table.querySelectorAll("tbody tr").forEach((row) => {
      let column = 0;
      Array.from(row.children).forEach((cell) => {
        if (!cell.hasAttribute("data-label") && !cell.classList.contains("empty")) {
          cell.setAttribute("data-label", headers[column] || "");
        }
        column += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", () => labelCells(document));
document.addEventListener("htmx:afterSettle", () => labelCells(document));
