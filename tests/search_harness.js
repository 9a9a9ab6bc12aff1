// Runs the search engine in node as a page runs it: the classic scripts share one global, and
// each index file the engine asks for through an inserted <script src> element is read from a
// site folder and run in that global.
//
//   node tests/search_harness.js SITE_DIR < commands.json > answers.json
//
// Commands (a JSON list, run in order; one answer each):
//   {"op": "query", "text": "...", "options": {...}}  → {answer, files: [files it loaded]}
//   {"op": "race", "texts": ["...", ...]}             → the answers of queries started together
//   {"op": "terms", "text": "...", "language": "nl", "stopWords": [...]}  → the index terms
//   {"op": "configure", "options": {...}}
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..");
const ENGINE = path.join(ROOT, "theme/overrides/assets/javascripts/search-engine.js");
const STEMMER = path.join(ROOT, "theme/overrides/assets/javascripts/snowball-stem.min.js");

const site = process.argv[2];
const loaded = [];
const context = vm.createContext({console, setTimeout});
context.window = context;
context.document = {
  head: {
    appendChild(script) {
      setTimeout(() => run(script), 0);
      return script;
    },
  },
  createElement(tag) {
    return {tagName: tag.toUpperCase(), remove() {}};
  },
};

function run(script) {
  const file = path.join(site, decodeURIComponent(script.src.split("?")[0]));
  let code;
  try {
    code = fs.readFileSync(file, "utf8");
  } catch (error) {
    script.onerror(error);
    return;
  }
  loaded.push(path.relative(site, file).split(path.sep).join("/"));
  vm.runInContext(code, context, {filename: file});
  script.onload();
}

function runFile(file) {
  vm.runInContext(fs.readFileSync(file, "utf8"), context, {filename: file});
}

async function perform(command) {
  const search = context.DigestSearch;
  if (command.op === "configure") return search.configure(command.options);
  if (command.op === "terms") {
    if (!context.SnowballStem) runFile(STEMMER);
    return search.terms(command.text, command.language, command.stopWords);
  }
  if (command.op === "query") {
    const before = loaded.length;
    const answer = await search.query(command.text, command.options);
    return {answer: answer, files: loaded.slice(before)};
  }
  if (command.op === "race") {
    return Promise.all(command.texts.map((text) => search.query(text, command.options)));
  }
  throw new Error("unknown command " + command.op);
}

async function main() {
  runFile(ENGINE);
  const commands = JSON.parse(fs.readFileSync(0, "utf8"));
  const answers = [];
  for (const command of commands) answers.push(await perform(command));
  process.stdout.write(JSON.stringify(answers));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack || error) + "\n");
  process.exit(1);
});
