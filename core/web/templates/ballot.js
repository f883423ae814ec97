(function () {
  var form = document.getElementById("ballot"), bar = document.getElementById("bar");
  if (!form || !bar || !document.querySelectorAll) return;
  var out = document.getElementById("progress"), next = document.getElementById("next");
  var nextLabel = next.textContent;
  var button = document.getElementById("submit"), rows = [].slice.call(form.querySelectorAll(".row"));
  // The top grade is counted only under a quota: the most in any one column, against it.
  var top = bar.getAttribute("data-top"), limit = +bar.getAttribute("data-limit") || 0;
  var key = "sanshu:" + location.pathname, store = null, sent = false;
  try { store = window.localStorage; store.setItem(key + ":probe", "1"); store.removeItem(key + ":probe"); } catch (e) { store = null; }
  function fill(text, values) { return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k]; }); }
  function chosen(row) {
    var input = row.querySelector("input:checked") || row.querySelector("input[type=number]");
    return input ? input.value : "";
  }
  function update() {
    var done = 0, tops = {}, most = 0;
    rows.forEach(function (row) {
      var value = chosen(row), column = row.getAttribute("data-col");
      if (value) done++;
      if (top && value === top) { tops[column] = (tops[column] || 0) + 1; most = Math.max(most, tops[column]); }
    });
    var text = fill(bar.getAttribute("data-progress"), {done: done, total: rows.length});
    if (top) text += " · " + fill(bar.getAttribute("data-top-text"), {count: most, limit: limit});
    out.textContent = text;
    bar.className = "bar" + (limit && most > limit ? " over" : "");
    next.textContent = done === rows.length ? next.getAttribute("data-done") : nextLabel;
  }
  // The row at the top of the screen, under its card's pinned name: where the voter is.
  function here() {
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getBoundingClientRect().bottom > 48) return i ? rows[i].id : "";
    }
    return "";
  }
  function save() {
    if (!store) return;
    var data = {};
    [].forEach.call(form.elements, function (el) {
      if ((el.type === "radio" && el.checked) || ((el.type === "number" || el.tagName === "TEXTAREA") && el.value)) data[el.name] = el.value;
    });
    try { store.setItem(key, JSON.stringify(data)); } catch (e) {}
  }
  function restore() {
    var data = null;
    try { data = store && JSON.parse(store.getItem(key) || "null"); } catch (e) {}
    if (!data) return;
    Object.keys(data).forEach(function (name) {
      var field = form.elements[name];
      if (!field) return;
      field.value = data[name];  // a radio group's RadioNodeList checks the matching radio
      if (field.tagName === "TEXTAREA" && data[name]) field.parentNode.open = true;
    });
  }
  next.addEventListener("click", function (event) {
    event.preventDefault();
    var blank = rows.filter(function (row) { return !chosen(row); });
    if (!blank.length) { button.scrollIntoView({block: "center"}); return; }
    var target = blank[0];
    for (var i = 0; i < blank.length; i++) {
      if (blank[i].getBoundingClientRect().top > 80) { target = blank[i]; break; }
    }
    target.scrollIntoView({block: "center"});
  });
  form.addEventListener("change", function () { save(); update(); });
  form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") save(); });
  form.addEventListener("submit", function (event) {
    var by = event.submitter;
    if (by && by.name === "size") {  // with script, the phone's own copy keeps the choices
      event.preventDefault();
      save();
      var size = by.value.split(":")[0], place = here();
      location.href = "?size=" + size + (place ? "#" + place : "");
      return;
    }
    if (sent) { event.preventDefault(); return; }
    sent = true;
    save();
    button.disabled = true;
    button.textContent = button.getAttribute("data-busy");
    // A post lost on the venue's Wi-Fi must not leave the voter stuck: retry is safe.
    setTimeout(ready, 20000);
  });
  var label = button.textContent;
  function ready() { sent = false; button.disabled = false; button.textContent = label; }
  window.addEventListener("pageshow", function (event) { if (event.persisted) ready(); });
  restore();
  update();
  bar.hidden = false;
  document.body.className += " has-bar";
})();
