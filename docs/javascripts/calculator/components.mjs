// The calculators' shared component behaviour (the markup is macros/site/templates/components/):
// building DOM nodes without innerHTML, and the GOV.UK error summary.
//
// No answer can print a missing value. Every answer is built with el(), fill() and text``:
//   el(tag, attrs, ...children) / fill(parent, ...children): a child that is null, undefined,
//     false or "" is left out (never the words "null" or "undefined"); arrays are flattened; a
//     child that is neither a Node, a string nor a finite number (an object, NaN) is a bug in
//     the page, thrown as a TypeError (never "[object Object]" or "NaN" on screen).
//   text`Level ${x}`: a sentence with values; a missing value (null, undefined, an object,
//     NaN) throws the same TypeError instead of printing.
// The DOM's own append()/replaceChildren() print null as "null": answers never call them directly.
//
//   showErrorSummary(summary, [{ target, message }])  // fills the list, shows it, moves focus to it
//   clearErrorSummary(summary)
//
// Each error's link goes to its field (`#id`); following it focuses the field itself and scrolls
// it clear of the sticky header. An error without a field is listed as text.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...nodes(children));
  return node;
}

function printable(value, where) {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new TypeError(`A missing value (${Object.prototype.toString.call(value)}) in ${where}`);
}

// The children as DOM nodes: missing ones left out, arrays flattened, anything unprintable thrown.
export function nodes(children) {
  const out = [];
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    out.push(child instanceof Node ? child : document.createTextNode(printable(child, "an answer")));
  }
  return out;
}

// parent.replaceChildren(), through nodes().
export function fill(parent, ...children) {
  parent.replaceChildren(...nodes(children));
  return parent;
}

// A sentence with values: text`Level ${r.level}`. Throws rather than print a missing value.
export function text(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? printable(values[i], `"${strings.join("…")}"`) : ""), "");
}

export function clearErrorSummary(summary) {
  summary.hidden = true;
  summary.querySelector("ul").replaceChildren();
}

export function showErrorSummary(summary, errors) {
  const list = summary.querySelector("ul");
  fill(list, errors.map(({ target, message }) => {
    if (!target) return el("li", {}, el("span", { text: message }));
    const link = el("a", { href: `#${target.id}`, text: message });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    });
    return el("li", {}, link);
  }));
  summary.hidden = false;
  summary.focus();
}

// An inline error message (components/error-message): "Error: " for screen readers, then the text.
export function showErrorMessage(message, words) {
  fill(message, el("span", { class: "calc-visually-hidden", text: "Error: " }), words);
  message.hidden = false;
}

export function clearErrorMessage(message) {
  message.hidden = true;
  message.replaceChildren();
}
