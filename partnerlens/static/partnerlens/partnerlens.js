// Start GOV.UK Frontend's components (menus, error summaries, password reveal...).
import { initAll } from "../govuk/govuk-frontend.min.js";

// GOV.UK's pattern for wide tables on a phone: each table sits in a region that scrolls
// sideways on its own and that a keyboard can reach, named by the table's caption (or the
// heading before it). Tables whose template already wraps them keep their wrapper, which
// gains whatever it lacks.
function scrollableTables() {
  for (const table of document.querySelectorAll("main table")) {
    let region = table.parentElement.closest(".pl-table-scroll");
    if (!region) {
      region = document.createElement("div");
      region.className = "pl-table-scroll";
      table.before(region);
      region.append(table);
    }
    region.setAttribute("role", "region");
    region.tabIndex = 0;
    if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
      const caption = table.caption || previousHeading(region);
      if (caption) region.setAttribute("aria-label", caption.textContent.trim().replace(/\s+/g, " "));
    }
  }
}

function previousHeading(element) {
  for (let node = element; node && node.tagName !== "MAIN"; node = node.parentElement) {
    for (let before = node.previousElementSibling; before; before = before.previousElementSibling) {
      const heading = before.matches("h1, h2, h3, h4, legend") ? before : before.querySelector("h1, h2, h3, h4");
      if (heading) return heading;
    }
  }
  return null;
}

scrollableTables();
initAll();
