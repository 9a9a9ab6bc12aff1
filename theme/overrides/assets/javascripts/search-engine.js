/*
 * The digest's search engine: answers queries from the split index that generator/search.py
 * writes under search/ (docs/search.md describes the format and the ranking).
 *
 * A classic script with no dependency but the Snowball stemmers
 * (snowball-stem.min.js, loaded on first use when the page has not loaded it). Every index
 * file is a classic script too, loaded by inserting a <script src> element: it calls
 * DigestSearch._receive(name, data). No fetch, no modules, no WebAssembly, no eval, so search
 * works from file:// as over http.
 *
 *   DigestSearch.configure({base: "../"})            the site root, relative to this page
 *   DigestSearch.preload()                            manifest and stemmer (on focus, say)
 *   DigestSearch.query(text, {theme, year, limit, offset})
 *     → Promise of {query, total, exact, results, facets: {themes, years}}, or of null when
 *       a later query has started (the later one's answer wins). docs/search.md has the
 *       fields of a result.
 */
(function () {
  "use strict";

  const global = typeof window !== "undefined" ? window : globalThis;
  const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

  // Words, exactly as generator/search.py folds, splits and filters them.
  const MARKS = /\p{M}+/gu;
  const WORD = /[\p{L}\p{N}]+/gu;
  const RUN = /[\p{L}\p{N}\p{M}]+/gu;
  const TYPING = /[\p{L}\p{N}\p{M}]$/u;

  function fold(text) {
    return text.normalize("NFD").replace(MARKS, "").toLowerCase().replace(/ς/g, "σ");
  }

  function words(text) {
    return fold(text).match(WORD) || [];
  }

  function isIndexed(word, stopWords) {
    return !stopWords.has(word) && !(word.length === 1 && word >= "a" && word <= "z");
  }

  const stemmers = new Map(); // language → {stemmer, cache}

  function stem(word, language) {
    let entry = stemmers.get(language);
    if (!entry) {
      const Stemmer = language === "nl" ? global.SnowballStem.DutchStemmer
        : global.SnowballStem.EnglishStemmer;
      entry = {stemmer: new Stemmer(), cache: new Map()};
      stemmers.set(language, entry);
    }
    let found = entry.cache.get(word);
    if (found === undefined) {
      found = entry.stemmer.stemWord(word);
      entry.cache.set(word, found);
    }
    return found;
  }

  /** The terms a text is indexed under, in order (generator.search.index_terms). */
  function terms(text, language, stopWords) {
    const stop = new Set(stopWords);
    const found = [];
    for (const word of words(text)) {
      if (!isIndexed(word, stop)) continue;
      const term = stem(word, language);
      if (term) found.push(term);
    }
    return found;
  }

  // Loading: every file is a script that hands its data to _receive.
  const settings = {base: "", stemmer: null};
  const received = new Map(); // part name → data
  const pending = new Map(); // part name → {promise, resolve, reject}
  const receivedOrder = [];
  let manifestPromise = null;
  let index = null; // the prepared manifest
  let stemmerPromise = null;

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => {
        script.remove();
        resolve();
      };
      script.onerror = () => {
        script.remove();
        reject(new Error("The search index file " + url + " could not be loaded."));
      };
      document.head.appendChild(script);
    });
  }

  function receive(name, data) {
    received.set(name, data);
    receivedOrder.push(name);
    const waiting = pending.get(name);
    if (waiting) {
      pending.delete(name);
      waiting.resolve(data);
    }
  }

  function part(name) {
    if (received.has(name)) return Promise.resolve(received.get(name));
    let waiting = pending.get(name);
    if (!waiting) {
      waiting = {};
      waiting.promise = new Promise((resolve, reject) => {
        waiting.resolve = resolve;
        waiting.reject = reject;
      });
      pending.set(name, waiting);
      const version = index ? "?v=" + index.version : "";
      const fail = (error) => {
        if (pending.get(name) === waiting) pending.delete(name);
        waiting.reject(error);
      };
      loadScript(settings.base + "search/" + name + ".js" + version).then(() => {
        if (!received.has(name)) fail(new Error("The search index file for " + name + " is not one."));
      }, fail);
    }
    return waiting.promise;
  }

  function partName(kind, number) {
    return kind + "/" + String(number).padStart(3, "0");
  }

  function loadStemmer() {
    if (global.SnowballStem) return Promise.resolve();
    if (!stemmerPromise) {
      stemmerPromise = loadScript(
        settings.stemmer || settings.base + "assets/javascripts/snowball-stem.min.js",
      ).catch((error) => {
        stemmerPromise = null;
        throw error;
      });
    }
    return stemmerPromise;
  }

  function preload() {
    if (!manifestPromise) {
      manifestPromise = Promise.all([part("manifest"), loadStemmer()]).then(([manifest]) => {
        index = prepare(manifest);
        return index;
      }, (error) => {
        manifestPromise = null;
        throw error;
      });
    }
    return manifestPromise;
  }

  function prepare(manifest) {
    const yearOf = new Int32Array(manifest.documents);
    for (const [year, first, end] of manifest.years) yearOf.fill(year, first, end);
    return Object.assign({}, manifest, {
      stop: new Set(manifest.stopWords),
      themeIndex: new Map(manifest.themes.map(([slug], i) => [slug, i])),
      yearOf: yearOf,
      postings: new Map(), // term → {ids, codes} decoded, or null when not indexed
    });
  }

  /** The number of the part whose table entry is the last one at or before `key` (-1 when
   * there are no parts of that kind). */
  function partFor(table, key) {
    if (!table.length) return -1;
    let low = 0;
    let high = table.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (table[middle] <= key) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  // Postings: per term, the ids of its documents (ascending) and codes (4 × body count +
  // title count up to 3).
  function loadPostings(termList) {
    const missing = termList.filter((term) => !index.postings.has(term));
    const numbers = new Set(missing.map((term) => partFor(index.parts.terms, term)));
    numbers.delete(-1);
    return Promise.all([...numbers].map((n) => part(partName("terms", n)))).then(() => {
      for (const term of missing) {
        const data = received.get(partName("terms", partFor(index.parts.terms, term)));
        if (!data || !hasOwn(data, term)) {
          index.postings.set(term, null);
          continue;
        }
        const flat = data[term];
        const ids = new Int32Array(flat.length / 2);
        const codes = new Int32Array(flat.length / 2);
        let id = 0;
        for (let i = 0; i < ids.length; i++) {
          id += flat[2 * i];
          ids[i] = id;
          codes[i] = flat[2 * i + 1];
        }
        index.postings.set(term, {ids: ids, codes: codes});
      }
    });
  }

  /** The indexed words that start with `prefix`, as terms, most documents first. */
  function expandPrefix(prefix) {
    const table = index.parts.words;
    if (!table.length) return Promise.resolve([]);
    const numbers = [partFor(table, prefix)];
    for (let n = numbers[0] + 1; n < table.length && table[n].startsWith(prefix); n++) {
      numbers.push(n);
    }
    return Promise.all(numbers.map((n) => part(partName("words", n)))).then((lists) => {
      const counts = new Map();
      for (const list of lists) {
        for (let i = 0; i < list.length; i += 3) {
          const word = list[i];
          if (!word.startsWith(prefix)) continue;
          const short = list[i + 1];
          const term = short === 0 ? word : typeof short === "number" ? word.slice(0, short) : short;
          counts.set(term, list[i + 2]);
        }
      }
      return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, index.prefix.expansions).map(([term]) => term);
    });
  }

  // Per-document ranking data: length and themes, in parts of consecutive ids.
  function loadMeta(ids) {
    const numbers = new Set();
    for (const id of ids) numbers.add(partFor(index.parts.meta, id));
    return Promise.all([...numbers].map((n) => part(partName("meta", n)))).then(() => {
      return (id) => {
        const data = received.get(partName("meta", partFor(index.parts.meta, id)));
        const at = 2 * (id - data.first);
        return {length: data.docs[at], themes: data.docs[at + 1]};
      };
    });
  }

  function hasTheme(mask, theme) {
    if (typeof mask === "number") return theme < 30 && ((mask >> theme) & 1) === 1;
    return ((mask[Math.floor(theme / 30)] || 0) >> (theme % 30) & 1) === 1;
  }

  // Queries.
  const QUOTES = /[“”„‟«»]/g;
  const PREFIX_WEIGHT = 0.7; // a word the typed prefix only starts counts less than the word
  // A phrase is checked on the text of its candidates, best first: at least this many (all when
  // there are fewer, at once), then in batches only to fill the page, never more than the most
  // documents nor the most characters of text.
  const PHRASE_CHECKS = 40;
  const PHRASE_CHECKS_MOST = 160;
  const PHRASE_TEXT_MOST = 600000;
  const PHRASE_BATCH = 20;

  /**
   * What the reader asks for: words (each must match, by stem; the last one, still being
   * typed, also as a prefix) and phrases (words in a row, checked on the text).
   */
  function parse(text) {
    const normalized = text.replace(QUOTES, '"');
    const quotedWords = [];
    let free = "";
    let last = 0;
    const quoted = /"([^"]*)"/g;
    let match;
    while ((match = quoted.exec(normalized)) !== null) {
      free += normalized.slice(last, match.index) + " ";
      quotedWords.push(words(match[1]));
      last = quoted.lastIndex;
    }
    free += normalized.slice(last).replace(/"/g, " ");
    const typing = TYPING.test(normalized);
    const language = index.language;
    const required = new Map(); // term → word
    const termOf = (token) => isIndexed(token, index.stop) ? stem(token, language) : "";
    let prefix = null;
    const tokens = words(free);
    tokens.forEach((token, i) => {
      const typed = typing && i === tokens.length - 1;
      if (typed && token.length >= index.prefix.minChars) {
        prefix = {token: token, own: termOf(token)};
      } else if (typed && (tokens.length > 1 || quotedWords.length)) {
        // The first letters of a next word (`2` of `2019`) narrow nothing yet.
      } else {
        const term = termOf(token);
        if (term) required.set(term, {terms: [term], weights: [1]});
      }
    });
    const phrases = [];
    for (const phrase of quotedWords) {
      const steps = phrase.map((token) => ({word: token, term: termOf(token)}));
      for (const step of steps) {
        if (step.term) required.set(step.term, {terms: [step.term], weights: [1]});
      }
      if (steps.length > 1 && steps.some((step) => step.term)) phrases.push(steps);
    }
    return {words: [...required.values()], prefix: prefix, phrases: phrases};
  }

  function prefixWord(prefix) {
    return expandPrefix(prefix.token).then((expansions) => {
      const word = {terms: [], weights: [], prefix: prefix.token};
      if (prefix.own) {
        word.terms.push(prefix.own);
        word.weights.push(1);
      }
      for (const term of expansions) {
        if (term === prefix.own) continue;
        word.terms.push(term);
        word.weights.push(PREFIX_WEIGHT);
      }
      // A stop word being typed (`de` of `defensie`) narrows nothing until more is typed.
      word.optional = !prefix.own;
      return word;
    });
  }

  /** Per word, its documents: id → [[idf × weight, code], …] over the word's terms. */
  function matches(word) {
    const documents = new Map();
    word.terms.forEach((term, t) => {
      const postings = index.postings.get(term);
      if (!postings) return;
      const idf = Math.log(1 + (index.documents - postings.ids.length + 0.5)
        / (postings.ids.length + 0.5));
      for (let i = 0; i < postings.ids.length; i++) {
        const id = postings.ids[i];
        const hit = [idf * word.weights[t], postings.codes[i]];
        const found = documents.get(id);
        if (found) found.push(hit);
        else documents.set(id, [hit]);
      }
    });
    return documents;
  }

  /** Whether the title or the text of a document has the phrase's words in a row: the same
   * stem for a word that is indexed, the same word for a stop word. */
  function hasPhrase(document, steps) {
    const fits = (token, step) => step.term
      ? isIndexed(token, index.stop) && stem(token, index.language) === step.term
      : token === step.word;
    return [document.title, document.text].some((text) => {
      const tokens = words(text);
      for (let i = 0; i + steps.length <= tokens.length; i++) {
        if (steps.every((step, k) => fits(tokens[i + k], step))) return true;
      }
      return false;
    });
  }

  let generation = 0;

  function query(text, options) {
    const mine = ++generation;
    const current = () => mine === generation;
    const wanted = Object.assign({theme: null, year: null, limit: 10, offset: 0}, options || {});
    text = String(text == null ? "" : text);
    return preload().then(() => {
      const asked = parse(text);
      const ready = asked.prefix ? prefixWord(asked.prefix) : Promise.resolve(null);
      return ready.then((typed) => {
        if (!current()) return null;
        const all = typed ? asked.words.concat([typed]) : asked.words;
        const termList = [...new Set([].concat(...all.map((word) => word.terms)))];
        // Ranking data is small and nearly every query needs it: load it beside the postings.
        const meta = index.parts.meta.map((_, n) => part(partName("meta", n)));
        return Promise.all([loadPostings(termList)].concat(meta)).then(() => {
          if (!current()) return null;
          return answer(text, asked, all, wanted, current);
        });
      });
    });
  }

  function emptyAnswer(text) {
    return {query: text, total: 0, exact: true, results: [], facets: {themes: [], years: []}};
  }

  function answer(text, asked, all, wanted, current) {
    let required = all.filter((word) => !word.optional);
    const optional = all.filter((word) => word.optional);
    if (!required.length && optional.length) required = optional.splice(0);
    if (!required.length) return emptyAnswer(text);
    const perWord = required.map(matches);
    const extra = optional.map(matches);
    const order = perWord.map((_, i) => i).sort((a, b) => perWord[a].size - perWord[b].size);
    const candidates = [];
    for (const id of perWord[order[0]].keys()) {
      if (order.every((w) => perWord[w].has(id))) candidates.push(id);
    }
    candidates.sort((a, b) => a - b);
    return loadMeta(candidates).then((meta) => {
      if (!current()) return null;
      const ranked = candidates.map((id) => rank(id, meta(id), perWord, extra));
      ranked.sort((a, b) => a.kind - b.kind || b.inTitle - a.inTitle || b.score - a.score
        || a.id - b.id);
      const theme = wanted.theme == null ? -1
        : index.themeIndex.has(wanted.theme) ? index.themeIndex.get(wanted.theme) : -2;
      const year = wanted.year == null || wanted.year === "" ? 0 : Number(wanted.year);
      const inTheme = (hit) => theme === -1 || (theme >= 0 && hasTheme(hit.themes, theme));
      const inYear = (hit) => !year || index.yearOf[hit.id] === year;
      const need = wanted.offset + wanted.limit;
      const checked = asked.phrases.length
        ? checkPhrases(ranked, asked.phrases, (hit) => inTheme(hit) && inYear(hit), need, current)
        : Promise.resolve();
      return checked.then(() => {
        if (!current()) return null;
        const found = ranked.filter((hit) => hit.phrase !== false);
        const themeCounts = new Array(index.themes.length).fill(0);
        const yearCounts = new Map();
        for (const hit of found) {
          if (inYear(hit)) {
            for (let t = 0; t < themeCounts.length; t++) {
              if (hasTheme(hit.themes, t)) themeCounts[t]++;
            }
          }
          const hitYear = index.yearOf[hit.id];
          if (hitYear && inTheme(hit)) yearCounts.set(hitYear, (yearCounts.get(hitYear) || 0) + 1);
        }
        const kept = found.filter((hit) => inTheme(hit) && inYear(hit));
        const shown = kept.slice(wanted.offset, need).filter((hit) => hit.phrase !== undefined
          || !asked.phrases.length);
        return Promise.all(shown.map((hit) => part("docs/" + hit.id))).then((documents) => {
          if (!current()) return null;
          const highlight = highlighter(all);
          return {
            query: text,
            total: kept.length,
            exact: !found.some((hit) => hit.phrase === undefined && asked.phrases.length),
            results: documents.map((document, i) => result(shown[i], document, highlight)),
            facets: {
              themes: index.themes.map(([slug, title], t) => ({slug: slug, title: title,
                count: themeCounts[t]})).filter((facet, t) => facet.count > 0 || t === theme),
              years: [...yearCounts].sort((a, b) => b[0] - a[0])
                .map(([y, count]) => ({year: String(y), count: count})),
            },
          };
        });
      });
    });
  }

  /** Marks `hit.phrase` true or false on the best candidates, in batches, until the page is
   * full and enough are checked; the rest stay unchecked (and count as found). */
  function checkPhrases(ranked, phrases, shown, need, current) {
    let checked = 0;
    let passed = 0;
    let text = 0;
    const next = () => {
      const done = checked >= ranked.length || checked >= PHRASE_CHECKS_MOST
        || text >= PHRASE_TEXT_MOST || (checked >= PHRASE_CHECKS && passed >= need);
      if (done || !current()) return Promise.resolve();
      const batch = ranked.slice(checked, checked + (checked ? PHRASE_BATCH : PHRASE_CHECKS));
      checked += batch.length;
      return Promise.all(batch.map((hit) => part("docs/" + hit.id))).then((documents) => {
        documents.forEach((document, i) => {
          batch[i].phrase = phrases.every((steps) => hasPhrase(document, steps));
          if (batch[i].phrase && shown(batch[i])) passed++;
          text += document.title.length + document.text.length;
        });
        return next();
      });
    };
    return next();
  }

  /** Ranking keys: pages before listings, words in the title, BM25, then newer (lower id). */
  function rank(id, meta, perWord, extra) {
    const k1 = index.bm25.k1;
    const norm = k1 * (1 - index.bm25.b + index.bm25.b * meta.length / index.averageLength);
    let score = 0;
    let inTitle = 0;
    const add = (hits) => {
      let best = 0;
      let title = false;
      for (const [weight, code] of hits) {
        const frequency = (code >> 2) + index.titleWeight * (code & 3);
        best = Math.max(best, weight * frequency * (k1 + 1) / (frequency + norm));
        title = title || (code & 3) > 0;
      }
      score += best;
      return title;
    };
    for (const documents of perWord) if (add(documents.get(id))) inTitle++;
    for (const documents of extra) {
      const hits = documents.get(id);
      if (hits && add(hits)) inTitle++;
    }
    return {id: id, kind: id < index.articles ? 0 : 1, inTitle: inTitle, score: score,
      themes: meta.themes};
  }

  /** Whether a folded word is one the reader asked for (its stem, or the typed prefix). */
  function highlighter(all) {
    const wanted = new Set([].concat(...all.map((word) => word.terms)));
    const prefixes = all.filter((word) => word.prefix).map((word) => word.prefix);
    return (word) => prefixes.some((prefix) => word.startsWith(prefix))
      || (isIndexed(word, index.stop) && wanted.has(stem(word, index.language)));
  }

  const SNIPPET_WORDS = 28;

  /** Text as segments, the words the reader asked for marked: a window of the text around
   * the most of them, or its start. */
  function segments(text, highlight, window) {
    const runs = [];
    RUN.lastIndex = 0;
    let match;
    while ((match = RUN.exec(text)) !== null) {
      runs.push({start: match.index, end: match.index + match[0].length,
        hit: words(match[0]).some(highlight), key: fold(match[0])});
    }
    let first = 0;
    let end = runs.length;
    if (window && runs.length > window) {
      let best = -1;
      for (let i = 0; i < runs.length; i++) {
        if (!runs[i].hit) continue;
        const from = Math.max(0, Math.min(i - 3, runs.length - window));
        const inWindow = runs.slice(from, from + window).filter((run) => run.hit);
        const score = new Set(inWindow.map((run) => run.key)).size * 1000 + inWindow.length;
        if (score > best) {
          best = score;
          first = from;
        }
      }
      end = first + window;
    }
    const pieces = [];
    const push = (piece, hit) => {
      if (!piece) return;
      const last = pieces[pieces.length - 1];
      if (last && last.hit === hit) last.text += piece;
      else pieces.push({text: piece, hit: hit});
    };
    if (!runs.length) return text ? [{text: text.replace(/\s+/g, " ").trim(), hit: false}] : [];
    let at = first > 0 ? runs[first].start : 0;
    if (first > 0) push("… ", false);
    for (let i = first; i < end; i++) {
      push(text.slice(at, runs[i].start).replace(/\s+/g, " "), false);
      push(text.slice(runs[i].start, runs[i].end), runs[i].hit);
      at = runs[i].end;
    }
    const rest = end < runs.length ? " …" : text.slice(at).replace(/\s+/g, " ");
    push(rest.replace(/\s+$/, ""), false);
    if (pieces.length && !pieces[0].hit) pieces[0].text = pieces[0].text.replace(/^\s+/, "");
    return pieces.filter((piece) => piece.text);
  }

  function result(hit, document, highlight) {
    return {
      url: document.url,
      title: document.title,
      titleSegments: segments(document.title, highlight, 0),
      date: document.date,
      dateDisplay: document.dateDisplay,
      source: document.source,
      themes: document.themes.map((t) => ({slug: index.themes[t][0], title: index.themes[t][1]})),
      kind: hit.kind === 0 ? "article" : "listing",
      summary: document.summary,
      snippet: segments(document.text, highlight, SNIPPET_WORDS),
    };
  }

  global.DigestSearch = {
    configure(options) {
      Object.assign(settings, options || {});
      if (settings.base && !settings.base.endsWith("/")) settings.base += "/";
    },
    preload: preload,
    query: query,
    // For tests and the curious: the parts this page has received, in order.
    receivedParts: () => receivedOrder.slice(),
    fold: fold,
    words: words,
    terms: terms,
    _receive: receive,
  };
})();
