/*
 * pilotdesk chat widget — plain JS, no build step.
 *   <script src="https://HOST/widget.js" data-pilotdesk-url="https://HOST" defer></script>
 * Options (data attributes on the script tag): data-mode="inline" + data-target="#id",
 * data-title, data-accent, data-position="left|right", data-office-hours.
 * Isolation: everything lives in a Shadow DOM; the only global is window.Pilotdesk.
 * Safety: answer and document text is only ever set with textContent, never as HTML.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script) return;
  const opts = script.dataset;
  const base = (opts.pilotdeskUrl || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  const inline = opts.mode === "inline";
  const storeKey = `pilotdesk:${base}`;
  const MAX_KEPT = 40; // messages kept in sessionStorage

  // Only http(s) links: a document URL like "javascript:..." must never become a link.
  const safeUrl = (value) => {
    try {
      const url = new URL(String(value || ""), base);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (_) {
      return null;
    }
  };

  // A tiny element builder; text always goes through textContent.
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  };

  // Thumb icons as SVG: emoji need a colour-emoji font that many machines lack.
  const SVG = "http://www.w3.org/2000/svg";
  const thumb = (down) => {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "18");
    svg.setAttribute("height", "18");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const g = document.createElementNS(SVG, "g");
    if (down) g.setAttribute("transform", "rotate(180 12 12)");
    for (const d of ["M2 10h4v11H2z", "M8 21h9.2a2 2 0 0 0 2-1.6l1.3-7a2 2 0 0 0-2-2.4H14l.9-4.3A1.6 1.6 0 0 0 12.4 4L8 10z"]) {
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      g.append(path);
    }
    svg.append(g);
    return svg;
  };

  const load = () => {
    try {
      const saved = JSON.parse(sessionStorage.getItem(storeKey) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (_) {
      /* storage disabled or corrupt: start fresh */
    }
    return { conversationId: null, messages: [] };
  };

  // Parse a text/event-stream body as it arrives: calls onEvent(name, data) per event.
  const readEvents = async (response, onEvent) => {
    const dispatch = (block) => {
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (!line || line.startsWith(":")) continue;
        const i = line.indexOf(":");
        const field = i < 0 ? line : line.slice(0, i);
        let value = i < 0 ? "" : line.slice(i + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (field === "event") name = value;
        else if (field === "data") data.push(value);
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    };
    if (!response.body || !response.body.getReader) {
      (await response.text()).replace(/\r\n?/g, "\n").split("\n\n").forEach(dispatch);
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      buffer = buffer.replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        dispatch(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
      }
      if (done) break;
    }
    if (buffer.trim()) dispatch(buffer);
  };

  class Widget {
    constructor() {
      this.state = load();
      this.site = "https://nairrpilot.org/";
      // Office hours get their own link only when their address is not just the site again.
      this.officeHours = safeUrl(opts.officeHours);
      this.busy = null; // AbortController of the request in flight
      this.host = el("pilotdesk-chat", { "data-position": opts.position === "left" ? "left" : "right" });
      if (opts.accent) this.host.style.setProperty("--pilotdesk-accent", opts.accent);
      this.root = this.host.attachShadow({ mode: "open" });
      this.build();
      const target = inline && opts.target ? document.querySelector(opts.target) : null;
      (target || document.body).append(this.host);
      this.state.messages.forEach((m) => this.render(m));
      this.blocked = false;
      this.config = null; // fetched on first use: a page view alone costs the server nothing
      if (inline) this.loadConfig();
    }

    build() {
      const title = opts.title || "Ask about the NAIRR Pilot";
      const css = el("link", { rel: "stylesheet", href: `${base}/widget.css` });
      // Hidden until the stylesheet is in, so the host never sees an unstyled flash.
      const wrap = el("div", { class: "pd", "data-mode": inline ? "inline" : "floating", hidden: true });
      const show = () => { wrap.hidden = false; };
      css.addEventListener("load", show);
      css.addEventListener("error", show);
      const toggle = () => (this.isOpen() ? this.close() : this.open());
      this.launcher = inline
        ? null
        : el(
            "button",
            { class: "pd-launcher", type: "button", "aria-haspopup": "dialog", "aria-expanded": "false", "aria-controls": "pd-panel", onclick: toggle },
            el("span", { class: "pd-launcher-icon", "aria-hidden": "true", text: "?" }),
            el("span", { text: "Ask a question" }),
          );
      // role=log + aria-live: screen readers announce each new message (answers once complete).
      this.log = el("div", { class: "pd-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
      this.empty = el(
        "div",
        { class: "pd-empty" },
        el("p", { text: "Ask about eligibility, resources or how to apply. Answers cite the NAIRR Pilot documents." }),
      );
      this.examples = el("div", { class: "pd-examples", role: "group", "aria-label": "Example questions" });
      this.empty.append(this.examples);
      this.log.append(this.empty);
      this.input = el("textarea", {
        id: "pd-q",
        class: "pd-input",
        rows: "2",
        // No maxlength: the browser would cut a long paste without a word; see checkLength.
        placeholder: "Type your question…",
        oninput: () => this.checkLength(),
        onkeydown: (e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            this.submit();
          }
        },
      });
      this.send = el("button", { class: "pd-send", type: "submit", text: "Ask" });
      this.maxChars = 1000; // the server's limit, from /v1/config
      this.tooLong = el("div", { class: "pd-too-long", role: "status", hidden: true });
      const form = el(
        "form",
        { class: "pd-form", onsubmit: (e) => { e.preventDefault(); this.submit(); } },
        el("label", { class: "pd-sr", for: "pd-q", text: "Your question" }),
        this.input,
        this.send,
      );
      const head = el(
        "div",
        { class: "pd-head" },
        el("h2", { id: "pd-title", class: "pd-title", text: title }),
        el("button", { class: "pd-reset", type: "button", text: "Start over", onclick: () => this.reset() }),
        inline ? null : el("button", { class: "pd-close", type: "button", "aria-label": "Close chat", text: "×", onclick: () => this.close() }),
      );
      this.foot = el("p", { class: "pd-foot" });
      this.showWhereToAsk();
      const foot = this.foot;
      this.panel = el(
        "div",
        inline
          ? { id: "pd-panel", class: "pd-panel", role: "region", "aria-labelledby": "pd-title" }
          : { id: "pd-panel", class: "pd-panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "pd-title", hidden: true },
        head,
        this.log,
        this.tooLong,
        form,
        foot,
      );
      this.panel.addEventListener("keydown", (e) => this.onKey(e));
      wrap.append(this.panel);
      if (this.launcher) wrap.append(this.launcher);
      this.root.append(css, wrap);
    }

    loadConfig() {
      if (!this.config) this.config = this.fetchConfig();
      return this.config;
    }

    async fetchConfig() {
      try {
        const r = await fetch(`${base}/v1/config`, { credentials: "omit" });
        if (!r.ok) return;
        const cfg = await r.json();
        if (cfg.origin_allowed === false) return this.notAllowed();
        if (safeUrl(cfg.official_site_url)) this.site = safeUrl(cfg.official_site_url);
        if (!opts.officeHours && safeUrl(cfg.office_hours_url)) this.officeHours = safeUrl(cfg.office_hours_url);
        this.showWhereToAsk();
        if (cfg.max_question_chars > 0) this.maxChars = cfg.max_question_chars;
        this.checkLength();
        this.showExamples(Array.isArray(cfg.examples) ? cfg.examples : []);
      } catch (_) {
        /* defaults are fine */
      }
    }

    // The server does not serve this page's origin: tell the site owner how to fix it, and
    // tell visitors plainly instead of failing later with a "connection" error.
    notAllowed() {
      this.blocked = true;
      console.warn(
        `pilotdesk: this page's origin (${location.origin}) is not allowed by the assistant at ${base}. ` +
          "Add it to the server setting api.allowed_origins (environment: PILOTDESK_API__ALLOWED_ORIGINS) and restart the server.",
      );
      this.examples.replaceChildren();
      this.log.replaceChildren(
        el("div", { class: "pd-msg pd-unavailable", role: "status" }, el("p", { class: "pd-text", text: "The assistant is not available on this page." })),
      );
      this.input.disabled = true;
      this.send.disabled = true;
    }

    // Where to go when the documents do not cover a question: office hours when their page is
    // not just the official site, otherwise the site, named as what it is.
    nextStep() {
      const same = (a, b) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
      const office = this.officeHours && !same(this.officeHours, this.site) ? this.officeHours : null;
      return office
        ? { href: office, foot: ["Not covered? Ask at the NAIRR Pilot ", "office hours"], link: "Ask at office hours" }
        : { href: this.site, foot: ["Not covered? Check ", "the official NAIRR Pilot site"], link: "Check the official NAIRR Pilot site" };
    }

    nextLink(text, href) {
      return el("a", { href, target: "_blank", rel: "noopener noreferrer", text });
    }

    showWhereToAsk() {
      const next = this.nextStep();
      this.foot.replaceChildren(next.foot[0], this.nextLink(next.foot[1], next.href), ".");
      for (const p of this.log.querySelectorAll(".pd-next")) p.replaceChildren(this.nextLink(next.link, next.href));
    }

    // Over the server's limit: say so, and offer to keep the beginning (nothing is cut silently).
    checkLength() {
      const n = this.input.value.trim().length;
      const max = this.maxChars;
      if (n <= max) {
        this.tooLong.hidden = true;
        return true;
      }
      const fmt = (x) => x.toLocaleString("en-US");
      const keep = el("button", {
        class: "pd-keep",
        type: "button",
        text: `Keep the first ${fmt(max)} characters`,
        onclick: () => {
          this.input.value = this.input.value.trim().slice(0, max);
          this.checkLength();
          this.input.focus();
        },
      });
      this.tooLong.replaceChildren(
        el("p", { text: `Your question is ${fmt(n)} characters long; questions can be up to ${fmt(max)}.` }),
        keep,
      );
      this.tooLong.hidden = false;
      return false;
    }

    showExamples(examples) {
      const buttons = examples
        .filter((q) => typeof q === "string" && q.trim())
        .slice(0, 6)
        .map((q) => el("button", { class: "pd-example", type: "button", text: q, onclick: () => this.submit(q) }));
      this.examples.replaceChildren(...buttons);
    }

    isOpen() {
      return inline || !this.panel.hidden;
    }

    open() {
      if (inline) return this.input.focus();
      this.loadConfig();
      this.panel.hidden = false;
      this.launcher.setAttribute("aria-expanded", "true");
      this.input.focus();
      this.log.scrollTop = this.log.scrollHeight;
    }

    close() {
      if (inline) return;
      this.panel.hidden = true;
      this.launcher.setAttribute("aria-expanded", "false");
      this.launcher.focus();
    }

    // Esc closes; Tab and Shift+Tab cycle inside the open dialog (a focus trap).
    onKey(e) {
      if (inline) return;
      if (e.key === "Escape") {
        e.preventDefault();
        this.close();
        return;
      }
      if (e.key !== "Tab") return;
      const items = [...this.panel.querySelectorAll("a[href], button:not([disabled]), textarea, [tabindex='0']")]
        .filter((n) => n.offsetParent !== null || n === this.log);
      if (!items.length) return;
      const first = items[0];
      const last = items[items.length - 1];
      const active = this.root.activeElement;
      if (e.shiftKey && (active === first || !items.includes(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !items.includes(active))) {
        e.preventDefault();
        first.focus();
      }
    }

    save() {
      try {
        this.state.messages = this.state.messages.slice(-MAX_KEPT);
        sessionStorage.setItem(storeKey, JSON.stringify(this.state));
      } catch (_) {
        /* private mode or full storage: the conversation just isn't remembered */
      }
    }

    reset() {
      if (this.busy) this.busy.abort();
      this.state = { conversationId: null, messages: [] };
      try {
        sessionStorage.removeItem(storeKey);
      } catch (_) {
        /* nothing to remove */
      }
      if (!this.blocked) this.log.replaceChildren(this.empty);
      this.input.value = "";
      this.checkLength();
      this.input.focus();
    }

    // Render one stored message; returns the nodes a streaming answer fills in.
    render(message) {
      this.empty.remove();
      if (message.role === "user") {
        this.log.append(el("div", { class: "pd-msg pd-user" }, el("p", { class: "pd-text", text: message.text })));
        return null;
      }
      if (message.role === "error") {
        this.log.append(el("div", { class: "pd-msg pd-error", role: "alert" }, el("p", { class: "pd-text", text: message.text })));
        return null;
      }
      const text = el("p", { class: "pd-text", text: message.text || "" });
      const bubble = el("div", { class: "pd-msg pd-bot" }, text);
      this.log.append(bubble);
      if (message.final) this.finish(bubble, text, message);
      return { bubble, text };
    }

    finish(bubble, text, message) {
      bubble.removeAttribute("aria-busy");
      text.textContent = message.text;
      if (message.abstained) {
        bubble.classList.add("pd-abstained");
        const next = this.nextStep();
        bubble.prepend(el("p", { class: "pd-badge", text: "Not in the documents" }));
        if (message.why) bubble.append(el("p", { class: "pd-why", text: `Why: ${message.why}` }));
        bubble.append(el("p", { class: "pd-next" }, this.nextLink(next.link, next.href)));
      }
      if (message.uncovered && message.uncovered.length) {
        bubble.append(el("p", { class: "pd-why", text: `The documents do not cover: ${message.uncovered.join("; ")}` }));
      }
      if (message.citations && message.citations.length) {
        const list = el("ol", { class: "pd-cites", "aria-label": "Sources" });
        for (const c of message.citations) {
          const url = safeUrl(c.url);
          const name = c.title || c.source || c.key;
          const label = url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: name }) : el("span", { text: name });
          const where = [c.locator, c.as_of ? `as of ${c.as_of}` : ""].filter(Boolean).join(" · ");
          list.append(
            el("li", {}, el("span", { class: "pd-key", text: `[${c.key}]` }), " ", label, where ? el("span", { class: "pd-loc", text: ` — ${where}` }) : null),
          );
        }
        bubble.append(list);
      }
      if (message.id) bubble.append(this.feedback(message));
    }

    // Thumbs up or down, changeable; a thumbs-down invites a comment for the staff.
    feedback(message) {
      const status = el("span", { class: "pd-fb-status", role: "status" });
      const buttons = [];
      const post = async (score, comment) => {
        const r = await fetch(`${base}/v1/feedback`, {
          method: "POST",
          credentials: "omit",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ answer_id: message.id, score, comment: comment || "" }),
        });
        if (!r.ok) throw new Error(String(r.status));
      };
      const note = el("textarea", { class: "pd-comment-input", rows: "2", maxlength: "2000", "aria-label": "What was missing or wrong? (optional)", placeholder: "What was missing or wrong? (optional)" });
      const sendNote = el("button", { class: "pd-comment-send", type: "button", text: "Send comment" });
      const commentBox = el("div", { class: "pd-comment", hidden: message.fb !== -1 || Boolean(message.commented) }, note, sendNote);
      sendNote.addEventListener("click", async () => {
        const text = note.value.trim();
        if (!text) return note.focus();
        sendNote.disabled = true;
        try {
          await post(-1, text);
          message.commented = true;
          this.save();
          commentBox.hidden = true;
          status.textContent = "Thanks, your comment was sent to the staff.";
        } catch (_) {
          status.textContent = "Could not send the comment.";
        } finally {
          sendNote.disabled = false;
        }
      });
      const press = (score) => buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.score === String(score))));
      const vote = async (score) => {
        if (message.fb === score) return;
        const before = message.fb;
        press(score);
        buttons.forEach((b) => { b.disabled = true; });
        try {
          await post(score);
          message.fb = score;
          this.save();
          status.textContent = before ? "Feedback changed. Thanks." : "Thanks for the feedback.";
          commentBox.hidden = score !== -1 || Boolean(message.commented);
          if (!commentBox.hidden) note.focus();
        } catch (_) {
          press(before);
          status.textContent = "Could not send feedback.";
        } finally {
          buttons.forEach((b) => { b.disabled = false; });
        }
      };
      for (const [score, label] of [[1, "Helpful"], [-1, "Not helpful"]]) {
        buttons.push(el("button", { class: "pd-thumb", type: "button", "data-score": String(score), "aria-label": label, title: label, "aria-pressed": String(message.fb === score), onclick: () => vote(score) }, thumb(score < 0)));
      }
      if (message.fb) status.textContent = "Thanks for the feedback.";
      const row = el("div", { class: "pd-fb", role: "group", "aria-label": "Was this answer helpful?" }, ...buttons, status);
      return el("div", { class: "pd-fb-wrap" }, row, commentBox);
    }

    fail(nodes, error, hint) {
      if (nodes) nodes.bubble.remove();
      const message = { role: "error", text: hint ? `${error} — ${hint}` : error };
      this.render(message);
    }

    async submit(question) {
      const q = (question !== undefined ? String(question) : this.input.value).trim();
      if (!q || this.busy) return;
      await this.loadConfig();
      if (this.blocked) return;
      if (question === undefined && !this.checkLength()) return this.input.focus();
      this.input.value = "";
      const asked = { role: "user", text: q };
      this.state.messages.push(asked);
      this.render(asked);
      const nodes = this.render({ role: "bot", text: "" });
      nodes.bubble.setAttribute("aria-busy", "true"); // screen readers wait for the whole answer
      nodes.bubble.classList.add("pd-pending");
      this.log.scrollTop = this.log.scrollHeight;
      const controller = (this.busy = new AbortController());
      this.send.disabled = true;
      let finished = false;
      try {
        const r = await fetch(`${base}/v1/chat`, {
          method: "POST",
          credentials: "omit",
          signal: controller.signal,
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ question: q, conversation_id: this.state.conversationId || undefined }),
        });
        if (!r.ok) {
          let body = {};
          try { body = await r.json(); } catch (_) { /* not JSON */ }
          this.fail(nodes, body.error || `The server answered ${r.status}.`, body.hint || "");
          finished = true;
          return;
        }
        await readEvents(r, (name, data) => {
          if (name === "token") {
            nodes.bubble.classList.remove("pd-pending");
            nodes.text.textContent += data.text;
            this.log.scrollTop = this.log.scrollHeight;
          } else if (name === "final") {
            finished = true;
            nodes.bubble.classList.remove("pd-pending");
            this.state.conversationId = data.conversation_id || this.state.conversationId;
            const message = {
              role: "bot",
              final: true,
              id: data.id,
              text: data.answer,
              abstained: Boolean(data.abstained),
              why: typeof data.abstain_reason === "string" ? data.abstain_reason.replace(/_/g, " ") : "",
              uncovered: Array.isArray(data.uncovered) ? data.uncovered.filter((u) => typeof u === "string") : [],
              citations: (data.citations || []).map((c) => ({ key: c.key, title: c.title, url: c.url, locator: c.locator, as_of: c.as_of, source: c.source })),
            };
            this.state.messages.push(message);
            this.finish(nodes.bubble, nodes.text, message);
            this.save();
          } else if (name === "error") {
            finished = true;
            this.fail(nodes, data.error || "Something went wrong.", data.hint || "");
          }
        });
        if (!finished) this.fail(nodes, "The answer was cut off.", "Please ask again.");
      } catch (e) {
        if (e && e.name === "AbortError") nodes.bubble.remove();
        else this.fail(nodes, "Could not reach the assistant.", "Check your connection and try again.");
      } finally {
        if (this.busy === controller) this.busy = null;
        this.send.disabled = false;
        this.log.scrollTop = this.log.scrollHeight;
        if (this.isOpen()) this.input.focus();
      }
    }
  }

  const start = () => {
    const widget = new Widget();
    const ns = window.Pilotdesk || (window.Pilotdesk = { instances: [] });
    ns.instances.push(widget);
    // The namespace acts on the first widget on the page.
    const first = ns.instances[0];
    ns.open = () => first.open();
    ns.close = () => first.close();
    ns.reset = () => first.reset();
    ns.ask = (question) => { first.open(); return first.submit(question); };
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
