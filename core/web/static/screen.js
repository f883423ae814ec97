// The projector's view: follows the meeting through server-sent events, counts the
// clock down between them from the stored instants (as the consoles do).
"use strict";
(function () {
  const body = document.body;
  const key = body.dataset.key;
  const $ = (id) => document.getElementById(id);
  let state = null;
  let offset = 0; // server clock − this machine's clock, seconds

  function format(seconds) {
    let sign = "";
    let whole;
    if (seconds > 0) { whole = Math.ceil(seconds - 1e-9); }
    else { whole = Math.floor(-seconds + 1e-9); if (whole > 0) sign = "-"; }
    const minutes = Math.floor(whole / 60);
    const secs = String(whole % 60).padStart(2, "0");
    return sign + minutes + ":" + secs;
  }

  function remaining(clock, now) {
    if (clock.started_at === null) return clock.duration;
    const end = clock.paused_at !== null ? clock.paused_at : now;
    return clock.duration - Math.max(0, end - clock.started_at - clock.paused_total);
  }

  function level(clock, left) {
    if (clock.started_at === null) return "idle";
    if (left < 0) return "overtime";
    if (left <= clock.danger) return "danger";
    if (left <= clock.warning) return "warning";
    return "normal";
  }

  function tick() {
    if (!state || !state.clock) return;
    const now = Date.now() / 1000 + offset;
    const left = remaining(state.clock, now);
    $("digits").textContent = format(left);
    const box = $("clock");
    box.className = level(state.clock, left) + (state.clock.paused ? " paused" : "");
    $("paused").hidden = !state.clock.paused || left < 0;
  }

  function text(id, value) { $(id).textContent = value || ""; }

  function turnout(data) {
    const box = $("turnout");
    box.replaceChildren();
    box.hidden = !data;
    if (!data) return;
    const total = document.createElement("div");
    total.className = "total";
    total.textContent = data.status + " · " + data.total;
    box.append(total);
    for (const [name, n, wanted] of data.rows) {
      const row = document.createElement("div");
      row.className = "row";
      const label = document.createElement("span");
      label.textContent = name;
      const bar = document.createElement("div");
      bar.className = "bar";
      const fill = document.createElement("span");
      fill.style.width = (wanted ? Math.min(100, (100 * n) / wanted) : 0) + "%";
      bar.append(fill);
      const count = document.createElement("span");
      count.textContent = n + "/" + wanted;
      row.append(label, bar, count);
      box.append(row);
    }
  }

  function results(data) {
    const section = $("results");
    section.hidden = !data;
    $("stage").hidden = !!data;
    if (!data) return;
    const head = section.querySelector("thead");
    const rows = section.querySelector("tbody");
    const header = document.createElement("tr");
    for (const column of data.columns) {
      const cell = document.createElement("th");
      cell.textContent = column;
      header.append(cell);
    }
    head.replaceChildren(header);
    rows.replaceChildren();
    // Rows spread to the height: every subject on one screen, as large as that allows.
    const size = Math.max(1.4, Math.min(5, 84 / (data.rows.length + 1) / 1.35)); // vh
    data.rows.forEach((values, index) => {
      const row = document.createElement("tr");
      if (index === data.selected) row.className = "selected";
      for (const value of values) {
        const cell = document.createElement("td");
        cell.textContent = value;
        cell.style.fontSize = size + "vh";
        row.append(cell);
      }
      rows.append(row);
    });
  }

  function show(next) {
    state = next;
    offset = next.now - Date.now() / 1000;
    body.classList.toggle("blank", next.blank);
    text("title", next.title);
    text("phase", next.subject ? next.phase + " · " + next.subject : next.phase);
    text("unit", next.unit);
    $("clock").hidden = !next.clock;
    $("asking").hidden = !next.asking;
    if (next.asking) { text("asking-title", next.asking.title); text("asking-text", next.asking.text); }
    $("qr-column").hidden = !next.qr;
    if (next.qr) {
      const source = "/screen/qr.svg?key=" + encodeURIComponent(key) + "&a=" + encodeURIComponent(next.address);
      if ($("qr").getAttribute("src") !== source) $("qr").setAttribute("src", source);
      text("address", next.address);
    }
    turnout(next.turnout);
    text("note", next.note);
    results(next.results);
    tick();
  }

  const events = new EventSource("/screen/events?key=" + encodeURIComponent(key));
  events.onmessage = (event) => { $("lost").hidden = true; show(JSON.parse(event.data)); };
  events.onerror = () => { $("lost").hidden = false; }; // the browser reconnects by itself
  setInterval(tick, 200);
})();
