// The calculators' shared component behaviour (the markup is macros/site/templates/components/):
// building DOM nodes without innerHTML, and the GOV.UK error summary.
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
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clearErrorSummary(summary) {
  summary.hidden = true;
  summary.querySelector("ul").replaceChildren();
}

export function showErrorSummary(summary, errors) {
  const list = summary.querySelector("ul");
  list.replaceChildren(...errors.map(({ target, message }) => {
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
export function showErrorMessage(message, text) {
  message.replaceChildren(el("span", { class: "calc-visually-hidden", text: "Error: " }), text);
  message.hidden = false;
}

export function clearErrorMessage(message) {
  message.hidden = true;
  message.replaceChildren();
}
