/* zzdata review page: details of the figure pointed at, the filterable list, the language.
   Inline in every page (zzdata/review/render.py); reads the page's JSON (#zz-data, #zz-words)
   and writes text only with textContent: the reports' texts are never parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("zz-data").textContent);
  var W = JSON.parse(document.getElementById("zz-words").textContent);
  var root = document.documentElement;
  var figs = data.figures, byId = {};
  figs.forEach(function (f) { byId[f.id] = f; });
  var details = document.getElementById("details");
  var list = document.getElementById("figs");
  var text = document.getElementById("text");
  var pinned = null, shown = null, hold = false;

  function lang() { return root.getAttribute("data-lang") === "en" ? "en" : "zh"; }
  function t(key, fields) {
    var w = W.labels[key]; var s = w ? w[lang()] : key;
    if (fields) Object.keys(fields).forEach(function (k) { s = s.split("{" + k + "}").join(fields[k]); });
    return s;
  }
  function vocab(list, value) { var v = (W.vocab[list] || {})[value]; return v ? v[lang()] : value; }
  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (txt !== undefined && txt !== null) e.textContent = String(txt);
    return e;
  }
  function row(dl, key, value, node) {
    dl.appendChild(el("dt", "", t(key)));
    var dd = el("dd", "", node ? null : value);
    if (node) dd.appendChild(node);
    dl.appendChild(dd);
  }
  /* POSIX shell quoting as Python's shlex.quote does it. */
  function q(s) {
    s = String(s);
    if (s === "") return "''";
    if (/^[A-Za-z0-9_@%+=:,.\/-]+$/.test(s)) return s;
    return "'" + s.replace(/'/g, "'\"'\"'") + "'";
  }
  function pageOf(doc) { return encodeURIComponent(doc) + ".html"; }
  function hrefOf(id, doc) {
    return (doc === data.doc.file ? "" : pageOf(doc)) + "#" + encodeURIComponent(id).replace(/%3A/g, ":");
  }
  function commands(f) {
    var base = "python -m zzdata correct " + q(f.id);
    var note = " --note " + q(t("review_note_placeholder"));
    var set = base + " --indicator " + (f.ind ? q(f.ind) : "INDICATOR_ID") + " --period " + q(f.period || "PERIOD") +
      " --region " + q(f.region || "REGION") + " --status " + q(f.status) + note;
    var out = [base + " --drop" + note, set];
    if (f.ind) out.push(base + " --unfile" + note);  /* a figure filed under an indicator it does not measure */
    return out;
  }
  function copyButton(code) {
    var b = el("button", "", t("review_copy"));
    b.type = "button";
    b.addEventListener("click", function () {
      var done = function () { b.textContent = t("review_copied"); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(code.textContent).then(done, select);
      else select();
      function select() {
        var r = document.createRange(); r.selectNodeContents(code);
        var s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
        try { if (document.execCommand("copy")) done(); } catch (e) { /* selected: Ctrl-C copies it */ }
      }
    });
    return b;
  }

  function renderFigure(f) {
    details.textContent = "";
    var h = el("h2", "", f.vt);
    h.appendChild(el("small", "", f.label));
    details.appendChild(h);
    var dl = el("dl");
    if (f.ind) row(dl, "review_indicator", (lang() === "zh" ? f.ind_zh : (f.ind_en || f.ind_zh)) + " · " +
                    (lang() === "zh" ? f.ind_en : f.ind_zh) + " (" + f.ind + ")");
    else row(dl, "review_indicator", null, el("em", "", t("review_unfiled")));
    row(dl, "review_label", f.label);
    var v = (lang() === "zh" ? f.v_zh : f.v_en) || f.vt, base = f.v === null ? "" : f.v + " " + f.unit;
    row(dl, "review_value", v + (base && v.replace(/[ ,]/g, "") !== base.replace(/ /g, "") ? "  (= " + base + ")" : ""));
    row(dl, "review_period", f.period + (f.year !== null && String(f.year) !== f.period ? "  (" + t("review_year") + " " + f.year + ")" : ""));
    row(dl, "review_region", lang() === "zh" ? f.region : (f.region_en || f.region) + " · " + f.region);
    row(dl, "review_status", vocab("status", f.status));
    row(dl, "review_measure", vocab("measure", f.measure));
    row(dl, "review_qualifier", vocab("qualifier", f.qual));
    row(dl, "review_threshold", f.thr ? t("review_yes") : t("review_no"));
    if (f.pre) row(dl, "review_preliminary", t("review_yes"));
    if (f.rg) row(dl, "review_rank_group", f.rg);
    if (f.section) row(dl, "review_section", f.section);
    row(dl, "review_fact_id", null, el("code", "", f.id));
    details.appendChild(dl);

    details.appendChild(el("h3", "", t("review_series")));
    if (f.chosen === -1) details.appendChild(el("p", "", t("review_no_candidate")));
    else if (f.chosen === 1) details.appendChild(el("p", "", t("review_is_chosen")));
    else if (f.alt) {
      var p = el("p", "", t("review_not_chosen") + " ");
      var a = el("a", "", lang() === "en" && f.alt.v_en ? f.alt.v_en : f.alt.vt);
      a.href = hrefOf(f.alt.id, f.alt.doc);
      p.appendChild(a);
      p.appendChild(document.createTextNode(" (" + f.alt.period + (f.alt.doc === data.doc.file ? "" : ", " + f.alt.doc) + ")"));
      details.appendChild(p);
      /* The step of CHOICE_RULE that put this candidate below the chosen one (series/choice.py). */
      if (W.rule[f.decided_by]) {
        var d = el("p", "", t("review_decided") + ": ");
        d.appendChild(el("b", "", (f.decided_by + 1) + ". " + W.rule[f.decided_by][lang()]));
        details.appendChild(d);
      }
    }
    if (f.chosen !== -1) details.appendChild(el("p", "", t("review_rank") + ": " + f.rank));
    if (f.flag || f.jump) {
      var names = f.flag ? f.flag.split("|").map(function (x) { return vocab("flag", x); }) : [];
      if (f.jump) names.push(t("review_jump"));
      details.appendChild(el("p", "lvl-error", t("review_flags") + ": " + names.join("; ")));
    }

    details.appendChild(el("h3", "", t("review_findings")));
    if (!f.fd.length) details.appendChild(el("p", "", t("review_none")));
    else {
      var ul = el("ul");
      f.fd.forEach(function (k) {
        var x = data.findings[k], li = el("li");
        li.appendChild(el("span", "lvl-" + x.level, x.level));
        li.appendChild(document.createTextNode(" " + x.check + ": " + x.message));
        ul.appendChild(li);
      });
      details.appendChild(ul);
    }

    details.appendChild(el("h3", "", t("review_corrections")));
    if (!f.cx.length && !f.corrected) details.appendChild(el("p", "", t("review_none")));
    f.cx.forEach(function (i) { details.appendChild(correctionLine(data.corrections[i])); });
    if (f.corrected) details.appendChild(el("p", "", t("review_correction_fields") + ": " + f.corrected.split("|").join(", ")));

    details.appendChild(el("h3", "", t("review_command")));
    commands(f).forEach(function (cmd) {
      var line = el("div", "cmd"), code = el("code", "", cmd);
      line.appendChild(code); line.appendChild(copyButton(code));
      details.appendChild(line);
    });
    if (window.zzServe) window.zzServe.figure(f, details);
  }

  function correctionLine(c) {
    var fields = Object.keys(c.fields).map(function (k) { return k + "=" + c.fields[k]; }).join(", ");
    var p = el("p", c.outcome === "applied" ? "" : "bad",
               "data/raw/corrections.csv " + t("review_line", { n: c.line }) + ": " + c.action +
               (fields ? " " + fields : "") + (c.outcome === "applied" ? "" : " (" + c.outcome + ": " + c.problem + ")"));
    if (c.note) { p.appendChild(document.createElement("br")); p.appendChild(el("span", "", t("review_note") + ": " + c.note)); }
    return p;
  }

  function renderDropped(c) {
    details.textContent = "";
    var h = el("h2", "", c.vt);
    h.appendChild(el("small", "", t("review_mark_dropped")));
    details.appendChild(h);
    details.appendChild(correctionLine(c));
    details.appendChild(el("p", "hint", t("review_dropped_hint", { n: c.line })));
  }

  /* A selection in the text: the characters' offsets in the text as the build read it (code
     points, as Python counts them), for a figure the build missed. */
  function points(s) { return Array.from(s).length; }
  function selection() {
    var sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    var r = sel.getRangeAt(0);
    if (!text.contains(r.startContainer) || !text.contains(r.endContainer)) return null;
    var before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(r.startContainer, r.startOffset);
    var chosen = r.toString(), lead = chosen.length - chosen.replace(/^\s+/, "").length;
    var body = chosen.trim();
    if (!body) return null;
    var start = points(before.toString()) + points(chosen.slice(0, lead));
    return { s: start, e: start + points(body), text: body };
  }
  function renderSelection(sel) {
    details.textContent = "";
    var h = el("h2", "", sel.text);
    h.appendChild(el("small", "", t("review_add")));
    details.appendChild(h);
    details.appendChild(el("p", "", t("review_selected", { start: sel.s, end: sel.e })));
    details.appendChild(el("h3", "", t("review_command")));
    var cmd = "python -m zzdata correct --add " + q(data.doc.file) + " " + sel.s + " " + sel.e +
      " --indicator INDICATOR_ID --note " + q(t("review_note_placeholder"));
    var line = el("div", "cmd"), code = el("code", "", cmd);
    line.appendChild(code); line.appendChild(copyButton(code));
    details.appendChild(line);
    if (window.zzServe) window.zzServe.add(sel, details);
  }

  function renderClaim(c) {
    details.textContent = "";
    var h = el("h2", "", c.claim);
    h.appendChild(el("small", "", t("review_claim")));
    details.appendChild(h);
    var dl = el("dl");
    row(dl, "review_claim_kind", c.kind);
    row(dl, "review_chars", c.s + "–" + c.e);
    details.appendChild(dl);
    details.appendChild(el("p", "hint", t("review_claim_hint")));
  }

  function hint() {
    details.textContent = "";
    details.appendChild(el("p", "hint", t("review_point_hint")));
  }

  function mark(id) { var m = document.getElementById(id); return m && m.tagName === "MARK" ? m : null; }
  function item(id) { return list.querySelector('a[data-fact="' + CSS.escape(id) + '"]'); }
  function show(id) {
    if (hold && id !== pinned) return;  /* an edit form is being filled in */
    var f = byId[id];
    if (!f) { if (pinned && byId[pinned]) { shown = pinned; renderFigure(byId[pinned]); } else { shown = null; hint(); } return; }
    if (shown) { var o = mark(shown), oi = item(shown); if (o) o.classList.remove("on"); if (oi) oi.parentNode.classList.remove("on"); }
    shown = id;
    var m = mark(id), li = item(id);
    if (m) m.classList.add("on");
    if (li) li.parentNode.classList.add("on");
    renderFigure(f);
  }
  function pin(id) {
    if (pinned) { var o = mark(pinned); if (o) o.classList.remove("pin"); }
    hold = false;
    pinned = byId[id] ? id : null;
    if (pinned) {
      var m = mark(pinned), li = item(pinned);
      if (m) m.classList.add("pin");
      if (li) li.scrollIntoView({ block: "nearest" });
    }
    show(pinned);
  }
  window.zz = { pin: pin, show: show, data: data, t: t, lang: lang, byId: byId, q: q, el: el, vocab: vocab,
                holdDetails: function (on) { hold = !!on; }, details: details, text: text,
                current: function () { return pinned; } };

  text.addEventListener("mouseover", function (e) {
    var m = e.target.closest("mark.f");
    if (m) { show(m.id); return; }
    var c = e.target.closest(".claim");
    if (c && !hold) renderClaim(data.claims[+c.getAttribute("data-claim")]);
    var d = e.target.closest("del.dropped");
    if (d && !hold) renderDropped(data.corrections[+d.getAttribute("data-corr")]);
  });
  text.addEventListener("mouseup", function () {
    var sel = selection();
    if (sel) { hold = false; pin(null); hold = true; renderSelection(sel); }
  });
  text.addEventListener("mouseout", function (e) {
    var m = e.target.closest("mark.f, .claim, del.dropped");
    if (m && !(e.relatedTarget && m.contains(e.relatedTarget)) && !hold) show(pinned);
  });
  text.addEventListener("focusin", function (e) {
    var m = e.target.closest("mark.f");
    if (m && window.getSelection().isCollapsed) { hold = false; pin(m.id); }
    var d = e.target.closest("del.dropped");
    if (d && !hold) renderDropped(data.corrections[+d.getAttribute("data-corr")]);
  });
  text.addEventListener("click", function (e) {
    var m = e.target.closest("mark.f");
    if (m && window.getSelection().isCollapsed) { m.focus({ preventScroll: true }); pin(m.id); }
  });
  list.addEventListener("focusin", function (e) { var a = e.target.closest("a[data-fact]"); if (a) show(a.getAttribute("data-fact")); });
  list.addEventListener("keydown", function (e) {
    var a = e.target.closest("a[data-fact]");
    if (!a) return;
    var items = Array.prototype.filter.call(list.querySelectorAll("li"), function (li) { return !li.hidden; });
    var i = items.indexOf(a.parentNode), j = i;
    if (e.key === "ArrowDown") j = Math.min(items.length - 1, i + 1);
    else if (e.key === "ArrowUp") j = Math.max(0, i - 1);
    else if (e.key === "Home") j = 0;
    else if (e.key === "End") j = items.length - 1;
    else return;
    e.preventDefault();
    if (items[j]) items[j].firstChild.focus();
  });
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var m = mark(id);
    if (m) { m.focus({ preventScroll: true }); m.scrollIntoView({ block: "center" }); pin(id); }
    window.zz.hash = id;  /* the last fragment handled: lets a test wait for the hashchange before it moves on */
  }
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hold = false; pin(null); }
  });

  /* The list of the page's figures, in text order, each a link to its mark. */
  var BADGES = [["f", "fd", "!"], ["c", "cor", "\u270e"], ["t", "thr", "\u2265"]];
  var frag = document.createDocumentFragment();
  var items = figs.map(function (f) {
    var li = el("li", "st-" + f.status + (f.k.indexOf("u") >= 0 ? " nf" : ""));
    li.setAttribute("data-st", f.status);
    li.setAttribute("data-ind", f.ind);
    li.setAttribute("data-k", f.k);
    var a = el("a");
    a.href = hrefOf(f.id, data.doc.file);
    a.setAttribute("data-fact", f.id);
    a.appendChild(el("b", "", f.vt));
    a.appendChild(el("span", "", f.label));
    BADGES.forEach(function (b) { if (f.k.indexOf(b[0]) >= 0) a.appendChild(el("i", b[1], b[2])); });
    li.appendChild(a);
    frag.appendChild(li);
    return li;
  });
  list.appendChild(frag);

  /* The list's filters. */
  var form = document.getElementById("filters");
  function applyFilters() {
    var st = form.elements.status.value, ind = form.elements.indicator.value;
    var only = ["unfiled", "findings", "corrected"].filter(function (k) { return form.elements[k].checked; });
    var any = st || ind || only.length, n = 0;
    items.forEach(function (li) {
      var k = li.getAttribute("data-k") || "";
      var ok = (!st || li.getAttribute("data-st") === st) && (!ind || li.getAttribute("data-ind") === ind) &&
        only.every(function (o) { return k.indexOf(o.charAt(0)) >= 0; });
      li.hidden = !ok;
      if (ok) n++;
      var m = mark(li.firstChild.getAttribute("data-fact"));
      if (m) m.classList.toggle("dim", !!any && !ok);
    });
    form.querySelector(".count").textContent = t("review_shown", { n: n, total: items.length });
  }
  form.addEventListener("change", applyFilters);
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  function applyLang(l) {
    root.setAttribute("data-lang", l);
    try { localStorage.setItem("zzdata-review-lang", l); } catch (e) { /* file: pages may not store */ }
    Array.prototype.forEach.call(document.querySelectorAll("option[data-zh]"), function (o) { o.textContent = o.getAttribute("data-" + l); });
    applyFilters();
    if (shown && byId[shown]) renderFigure(byId[shown]); else if (!hold) hint();
  }
  document.getElementById("lang").addEventListener("click", function () { applyLang(lang() === "zh" ? "en" : "zh"); });
  var saved = null;
  try { saved = localStorage.getItem("zzdata-review-lang"); } catch (e) { /* ignore */ }
  var asked = /[?&]lang=(zh|en)/.exec(location.search);
  applyLang(asked ? asked[1] : saved === "en" || saved === "zh" ? saved : root.getAttribute("data-lang"));
  if (location.hash) fromHash();
  if (window.performance && performance.mark) performance.mark("zzdata-review-ready");
})();
