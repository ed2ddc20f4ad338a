// Rebuild the vendored GOV.UK Frontend files under partnerlens/static/.
// Run from this folder: `npm ci && npm run build`. The output is committed, so running
// or testing Partnerlens never needs npm.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const govuk = join(here, "node_modules", "govuk-frontend");
const out = join(here, "..", "partnerlens", "static");
const version = JSON.parse(readFileSync(join(govuk, "package.json"), "utf8")).version;

mkdirSync(join(out, "govuk"), { recursive: true });
mkdirSync(join(out, "partnerlens"), { recursive: true });

const css = sass.compile(join(here, "src", "partnerlens.scss"), {
  loadPaths: [join(here, "node_modules"), join(here, "src")],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(
  join(out, "partnerlens", "partnerlens.css"),
  `/* Partnerlens, built on GOV.UK Frontend ${version} (MIT): see ../govuk/LICENSE.txt */\n${css.css}\n`,
);

// Drop the source-map comment: we do not ship the map, and ManifestStaticFilesStorage
// refuses to collect a file that points at a missing one.
const js = readFileSync(join(govuk, "dist", "govuk", "govuk-frontend.min.js"), "utf8");
writeFileSync(
  join(out, "govuk", "govuk-frontend.min.js"),
  js.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"),
);
copyFileSync(join(here, "LICENSE-govuk-frontend.txt"), join(out, "govuk", "LICENSE.txt"));
writeFileSync(
  join(out, "govuk", "VERSION.txt"),
  `govuk-frontend ${version} from the npm registry (MIT licence, see LICENSE.txt).\n` +
    "Rebuilt by frontend/build.mjs; do not edit by hand.\n",
);
console.log(`Built partnerlens.css and copied govuk-frontend ${version}`);
