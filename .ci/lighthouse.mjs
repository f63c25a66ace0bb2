// Lighthouse on each page of a list, in one Chromium that is already running
// (started by .ci/outside_judges.py, which reads what this prints).
//
//   node .ci/lighthouse.mjs --port 9222 < pages.json
//
// pages.json: [{"url": "http://127.0.0.1:8001/", "categories": ["accessibility", ...]}, ...]
// Prints one JSON object per page and line: its url, each category's score
// (0 to 100) and every scored audit that did not pass (id, title, category,
// and a few of the elements or addresses it names), or an error.
// LH_LOG=info (or verbose) shows what Lighthouse does, on standard error.
//
// Lighthouse comes from tests/e2e/package-lock.json (npm ci --prefix tests/e2e).

import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const packages = createRequire(new URL("../tests/e2e/package.json", import.meta.url));
const { default: lighthouse } = await import(pathToFileURL(packages.resolve("lighthouse")).href);

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
if (!port) {
  console.error("usage: node .ci/lighthouse.mjs --port PORT < pages.json");
  process.exit(2);
}
const pages = JSON.parse(readFileSync(0, "utf8"));

// What an audit's table names, shortened: the element's HTML, an address, a
// message; enough to find the problem without opening the report.
function examples(audit) {
  const items = audit.details?.items ?? [];
  return items.slice(0, 3).map((item) => {
    const where = item.sourceLocation?.url ?? item.source?.url;
    const text =
      item.node?.snippet ?? item.source?.snippet ?? item.description ?? item.url ?? item.href ??
      item.text ?? item.message;
    const shown =
      text && where && where !== text ? `${text} (${where})` : (text ?? where ?? JSON.stringify(item));
    return String(shown).replace(/\s+/g, " ").slice(0, 200);
  });
}

for (const { url, categories } of pages) {
  try {
    const result = await lighthouse(url, {
      port,
      output: "json",
      logLevel: process.env.LH_LOG || "error",
      onlyCategories: categories,
      // None of these categories is timed: once the page has loaded and
      // its network and CPU have been quiet for a quarter second, it is read.
      // (Lighthouse's default, simulated throttling, keeps these short
      // windows; the other methods stretch each to five seconds.)
      pauseAfterFcpMs: 0,
      pauseAfterLoadMs: 0,
      networkQuietThresholdMs: 250,
      cpuQuietThresholdMs: 250,
      disableFullPageScreenshot: true,
    });
    const lhr = result.lhr;
    if (lhr.runtimeError) {
      throw new Error(`${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
    }
    const scores = {};
    const failing = [];
    for (const category of categories) {
      const found = lhr.categories[category];
      scores[category] = found.score === null ? null : Math.round(found.score * 100);
      for (const ref of found.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failing.push({
            category,
            id: ref.id,
            title: audit.title,
            explanation: audit.explanation ?? "",
            examples: examples(audit),
          });
        }
      }
    }
    process.stdout.write(JSON.stringify({ url, scores, failing }) + "\n");
  } catch (error) {
    process.stdout.write(JSON.stringify({ url, error: String(error?.message ?? error) }) + "\n");
  }
}
