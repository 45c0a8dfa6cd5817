/* zzdata review server: the forms that correct a figure from its page (drop it, file it under no
   indicator, set its fields, add one the build missed). Only in pages the review server serves (server.py puts this script and its
   settings, #zz-serve, in the page); the server checks each save exactly as `zzdata correct` does. */
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("zz-serve").textContent);
  var zz = window.zz, t = zz.t, el = zz.el;
  var LISTS = { status: "status", measure: "measure", qualifier: "qualifier" };

  function datalist(id, options) {
    if (document.getElementById(id)) return;
    var dl = el("datalist");
    dl.id = id;
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0];
      if (o[1]) opt.label = o[1];
      dl.appendChild(opt);
    });
    document.body.appendChild(dl);
  }
  datalist("zz-indicators", cfg.indicators.map(function (i) { return [i[0], i[1] + " · " + i[2]]; }));
  datalist("zz-regions", cfg.regions.map(function (r) { return [r, ""]; }));

  /* The current value of a field of a figure, as a correction writes it. */
  function current(f, name) {
    var v = { indicator: f.ind, label: f.label, period: f.period, region: f.region, status: f.status,
              measure: f.measure, qualifier: f.qual, threshold: f.thr ? "true" : "false",
              value: f.v === null ? "" : String(f.v), unit: f.unit }[name];
    return v === undefined || v === null ? "" : String(v);
  }
  function input(name, value) {
    var box;
    if (LISTS[name]) {
      box = el("select");
      cfg.lists[LISTS[name]].forEach(function (v) {
        var o = el("option", "", v + " · " + zz.vocab(LISTS[name], v)); o.value = v; box.appendChild(o);
      });
    } else if (name === "threshold") {
      box = el("select");
      ["false", "true"].forEach(function (v) { var o = el("option", "", v); o.value = v; box.appendChild(o); });
    } else {
      box = el("input");
      box.type = "text";
      if (name === "indicator") box.setAttribute("list", "zz-indicators");
      if (name === "region") box.setAttribute("list", "zz-regions");
    }
    box.name = name;
    box.value = value;
    box.setAttribute("data-was", value);
    return box;
  }
  function noteBox() {
    var note = el("textarea");
    note.name = "note";
    note.required = true;
    note.placeholder = t("review_note_required");
    return note;
  }
  function grid(form, names, values) {
    var g = el("div", "grid");
    names.forEach(function (n) {
      var label = el("label", "", n);
      var box = input(n, values(n));
      box.id = "zz-field-" + n;
      label.htmlFor = box.id;
      g.appendChild(label);
      g.appendChild(box);
    });
    form.appendChild(g);
    return g;
  }
  function footer(form) {
    var row = el("div", "row");
    var b = el("button", "", t("review_save"));
    b.type = "submit";
    row.appendChild(b);
    var cancel = el("button", "", t("review_cancel"));
    cancel.type = "button";
    cancel.addEventListener("click", function () { zz.holdDetails(false); zz.pin(null); });
    row.appendChild(cancel);
    form.appendChild(row);
    var out = el("output", "");
    form.appendChild(out);
    form.addEventListener("input", function () { zz.holdDetails(true); });
    return out;
  }
  function post(body, form, out) {
    if (!form.elements.note.value.trim()) { out.className = "bad"; out.textContent = t("review_note_required"); return; }
    Array.prototype.forEach.call(form.querySelectorAll("button, input, select, textarea"), function (e) { e.disabled = true; });
    out.className = "";
    out.textContent = t("review_saving");
    var headers = { "Content-Type": "application/json" };
    headers[cfg.header] = cfg.token;
    fetch("/api/correct", { method: "POST", headers: headers, body: JSON.stringify(body), credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (a) {
        if (!a.ok) throw a.problems || ["?"];
        var s = a.seconds;
        var msg = t("review_saved", { message: a.message, seconds: s.total.toFixed(2) });
        try { sessionStorage.setItem("zzdata-review-saved", msg); } catch (e) { /* shown below instead */ }
        out.className = "ok";
        out.textContent = msg;
        var target = a.fact_id ? "#" + encodeURIComponent(a.fact_id).replace(/%3A/g, ":") : "";
        if (target && location.hash !== target) { location.hash = target; }
        location.reload();
      })
      .catch(function (problems) {
        Array.prototype.forEach.call(form.querySelectorAll("button, input, select, textarea"), function (e) { e.disabled = false; });
        out.className = "bad";
        out.textContent = t("review_error") + "\n" + (Array.isArray(problems) ? problems.join("\n") : String(problems));
      });
  }

  function figureForm(f, details) {
    var form = el("form", "edit");
    form.noValidate = true;  /* the note is checked below, with a message in the page's language */
    form.setAttribute("aria-label", t("review_edit"));
    form.appendChild(el("h3", "", t("review_edit")));
    var actions = el("div", "row");
    /* unfile: a figure filed under an indicator leaves the series and stays a figure */
    var offered = [["set", "review_action_set"], ["unfile", "review_action_unfile"], ["drop", "review_action_drop"]];
    offered.filter(function (a) { return a[0] !== "unfile" || current(f, "indicator"); }).forEach(function (a, i) {
      var label = el("label"), r = el("input");
      r.type = "radio"; r.name = "action"; r.value = a[0]; r.checked = i === 0;
      label.appendChild(r);
      label.appendChild(document.createTextNode(" " + t(a[1])));
      actions.appendChild(label);
    });
    form.appendChild(actions);
    var fields = grid(form, cfg.fields, function (n) { return current(f, n); });
    form.appendChild(el("label", "", t("review_note")));
    form.appendChild(noteBox());
    var out = footer(form);
    form.addEventListener("change", function () { fields.hidden = form.elements.action.value !== "set"; });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = { action: form.elements.action.value, fact_id: f.id, note: form.elements.note.value, fields: {} };
      if (body.action === "set") {
        cfg.fields.forEach(function (n) {
          var box = form.elements[n];
          if (box.value !== box.getAttribute("data-was")) body.fields[n] = box.value;
        });
        if (!Object.keys(body.fields).length) { out.className = "bad"; out.textContent = t("review_nothing_changed"); return; }
      }
      post(body, form, out);
    });
    details.appendChild(form);
  }

  function addForm(sel, details) {
    var form = el("form", "add");
    form.noValidate = true;
    form.setAttribute("aria-label", t("review_add"));
    grid(form, cfg.fields, function (n) { return n === "threshold" ? "false" : n === "status" ? "actual" : n === "measure" ? "level" : n === "qualifier" ? "none" : ""; });
    form.appendChild(el("label", "", t("review_note")));
    form.appendChild(noteBox());
    var out = footer(form);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = { action: "add", file: zz.data.doc.file, start: sel.s, end: sel.e, note: form.elements.note.value, fields: {} };
      cfg.fields.forEach(function (n) { var v = form.elements[n].value; if (v && (n !== "threshold" || v === "true")) body.fields[n] = v; });
      post(body, form, out);
    });
    details.appendChild(form);
  }

  window.zzServe = { figure: figureForm, add: addForm };
  if (zz.current()) zz.pin(zz.current());  /* the figure the page opened at, now with its form */
  var saved = null;
  try { saved = sessionStorage.getItem("zzdata-review-saved"); sessionStorage.removeItem("zzdata-review-saved"); } catch (e) { /* none */ }
  var banner = el("p", "saved" + (saved ? "" : " idle"), saved || t("review_served"));
  banner.id = "zz-saved";
  document.querySelector("header.top").appendChild(banner);
})();
