/*
 * The digest's search box, in mkdocs-material's look and with its keys: "/", "s" or "f"
 * focus the box, the arrow keys move through the results, Enter opens the selected (else
 * the first) one, Escape closes. Filters by theme and by year beside the results.
 *
 * The answers come from window.DigestSearch (search-engine.js), which reads the split index
 * under search/. Article text is data: results are built with textContent and <mark>
 * elements, never as HTML.
 */
(function () {
  "use strict";

  const root = document.querySelector("[data-digest-search]");
  const toggle = document.getElementById("__search");
  if (!root || !toggle) return;

  // Light: a burst of keys costs one query, and the last key still answers at once.
  const DEBOUNCE_MS = 40;
  const PAGE_SIZE = 10;

  const words = JSON.parse(root.dataset.words);
  const base = root.dataset.base.replace(/\/*$/, "/");
  const form = root.querySelector(".md-search__form");
  const input = root.querySelector(".md-search__input");
  const scrollwrap = root.querySelector(".md-search__scrollwrap");
  const meta = root.querySelector(".md-search-result__meta");
  const filters = root.querySelector(".digest-search__filters");
  const list = root.querySelector(".md-search-result__list");

  const state = {
    theme: null, year: null, asked: 0, timer: 0, answer: null, answered: false,
    searching: false, more: false,
  };

  if (window.DigestSearch) window.DigestSearch.configure({ base: base });

  /* An element with the given class names and, optionally, its text. */
  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* "N results" in the site's language (Material's words, "#" for the number). */
  function countText(total) {
    if (total === 0) return words.none;
    if (total === 1) return words.one;
    return words.other.replace("#", total.toLocaleString(document.documentElement.lang));
  }

  /* Lower case without accents, so that a title's "Oekraïne" matches a hit "Oekraine". */
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }

  /* The snippet's parts, hits as <mark>. */
  function appendSnippet(parent, parts) {
    for (const part of parts) {
      parent.append(part.hit ? element("mark", "", part.text) : document.createTextNode(part.text));
    }
  }

  /* The title, its words that are hits in the snippet as <mark> (where the engine does not
     mark them itself). */
  function appendTitle(parent, title, hitWords) {
    for (const piece of title.split(/([\p{L}\p{N}]+)/u)) {
      if (piece && hitWords.has(fold(piece))) parent.append(element("mark", "", piece));
      else if (piece) parent.append(document.createTextNode(piece));
    }
  }

  function resultItem(result) {
    const hitWords = new Set(
      (result.snippet || []).filter((part) => part.hit).map((part) => fold(part.text.trim()))
    );
    const item = element("li", "md-search-result__item");
    const link = element("a", "md-search-result__link");
    link.href = base + result.url;
    link.tabIndex = -1;
    const article = element(
      "article",
      "md-search-result__article md-search-result__article--document md-typeset" +
        (result.kind === "listing" ? " digest-search-result--listing" : "")
    );
    article.append(element("div", "md-search-result__icon md-icon"));
    const title = element("h1");
    if (result.titleSegments) appendSnippet(title, result.titleSegments);
    else appendTitle(title, result.title, hitWords);
    article.append(title);
    const info = [result.dateDisplay, result.source].filter(Boolean).join(" · ");
    if (info) article.append(element("p", "digest-search-result__info", info));
    if (result.themes && result.themes.length) {
      const tags = element("nav", "md-tags");
      for (const theme of result.themes) tags.append(element("span", "md-tag", theme.title));
      article.append(tags);
    }
    if (result.snippet && result.snippet.length) {
      const snippet = element("p", "digest-search-result__snippet");
      appendSnippet(snippet, result.snippet);
      article.append(snippet);
    }
    link.append(article);
    item.append(link);
    return item;
  }

  /* One group of filters: a button per value with its count, pressed when it applies. */
  function facetGroup(name, key, values) {
    const group = element("div", "digest-search__facet");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", name);
    group.append(element("span", "digest-search__facet-name", name));
    // The applied value stays, even where no result is left for it, so one click lifts it.
    if (state[key] !== null && !values.some((value) => value.value === state[key])) {
      values = [{ value: state[key], label: state[key], count: 0 }].concat(values);
    }
    for (const value of values) {
      const button = element("button", "md-tag digest-search__filter", value.label);
      button.type = "button";
      button.dataset.key = key;
      button.dataset.value = value.value;
      button.setAttribute("aria-pressed", String(state[key] === value.value));
      button.append(" ", element("span", "digest-search__count", String(value.count)));
      group.append(button);
    }
    return group;
  }

  function showFilters(facets) {
    const focused = document.activeElement;
    const refocus = filters.contains(focused) && focused.dataset.key ?
      [focused.dataset.key, focused.dataset.value] : null;
    const themes = (facets && facets.themes) || [];
    const years = (facets && facets.years) || [];
    filters.replaceChildren();
    if (themes.length || state.theme !== null) {
      filters.append(facetGroup(words.themes, "theme", themes.map(
        (theme) => ({ value: theme.slug, label: theme.title, count: theme.count })
      )));
    }
    if (years.length || state.year !== null) {
      filters.append(facetGroup(words.years, "year", years.map(
        (year) => ({ value: String(year.year), label: String(year.year), count: year.count })
      )));
    }
    filters.hidden = !filters.childElementCount;
    if (refocus) {
      for (const button of filters.querySelectorAll("button")) {
        if (button.dataset.key === refocus[0] && button.dataset.value === refocus[1]) button.focus();
      }
    }
  }

  function showAnswer(answer) {
    state.answer = answer;
    state.answered = true;
    meta.textContent = countText(answer.total);
    showFilters(answer.facets);
    list.replaceChildren(...answer.results.map(resultItem));
  }

  function showIdle() {
    state.answer = null;
    state.searching = false;
    state.theme = state.year = null;
    meta.textContent = words.placeholder;
    filters.replaceChildren();
    filters.hidden = true;
    list.replaceChildren();
  }

  function showUnavailable(error) {
    state.answer = null;
    meta.textContent = words.unavailable;
    list.replaceChildren();
    if (error) console.error(error);
  }

  /* Ask the engine; only the answer to the latest question is shown. */
  function search() {
    clearTimeout(state.timer);
    const asked = ++state.asked;
    const text = input.value;
    if (!text.trim()) return showIdle();
    if (!window.DigestSearch) return showUnavailable(new Error("search-engine.js is not loaded"));
    // Until the first answer, the index is being read.
    if (!state.answered) meta.textContent = words.initializer;
    state.searching = true;
    window.DigestSearch.query(text, { theme: state.theme, year: state.year, limit: PAGE_SIZE })
      .then(
        (answer) => { if (answer && asked === state.asked) showAnswer(answer); },
        (error) => { if (asked === state.asked) showUnavailable(error); }
      )
      .finally(() => { if (asked === state.asked) state.searching = false; });
  }

  /* The next results of the shown answer, added below (a focused result keeps its focus). */
  function showMore() {
    const answer = state.answer;
    if (!answer || state.searching || state.more || answer.results.length >= answer.total) return;
    const asked = ++state.asked;
    state.more = true;
    const options = { theme: state.theme, year: state.year, limit: PAGE_SIZE,
      offset: answer.results.length };
    window.DigestSearch.query(input.value, options)
      .then((next) => {
        if (!next || asked !== state.asked) return;
        answer.results.push(...next.results);
        list.append(...next.results.map(resultItem));
      }, (error) => console.error(error))
      .finally(() => { state.more = false; });
  }

  /* Open or close the search the way Material does: through its toggle, so that its styles
     and its scroll lock on small screens follow. */
  function setOpen(open) {
    if (toggle.checked !== open) toggle.click();
  }

  function takesKeys(node) {
    return !!node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
  }

  input.addEventListener("input", () => {
    clearTimeout(state.timer);
    state.searching = true; // the shown answer is for other words now
    state.timer = setTimeout(search, DEBOUNCE_MS);
  });

  input.addEventListener("focus", () => {
    setOpen(true);
    // The index's table of contents and the stemmer, while the reader starts typing.
    if (window.DigestSearch && window.DigestSearch.preload) {
      window.DigestSearch.preload().catch((error) => console.error(error));
    }
  });

  toggle.addEventListener("change", () => {
    if (toggle.checked && document.activeElement !== input) input.focus();
    if (!toggle.checked && root.contains(document.activeElement)) document.activeElement.blur();
  });

  form.addEventListener("submit", (event) => event.preventDefault());

  form.addEventListener("reset", () => {
    // The form clears the box after this event.
    setTimeout(() => {
      search();
      input.focus();
    });
  });

  filters.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-key]");
    if (!button) return;
    const key = button.dataset.key;
    state[key] = state[key] === button.dataset.value ? null : button.dataset.value;
    search();
  });

  list.addEventListener("click", (event) => {
    if (event.target.closest("a")) setOpen(false);
  });

  // More results as the list is scrolled to its end, like Material's.
  scrollwrap.addEventListener("scroll", () => {
    if (scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 64) showMore();
  });

  // Leaving the search with Tab closes it.
  root.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) setOpen(false);
  });

  window.addEventListener("keydown", (event) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    const active = document.activeElement;
    if (!toggle.checked) {
      if (["/", "s", "f"].includes(event.key) && !takesKeys(active)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
      return;
    }
    switch (event.key) {
      case "Enter":
        // On a result, Enter follows its link; in the box, it opens the first result.
        if (active === input) {
          event.preventDefault();
          const first = list.querySelector(".md-search-result__link");
          if (first) first.click();
        }
        break;
      case "Escape":
        event.preventDefault();
        setOpen(false);
        input.blur();
        break;
      case "ArrowUp":
      case "ArrowDown": {
        const stops = [input, ...list.querySelectorAll(".md-search-result__link")];
        const at = Math.max(0, stops.indexOf(active));
        const step = event.key === "ArrowUp" ? -1 : 1;
        stops[(at + step + stops.length) % stops.length].focus();
        event.preventDefault();
        break;
      }
      default:
        // Typing on a result goes on in the box, as in Material.
        if ((event.key.length === 1 && event.key !== " ") || event.key === "Backspace") {
          if (active !== input && !takesKeys(active)) input.focus();
        }
    }
  });
})();
