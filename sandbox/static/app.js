// The sandbox page: a person switcher, their DM with the bot, the Home tab, modals and the clock.
// Plain JavaScript, no build step, nothing from the network: everything comes from the sandbox.
"use strict";

const page = {
  people: [],
  byId: {},
  user: null,
  tab: "messages",
  version: null,
  state: null,
  poll: null,
  modalKey: null,
  homeKey: null,
  modalRegistry: {},
  homeRegistry: {},
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "html") node.innerHTML = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Talking to the sandbox
async function api(path, body) {
  const response = await fetch(path, body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `The sandbox answered HTTP ${response.status}`);
  return data;
}

function showNotice(text) {
  const notice = $("notice");
  notice.textContent = text || "";
  notice.hidden = !text;
}

async function act(path, body) {
  try {
    const state = await api(path, { user: page.user, ...body });
    if (state.messages) render(state);
    return state;
  } catch (error) {
    showNotice(error.message);
    return null;
  }
}

async function pollLoop(user) {
  const controller = new AbortController();
  page.poll = controller;
  while (!controller.signal.aborted && page.user === user) {
    try {
      const since = page.version === null ? "" : `&since=${page.version}`;
      const response = await fetch(`/sandbox/api/state?user=${encodeURIComponent(user)}${since}`, { signal: controller.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const state = await response.json();
      if (page.user === user) render(state);
    } catch (error) {
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the sandbox stopped or restarted
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Time, shown in the chosen person's zone
function zoneParts(epochMs, tz) {
  const parts = {};
  for (const part of new Intl.DateTimeFormat("en-GB", {
    timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  return parts;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// "Wed 4 Mar 2026, 15:30" in `tz`, the same in every browser (Intl's punctuation varies).
function describe(epochMs, tz, withYear) {
  const p = zoneParts(epochMs, tz);
  const weekday = WEEKDAYS[new Date(Date.UTC(+p.year, +p.month - 1, +p.day)).getUTCDay()];
  return `${weekday} ${+p.day} ${MONTHS[+p.month - 1]}${withYear ? ` ${p.year}` : ""}, ${p.hour}:${p.minute}`;
}

function localInputValue(epochMs, tz) {
  const p = zoneParts(epochMs, tz);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

function zonedToEpoch(value, tz) {
  // "YYYY-MM-DDTHH:MM" as a wall-clock time in `tz` -> epoch milliseconds.
  const [datePart, timePart] = value.split("T");
  const [y, m, d] = datePart.split("-").map(Number);
  const [hh, mm] = timePart.split(":").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const p = zoneParts(guess, tz);
    const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
    guess += wall - shown;
  }
  return guess;
}

function personTz() {
  return (page.byId[page.user] || {}).tz || "UTC";
}

// ---------------------------------------------------------------------------------------------
// mrkdwn: Slack's markup, escaped first, then formatted
function decodeEntities(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function safeUrl(url) {
  return /^(https?:|mailto:|\/)/i.test(url) ? url : "#";
}

// Slack's :shortcodes: for the emoji the bot uses (and a few common ones); others stay as typed.
const EMOJI = {
  red_circle: "🔴", large_orange_circle: "🟠", large_yellow_circle: "🟡", large_green_circle: "🟢", large_blue_circle: "🔵",
  white_check_mark: "✅", heavy_check_mark: "✔️", x: "❌", warning: "⚠️", wave: "👋", tada: "🎉", seedling: "🌱",
  small_blue_diamond: "🔹", small_orange_diamond: "🔸", hourglass_flowing_sand: "⏳", checkered_flag: "🏁", calendar: "📅",
  spiral_calendar_pad: "🗓️", bulb: "💡", memo: "📝", speech_balloon: "💬", star: "⭐", sparkles: "✨", clock3: "🕒",
  bell: "🔔", lock: "🔒", white_circle: "⚪", black_circle: "⚫", raised_hand: "✋", thumbsup: "👍", "+1": "👍", pray: "🙏", muscle: "💪", books: "📚", compass: "🧭", handshake: "🤝",
};

// Slack's date token, <!date^1392734382^{date_short_pretty} at {time}^optional_link|fallback>: the
// formatted date in the viewer's zone ("today" by the sandbox clock), or the fallback when unreadable.
const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const LONG_WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function ordinal(day) {
  const suffixes = ["th", "st", "nd", "rd"];
  const last = day % 100;
  return `${day}${suffixes[(last - 20) % 10] || suffixes[last] || suffixes[0]}`;
}

function formatDate(epochMs, format, tz) {
  const p = zoneParts(epochMs, tz);
  const [y, m, d] = [+p.year, +p.month, +p.day];
  const now = zoneParts(page.state ? Date.parse(page.state.clock.now) : Date.now(), tz);
  const days = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(+now.year, +now.month - 1, +now.day)) / 86400000);
  const relative = { "-1": "yesterday", 0: "today", 1: "tomorrow" }[days];
  const date = `${LONG_MONTHS[m - 1]} ${ordinal(d)}, ${y}`;
  const dateLong = `${LONG_WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]}, ${date}`;
  const dateShort = `${MONTHS[m - 1]} ${d}, ${y}`;
  const tokens = {
    date_num: `${p.year}-${p.month}-${p.day}`, date_slash: `${p.day}/${p.month}/${p.year}`, date, date_short: dateShort, date_long: dateLong,
    date_long_full: `${LONG_MONTHS[m - 1]} ${d}, ${y}`, date_pretty: relative || date, date_short_pretty: relative || dateShort,
    date_long_pretty: relative || dateLong, time: `${p.hour}:${p.minute}`, time_secs: `${p.hour}:${p.minute}:${p.second}`,
    day_divider_pretty: relative || (+now.year === y ? dateLong.replace(`, ${y}`, "") : dateLong),
  };
  let readable = true;
  const text = format.replace(/\{([a-z_]+)\}/g, (whole, name, offset) => {
    if (!(name in tokens)) readable = false;
    const value = tokens[name] || whole;
    return offset === 0 && relative && value === relative ? value[0].toUpperCase() + value.slice(1) : value;
  });
  return readable ? text : null;
}

function slackDate(inner) {
  const bar = inner.indexOf("|");
  const [, stamp, format, ...link] = (bar < 0 ? inner : inner.slice(0, bar)).split("^");
  const text = /^\d+$/.test(stamp || "") && format ? formatDate(+stamp * 1000, decodeEntities(format), personTz()) : null;
  if (text === null) return escapeHtml(decodeEntities(bar < 0 ? "" : inner.slice(bar + 1)));
  const url = decodeEntities(link.join("^"));
  return url ? `<a href="${escapeHtml(safeUrl(url))}" target="_blank" rel="noopener noreferrer">${escapeHtml(text)}</a>` : escapeHtml(text);
}

function inline(raw) {
  const slots = [];
  const keep = (html) => `\u0000${slots.push(html) - 1}\u0000`;
  let text = raw.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${escapeHtml(decodeEntities(code))}</code>`));
  text = text.replace(/<([^<>\n]+)>/g, (_, inner) => {
    const [target, label] = inner.split("|");
    if (target.startsWith("@U") || target.startsWith("@W")) {
      const person = page.byId[target.slice(1)] || (page.state && page.state.bot.id === target.slice(1) ? page.state.bot : null);
      const name = label || (person ? person.real_name : target.slice(1));
      return keep(`<span class="mention">@${escapeHtml(name)}</span>`);
    }
    if (target.startsWith("#C")) return keep(`<span class="mention">#${escapeHtml(label || target.slice(1))}</span>`);
    if (target.startsWith("!date^")) return keep(slackDate(inner));
    if (target.startsWith("!")) return keep(`<span class="mention">@${escapeHtml(label || target.slice(1).split("^")[0])}</span>`);
    const url = decodeEntities(target);
    return keep(`<a href="${escapeHtml(safeUrl(url))}" target="_blank" rel="noopener noreferrer">${escapeHtml(decodeEntities(label || url))}</a>`);
  });
  let html = escapeHtml(decodeEntities(text)).replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
  html = html.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1<strong>$2</strong>");
  html = html.replace(/(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])/g, "$1<em>$2</em>");
  html = html.replace(/(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])/g, "$1<del>$2</del>");
  return html.replace(/\u0000(\d+)\u0000/g, (_, index) => slots[+index]);
}

function mrkdwn(raw) {
  const out = [];
  const parts = String(raw || "").split("```");
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      out.push(`<pre>${escapeHtml(decodeEntities(part.replace(/^\n/, "")))}</pre>`);
      return;
    }
    let list = null;
    let quote = null;
    const flush = () => {
      if (list) out.push(`<ul>${list.join("")}</ul>`);
      if (quote) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
      list = quote = null;
    };
    const lines = part.split("\n");
    lines.forEach((line, lineIndex) => {
      const bullet = line.match(/^\s*[•◦▪-]\s+(.*)$/);
      const quoted = line.match(/^(?:&gt;|>)\s?(.*)$/);
      if (bullet) {
        if (quote) flush();
        (list = list || []).push(`<li>${inline(bullet[1])}</li>`);
      } else if (quoted) {
        if (list) flush();
        (quote = quote || []).push(inline(quoted[1]));
      } else {
        flush();
        out.push(inline(line) + (lineIndex < lines.length - 1 ? "<br>" : ""));
      }
    });
    flush();
  });
  return out.join("");
}

function textHtml(object) {
  if (!object) return "";
  if (typeof object === "string") return mrkdwn(object);
  return object.type === "mrkdwn" ? mrkdwn(object.text) : escapeHtml(object.text || "").replace(/\n/g, "<br>");
}

const plainText = (object) => (object && object.text) || "";

// ---------------------------------------------------------------------------------------------
// Block Kit: blocks and their elements
let uniqueIds = 0;
const nextId = (prefix) => `${prefix}-${++uniqueIds}`;

function optionValue(option) {
  const out = { text: option.text, value: option.value };
  if (option.description) out.description = option.description;
  return out;
}

function allOptions(element) {
  if (element.option_groups) return element.option_groups.flatMap((group) => group.options || []);
  return element.options || [];
}

function selectableOptions(select, element, selected) {
  const isSelected = (option) => selected.some((chosen) => chosen && chosen.value === option.value);
  const add = (parent, option) => parent.append(el("option", { value: option.value, selected: isSelected(option) }, plainText(option.text)));
  if (element.option_groups) {
    for (const group of element.option_groups) {
      const optgroup = el("optgroup", { label: plainText(group.label) });
      (group.options || []).forEach((option) => add(optgroup, option));
      select.append(optgroup);
    }
  } else {
    (element.options || []).forEach((option) => add(select, option));
  }
}

function peopleOptions(select, selectedIds) {
  for (const person of page.people) {
    select.append(el("option", { value: person.id, selected: selectedIds.includes(person.id) }, `${person.real_name} (${person.title})`));
  }
}

// Each element: a DOM node, and `value()` giving Slack's state/action fields for it.
function buildElement(element, ctx) {
  const id = nextId("element");
  const labelled = ctx.labelId ? { "aria-labelledby": ctx.labelId } : {};
  const placeholder = plainText(element.placeholder);
  switch (element.type) {
    case "button": {
      const node = el("button", { type: "button", class: `button ${element.style || ""}`.trim() }, plainText(element.text));
      if (element.url) node.addEventListener("click", () => window.open(safeUrl(element.url), "_blank", "noopener"));
      const value = () => {
        const out = { text: element.text };
        if (element.value !== undefined) out.value = element.value;
        if (element.style) out.style = element.style;
        return out;
      };
      node.addEventListener("click", () => ctx.fire(element, value()));
      return { node, value: null };
    }
    case "static_select":
    case "external_select":
    case "conversations_select":
    case "channels_select": {
      const select = el("select", { id, class: "select", ...labelled, "aria-label": ctx.labelId ? null : placeholder || "Choose" });
      select.append(el("option", { value: "" }, placeholder || "Choose an option"));
      const initial = element.initial_option ? [element.initial_option] : [];
      selectableOptions(select, element, initial);
      const value = () => {
        const option = allOptions(element).find((o) => o.value === select.value);
        return { selected_option: option ? optionValue(option) : null };
      };
      select.addEventListener("change", () => ctx.change(element, value()));
      return { node: select, value };
    }
    case "users_select": {
      const select = el("select", { id, class: "select", ...labelled, "aria-label": ctx.labelId ? null : placeholder || "Choose a person" });
      select.append(el("option", { value: "" }, placeholder || "Choose a person"));
      peopleOptions(select, element.initial_user ? [element.initial_user] : []);
      const value = () => ({ selected_user: select.value || null });
      select.addEventListener("change", () => ctx.change(element, value()));
      return { node: select, value };
    }
    case "multi_static_select":
    case "multi_external_select": {
      // Slack keeps a multi-select's choices in the order they were picked (a roadmap's order, say),
      // so the page does too, and shows that order under the list.
      const select = el("select", { id, class: "select multi", multiple: true, size: Math.min(6, allOptions(element).length || 1), ...labelled });
      selectableOptions(select, element, element.initial_options || []);
      let picked = (element.initial_options || []).map((o) => o.value);
      const order = el("span", { class: "hint picked", "aria-live": "polite" });
      const showOrder = () => {
        const byValue = Object.fromEntries(allOptions(element).map((o) => [o.value, o]));
        order.textContent = picked.length ? `Chosen, in order: ${picked.map((v, i) => `${i + 1}. ${plainText(byValue[v].text)}`).join(" · ")}` : "";
      };
      const value = () => {
        const byValue = Object.fromEntries(allOptions(element).map((o) => [o.value, o]));
        return { selected_options: picked.filter((v) => byValue[v]).map((v) => optionValue(byValue[v])) };
      };
      select.addEventListener("change", () => {
        const chosen = Array.from(select.selectedOptions).map((o) => o.value);
        picked = picked.filter((v) => chosen.includes(v)).concat(chosen.filter((v) => !picked.includes(v)));
        showOrder();
        ctx.change(element, value());
      });
      showOrder();
      return { node: el("div", { class: "multi-wrap" }, select, el("span", { class: "hint" }, "Ctrl-click or ⌘-click to choose several, in order"), order), value };
    }
    case "multi_users_select": {
      const select = el("select", { id, class: "select multi", multiple: true, size: Math.min(6, page.people.length), ...labelled });
      peopleOptions(select, element.initial_users || []);
      const value = () => ({ selected_users: Array.from(select.selectedOptions).map((o) => o.value) });
      select.addEventListener("change", () => ctx.change(element, value()));
      return { node: el("div", { class: "multi-wrap" }, select, el("span", { class: "hint" }, "Ctrl-click or ⌘-click to choose several")), value };
    }
    case "overflow": {
      const menu = el("div", { class: "overflow-menu", role: "menu", hidden: true });
      const toggle = el("button", { type: "button", class: "button overflow", "aria-haspopup": "menu", "aria-expanded": "false", "aria-label": "More options" }, "⋯");
      toggle.addEventListener("click", () => {
        menu.hidden = !menu.hidden;
        toggle.setAttribute("aria-expanded", String(!menu.hidden));
        if (!menu.hidden && menu.firstChild) menu.firstChild.focus();
      });
      for (const option of element.options || []) {
        menu.append(el("button", {
          type: "button", role: "menuitem", class: "overflow-item",
          onclick: () => { menu.hidden = true; toggle.setAttribute("aria-expanded", "false"); ctx.fire(element, { selected_option: optionValue(option) }); },
        }, plainText(option.text)));
      }
      return { node: el("div", { class: "overflow-wrap" }, toggle, menu), value: null };
    }
    case "datepicker": {
      const input = el("input", { id, type: "date", class: "input", value: element.initial_date || "", ...labelled, "aria-label": ctx.labelId ? null : placeholder || "Date" });
      const value = () => ({ selected_date: input.value || null });
      input.addEventListener("change", () => ctx.change(element, value()));
      return { node: input, value };
    }
    case "timepicker": {
      const input = el("input", { id, type: "time", class: "input", value: element.initial_time || "", ...labelled, "aria-label": ctx.labelId ? null : placeholder || "Time" });
      const value = () => ({ selected_time: input.value || null });
      input.addEventListener("change", () => ctx.change(element, value()));
      return { node: input, value };
    }
    case "datetimepicker": {
      const initial = element.initial_date_time ? localInputValue(element.initial_date_time * 1000, personTz()) : "";
      const input = el("input", { id, type: "datetime-local", class: "input", value: initial, ...labelled, "aria-label": ctx.labelId ? null : "Date and time" });
      const value = () => ({ selected_date_time: input.value ? Math.round(zonedToEpoch(input.value, personTz()) / 1000) : null });
      input.addEventListener("change", () => ctx.change(element, value()));
      return { node: input, value };
    }
    case "checkboxes":
    case "radio_buttons": {
      const radio = element.type === "radio_buttons";
      const name = nextId("choice");
      const initial = radio ? (element.initial_option ? [element.initial_option] : []) : element.initial_options || [];
      const group = el("div", { class: "choices", role: radio ? "radiogroup" : "group", ...labelled });
      const inputs = [];
      for (const option of element.options || []) {
        const input = el("input", { type: radio ? "radio" : "checkbox", name, value: option.value, checked: initial.some((o) => o.value === option.value) });
        inputs.push(input);
        group.append(el("label", { class: "choice" }, input, el("span", { html: textHtml(option.text) }),
          option.description ? el("span", { class: "hint", html: textHtml(option.description) }) : null));
      }
      const value = () => {
        const chosen = (element.options || []).filter((o, index) => inputs[index].checked).map(optionValue);
        return radio ? { selected_option: chosen[0] || null } : { selected_options: chosen };
      };
      group.addEventListener("change", () => ctx.change(element, value()));
      return { node: group, value };
    }
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input": {
      const type = { email_text_input: "email", url_text_input: "url", number_input: "number" }[element.type] || "text";
      const attrs = { id, class: "input", placeholder, ...labelled, "aria-label": ctx.labelId ? null : placeholder || "Text" };
      if (element.max_length) attrs.maxlength = element.max_length;
      if (element.type === "number_input") {
        attrs.step = element.is_decimal_allowed ? "any" : "1";
        if (element.min_value !== undefined) attrs.min = element.min_value;
        if (element.max_value !== undefined) attrs.max = element.max_value;
        attrs.inputmode = element.is_decimal_allowed ? "decimal" : "numeric";
      }
      const input = element.multiline ? el("textarea", { ...attrs, rows: 4 }) : el("input", { ...attrs, type });
      input.value = element.initial_value !== undefined ? String(element.initial_value) : "";
      const value = () => ({ value: input.value === "" ? null : input.value });
      input.addEventListener("change", () => ctx.change(element, value()));
      return { node: input, value };
    }
    case "image":
      return { node: imageNode(element.image_url, element.alt_text, "accessory-image"), value: null };
    default:
      return { node: el("span", { class: "unsupported" }, `[${element.type} is not shown in the sandbox]`), value: null };
  }
}

function imageNode(url, alt, className) {
  const local = typeof url === "string" && (url.startsWith("/") || url.startsWith(location.origin));
  if (!local) {
    // Nothing from the network: an outside image is shown as its description and link.
    return el("span", { class: `${className} image-placeholder`, role: "img", "aria-label": alt || "image" },
      "Image: ", alt || "no description", " ", url ? el("a", { href: safeUrl(url), target: "_blank", rel: "noopener noreferrer" }, "(open)") : null);
  }
  return el("img", { class: className, src: url, alt: alt || "" });
}

function renderBlocks(blocks, surface) {
  const container = el("div", { class: "blocks" });
  for (const block of blocks || []) container.append(renderBlock(block, surface));
  return container;
}

function registerValue(surface, blockId, actionId, elementType, value) {
  if (!value || !surface.registry) return;
  (surface.registry[blockId] = surface.registry[blockId] || {})[actionId] = () => ({ type: elementType, ...value() });
}

function elementContext(surface, block, extra) {
  return {
    ...extra,
    fire: (element, fields) => surface.send({ type: element.type, action_id: element.action_id, block_id: block.block_id, ...fields }),
    change: (element, fields) => {
      if (extra && extra.inInput && !block.dispatch_action) return; // inputs wait for Submit
      surface.send({ type: element.type, action_id: element.action_id, block_id: block.block_id, ...fields });
    },
  };
}

function renderBlock(block, surface) {
  switch (block.type) {
    case "header":
      return el("h3", { class: "block header" }, plainText(block.text));
    case "divider":
      return el("hr", { class: "block divider" });
    case "section": {
      const node = el("div", { class: "block section" });
      const body = el("div", { class: "section-body" });
      if (block.text) body.append(el("div", { class: "section-text", html: textHtml(block.text) }));
      if (block.fields) body.append(el("div", { class: "fields" }, block.fields.map((field) => el("div", { class: "field", html: textHtml(field) }))));
      node.append(body);
      if (block.accessory) {
        const built = buildElement(block.accessory, elementContext(surface, block));
        registerValue(surface, block.block_id, block.accessory.action_id, block.accessory.type, built.value);
        node.append(el("div", { class: "accessory" }, built.node));
      }
      return node;
    }
    case "context":
      return el("div", { class: "block context" }, (block.elements || []).map((item) =>
        item.type === "image" ? imageNode(item.image_url, item.alt_text, "context-image") : el("span", { html: textHtml(item) })));
    case "image":
      return el("figure", { class: "block image" }, imageNode(block.image_url, block.alt_text, "block-image"),
        block.title ? el("figcaption", {}, plainText(block.title)) : null);
    case "actions": {
      const row = el("div", { class: "block actions" });
      for (const element of block.elements || []) {
        const built = buildElement(element, elementContext(surface, block));
        registerValue(surface, block.block_id, element.action_id, element.type, built.value);
        row.append(built.node);
      }
      return row;
    }
    case "input": {
      const labelId = nextId("label");
      const errorId = nextId("error");
      const built = buildElement(block.element, elementContext(surface, block, { inInput: true, labelId }));
      registerValue(surface, block.block_id, block.element.action_id, block.element.type, built.value);
      const error = surface.errors && surface.errors[block.block_id];
      if (error) {
        const target = built.node.matches("input,select,textarea") ? built.node : built.node.querySelector("input,select,textarea");
        if (target) { target.setAttribute("aria-invalid", "true"); target.setAttribute("aria-describedby", errorId); }
      }
      return el("div", { class: `block input-block${error ? " has-error" : ""}`, "data-block-id": block.block_id },
        el("div", { class: "input-label", id: labelId }, plainText(block.label), block.optional ? el("span", { class: "optional" }, " (optional)") : null),
        built.node,
        block.hint ? el("div", { class: "hint" }, plainText(block.hint)) : null,
        error ? el("div", { class: "field-error", id: errorId, role: "alert" }, error) : null);
    }
    case "rich_text":
      return el("div", { class: "block rich-text" }, (block.elements || []).map((part) =>
        el("p", {}, (part.elements || []).map((item) => item.text || (item.url ? item.url : "")).join(""))));
    default:
      return el("div", { class: "block unsupported" }, `[a ${block.type} block: not shown in the sandbox]`);
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering the person's view
function renderPeople() {
  const list = $("people");
  list.replaceChildren();
  for (const person of page.people) {
    const current = person.id === page.user;
    list.append(el("li", {},
      el("button", { type: "button", class: "person", "aria-pressed": String(current), "data-user": person.id, onclick: () => choose(person.id) },
        el("span", { class: "person-name" }, person.real_name, person.is_admin ? el("span", { class: "badge" }, "admin") : null),
        el("span", { class: "person-title" }, `${person.title} · ${person.department}`),
        el("span", { class: "person-zone" }, person.tz.replace(/_/g, " ")))));
  }
}

// An image that finishes loading pushes the conversation up: stay at the newest message.
function keepAtBottom() {
  const list = $("messages");
  if (list.scrollHeight - list.scrollTop - list.clientHeight < list.clientHeight) list.scrollTop = list.scrollHeight;
}

function renderMessages(state) {
  const list = $("messages");
  // Redrawn only when the conversation or the clock changed (dates read "today" against it): other changes
  // (an invite arriving in the inbox) leave the messages, and anything a person is pointing at, where they are.
  const key = `${state.clock.now}|${JSON.stringify(state.messages)}`;
  if (key === page.messagesKey) return;
  page.messagesKey = key;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 60;
  const previous = list.childElementCount;
  list.replaceChildren();
  if (!state.messages.length) {
    list.append(el("li", { class: "empty" }, "No messages yet. Try ", el("code", {}, "/mentor help"), " below."));
  }
  for (const message of state.messages) {
    const fromBot = message.user === state.bot.id;
    const when = new Date(parseFloat(message.ts) * 1000);
    const surface = {
      send: (action) => act("/sandbox/api/action", { source: "message", ts: message.ts, action }),
    };
    const body = message.blocks && message.blocks.length ? renderBlocks(message.blocks, surface) : el("div", { class: "message-text", html: mrkdwn(message.text) });
    const files = (message.files || []).map((file) => /\.(png|jpe?g|gif|svg|webp)$/i.test(file.name)
      ? el("a", { class: "file image-file", href: file.url, target: "_blank", rel: "noopener" },
        el("span", { class: "file-title" }, file.title), el("img", { src: file.url, alt: file.title, onload: keepAtBottom }))
      : el("a", { class: "file", href: file.url, target: "_blank", rel: "noopener" }, el("span", { class: "file-icon", "aria-hidden": "true" }, (file.name.split(".").pop() || "file").slice(0, 4)),
        el("span", {}, el("strong", {}, file.title), el("br"), el("span", { class: "hint" }, file.name))));
    list.append(el("li", { class: `message${message.ephemeral ? " ephemeral" : ""}`, "data-ts": message.ts },
      el("span", { class: `avatar${fromBot ? " bot" : ""}`, "aria-hidden": "true" }, (message.user_name || "?").slice(0, 1)),
      el("div", { class: "message-main" },
        el("div", { class: "message-meta" },
          el("strong", {}, message.user_name), fromBot ? el("span", { class: "app-tag" }, "APP") : null,
          el("time", { datetime: when.toISOString() }, describe(when.getTime(), personTz(), false)),
          message.edited ? el("span", { class: "edited" }, "(edited)") : null),
        message.ephemeral ? el("div", { class: "only-you" }, el("span", { class: "eye", "aria-hidden": "true" }), "Only visible to you") : null,
        body, files)));
  }
  if (atBottom || state.messages.length !== previous) list.scrollTop = list.scrollHeight;
}

const INVITE_KINDS = { REQUEST: "Invitation", CANCEL: "Cancelled" };

function renderInbox(state) {
  const list = $("inbox");
  const invites = state.inbox || [];
  list.replaceChildren();
  if (!invites.length) {
    list.append(el("li", { class: "empty" }, "No invites yet. Book a session and its invite arrives here."));
  }
  for (const invite of invites) {
    const kind = invite.method === "REQUEST" && invite.sequence > 0 ? "Updated" : (INVITE_KINDS[invite.method] || invite.method);
    list.append(el("li", { class: `invite invite-${invite.method.toLowerCase()}` },
      el("div", { class: "message-meta" },
        el("strong", {}, invite.subject),
        el("time", { datetime: invite.received_at }, describe(Date.parse(invite.received_at), personTz(), false))),
      el("div", {}, el("span", { class: "app-tag" }, kind), " ", invite.summary, ": ",
        el("time", { datetime: invite.starts_at }, describe(Date.parse(invite.starts_at), personTz(), true))),
      el("div", { class: "hint" }, `To ${invite.to} · event ${invite.uid}, version ${invite.sequence}`)));
  }
}

function renderHome(state) {
  const home = $("home");
  const key = state.home ? `${state.home.id}:${state.home.hash}` : "none";
  if (key === page.homeKey) return;
  page.homeKey = key;
  page.homeRegistry = {};
  if (!state.home) {
    home.replaceChildren(el("p", { class: "empty" }, "Opening the Home tab…"));
    return;
  }
  const surface = {
    registry: page.homeRegistry,
    send: (action) => act("/sandbox/api/action", { source: "home", action, values: collect(page.homeRegistry) }),
  };
  home.replaceChildren(renderBlocks(state.home.blocks, surface));
}

function collect(registry) {
  const values = {};
  for (const [blockId, actions] of Object.entries(registry)) {
    values[blockId] = {};
    for (const [actionId, read] of Object.entries(actions)) values[blockId][actionId] = read();
  }
  return values;
}

function renderModal(state) {
  const overlay = $("modal-overlay");
  const view = state.modals.length ? state.modals[state.modals.length - 1] : null;
  const errorsKey = JSON.stringify(state.errors || {});
  const key = view ? `${view.id}:${view.hash}:${state.modals.length}:${errorsKey}` : null;
  if (key === page.modalKey) return;
  const sameView = view && page.modalKey && page.modalKey.startsWith(`${view.id}:${view.hash}:${state.modals.length}:`);
  page.modalKey = key;
  if (!view) {
    if (!overlay.hidden) {
      overlay.hidden = true;
      $("composer-input").focus();
    }
    return;
  }
  if (sameView) {
    // Only the validation errors changed: show them without wiping what was typed.
    showErrors(state.errors || {});
    return;
  }
  page.modalRegistry = {};
  const surface = {
    registry: page.modalRegistry,
    errors: state.errors || {},
    send: (action) => act("/sandbox/api/action", { source: "modal", action, values: collect(page.modalRegistry) }),
  };
  $("modal-title").textContent = plainText(view.title);
  $("modal-body").replaceChildren(renderBlocks(view.blocks, surface));
  $("modal-submit").textContent = view.submit ? plainText(view.submit) : "Submit";
  $("modal-submit").hidden = !view.submit;
  $("modal-close").textContent = view.close ? plainText(view.close) : state.modals.length > 1 ? "Back" : "Close";
  const wasHidden = overlay.hidden;
  overlay.hidden = false;
  if (wasHidden || !sameView) {
    const first = $("modal-body").querySelector("input,select,textarea,button");
    (first || $("modal-close")).focus();
  }
}

function showErrors(errors) {
  for (const block of $("modal-body").querySelectorAll(".block.input-block")) {
    const blockId = block.getAttribute("data-block-id");
    block.querySelectorAll(".field-error").forEach((node) => node.remove());
    block.classList.toggle("has-error", Boolean(errors[blockId]));
    const target = block.querySelector("input,select,textarea");
    if (errors[blockId]) {
      const id = nextId("error");
      block.append(el("div", { class: "field-error", id, role: "alert" }, errors[blockId]));
      if (target) { target.setAttribute("aria-invalid", "true"); target.setAttribute("aria-describedby", id); }
    } else if (target) {
      target.removeAttribute("aria-invalid");
    }
  }
  const first = $("modal-body").querySelector("[aria-invalid=true]");
  if (first) first.focus();
}

function renderClock(state) {
  const now = new Date(state.clock.now);
  const person = page.byId[page.user];
  const tz = personTz();
  $("clock-local").textContent = `${describe(now.getTime(), tz, true)} · ${person ? person.real_name.split(" ")[0] + "’s time" : tz} (${tz.replace(/_/g, " ")})`;
  $("clock-utc").textContent = `${describe(now.getTime(), "UTC", false)} UTC`;
  const input = $("clock-to");
  if (document.activeElement !== input) {
    input.min = localInputValue(now.getTime(), tz);
    if (!input.value || input.value < input.min) input.value = input.min;
  }
}

function render(state) {
  // Answers can arrive out of order (a tab's "open" after the click that came next): an older state
  // drawn over a newer one would close a form that is open and lose what was typed into it.
  if (page.version !== null && state.version < page.version) return;
  // Nor is the answer to what the person shown before did drawn into the next person's page.
  if (state.user && state.user.id !== page.user) return;
  page.state = state;
  page.version = state.version;
  const person = page.byId[page.user];
  $("viewer").textContent = person ? `You are ${person.real_name}, ${person.title} (${person.tz.replace(/_/g, " ")})` : "";
  showNotice(state.notice);
  renderClock(state);
  renderMessages(state);
  renderHome(state);
  renderInbox(state);
  renderModal(state);
}

// ---------------------------------------------------------------------------------------------
// What the person does
function choose(userId) {
  if (page.poll) page.poll.abort();
  page.user = userId;
  page.version = null;
  page.modalKey = page.homeKey = page.messagesKey = null;
  localStorage.setItem("flipside-sandbox-user", userId);
  $("clock-to").value = ""; // "Go" is in the chosen person's zone: start again from their now
  history.replaceState(null, "", `#${userId}`);
  renderPeople();
  showNotice("");
  $("messages").replaceChildren();
  // Arriving (a reload, or coming back to this person) shows their modal as Slack reopens one: without
  // the errors of values typed before, which are gone. Then follow their changes.
  act("/sandbox/api/open", { tab: page.tab, arriving: true }).then(() => { if (page.user === userId) pollLoop(userId); });
}

const TABS = ["messages", "home", "inbox"];

function showTab(tab) {
  page.tab = tab;
  for (const name of TABS) {
    const selected = name === tab;
    const button = $(`tab-${name}`);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${name}`).hidden = !selected;
  }
  if (page.user && tab !== "inbox") act("/sandbox/api/open", { tab }); // the inbox is not a Slack tab
}

async function moveClock(body) {
  const buttons = document.querySelectorAll(".clock-controls button");
  buttons.forEach((button) => { button.disabled = true; });
  $("clock-status").textContent = "Moving the clock and running the sweep…";
  const state = await act("/sandbox/api/clock", body);
  buttons.forEach((button) => { button.disabled = false; });
  $("clock-status").textContent = state && state.result ? `Moved: ${state.result.sweeps} sweep${state.result.sweeps === 1 ? "" : "s"} run.` : "";
}

async function start() {
  const data = await api("/sandbox/api/people");
  page.people = data.people;
  page.byId = Object.fromEntries(data.people.map((person) => [person.id, person]));
  $("team-name").textContent = data.team;

  $("composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("composer-input");
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    await act("/sandbox/api/send", { text });
    input.focus();
  });
  $("composer-input").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("tab-messages").addEventListener("click", () => showTab("messages"));
  $("tab-home").addEventListener("click", () => showTab("home"));
  $("tab-inbox").addEventListener("click", () => showTab("inbox"));
  document.querySelector(".tabs").addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const step = event.key === "ArrowRight" ? 1 : TABS.length - 1;
      const next = TABS[(TABS.indexOf(page.tab) + step) % TABS.length];
      showTab(next);
      $(`tab-${next}`).focus();
    }
  });
  for (const button of document.querySelectorAll(".clock-move")) {
    button.addEventListener("click", () => moveClock({ by: button.dataset.by }));
  }
  $("clock-form").addEventListener("submit", (event) => {
    event.preventDefault();
    moveClock({ to_local: $("clock-to").value, tz: personTz() });
  });
  $("modal-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act("/sandbox/api/submit", { values: collect(page.modalRegistry) });
  });
  const close = () => act("/sandbox/api/close", {});
  $("modal-close").addEventListener("click", close);
  $("modal-x").addEventListener("click", close);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("modal-overlay").hidden) close();
  });

  const wanted = location.hash.slice(1) || localStorage.getItem("flipside-sandbox-user");
  const first = page.byId[wanted] ? wanted : (page.people[0] || {}).id;
  if (first) choose(first);
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((error) => showNotice(`The sandbox is not answering: ${error.message}`));
});
