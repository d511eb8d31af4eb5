// The teaching page: toggles -> attractor colours, time course, explanations, exercises.
// Plain JavaScript, no library; every request goes to the server that served this page.
"use strict";

const state = {
  model: null,
  settings: { inputs: {}, drugs: {}, mutations: {} },
  before: null,        // the settings before the last change (the time course starts there)
  status: {},
  selected: null,
  pending: 0,
};

function $(selector) { return document.querySelector(selector); }

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

async function api(path, body) {
  state.pending += 1;
  $("#busy").hidden = false;
  try {
    const options = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    const response = await fetch(path, options);
    const type = response.headers.get("Content-Type") || "";
    const data = type.startsWith("application/json") ? await response.json() : await response.text();
    if (!response.ok) throw new Error(data.error || String(data));
    return data;
  } finally {
    state.pending -= 1;
    $("#busy").hidden = state.pending === 0;
  }
}

function showError(error) {
  const footer = $("#error");
  footer.textContent = String(error.message || error);
  footer.hidden = false;
  setTimeout(() => { footer.hidden = true; }, 8000);
}

function copy(settings) { return JSON.parse(JSON.stringify(settings)); }

function svgOnly(text) {
  const start = text.indexOf("<svg");
  return start >= 0 ? text.slice(start) : text;
}

// -- the explore tab ------------------------------------------------------------------------

function buildToggles() {
  const box = $("#toggles");
  box.textContent = "";
  for (const group of state.model.toggles) {
    const fieldset = element("fieldset");
    fieldset.append(element("legend", {}, group.part));
    for (const name of group.nodes) {
      const label = element("label");
      const description = (state.model.nodes.find((n) => n.name === name) || {}).description || "";
      label.title = description;
      const box = element("input", { type: "checkbox", "data-node": name, "data-section": group.section });
      box.addEventListener("change", () => {
        const next = copy(state.settings);
        delete next.inputs[name];
        delete next.drugs[name];
        if (box.checked) next[group.section][name] = 1;
        change(next);
      });
      label.append(box, " " + name);
      fieldset.append(label);
    }
    box.append(fieldset);
  }
  const select = $("#mutation-node");
  for (const node of state.model.nodes) {
    select.append(element("option", { value: node.name }, node.name));
  }
  for (const [button, value] of [["#knock-out", 0], ["#activate", 1]]) {
    $(button).addEventListener("click", () => {
      const name = select.value;
      const next = copy(state.settings);
      delete next.inputs[name];
      delete next.drugs[name];
      next.mutations[name] = value;
      change(next);
    });
  }
  const presets = $("#preset");
  for (const preset of state.model.presets) {
    presets.append(element("option", { value: preset.id }, `${preset.id}: ${preset.name}`));
  }
  presets.addEventListener("change", () => {
    const preset = state.model.presets.find((p) => p.id === presets.value);
    if (preset) change(copy(preset.settings));
  });
  // A scenario file of the student's: the server reads it confined to a folder of its own
  // and answers its settings, or the reason it cannot (shown in the error line).
  const opener = $("#scenario-file");
  opener.addEventListener("change", async () => {
    const file = opener.files[0];
    if (!file) return;
    try {
      const opened = await api("/api/scenario", { name: file.name, text: await file.text() });
      presets.value = "";
      change(copy(opened.settings));
    } catch (error) {
      showError(error);
    } finally {
      opener.value = "";
    }
  });
}

function showSettings() {
  for (const box of document.querySelectorAll("#toggles input[data-node]")) {
    const name = box.dataset.node;
    box.checked = state.settings.inputs[name] === 1 || state.settings.drugs[name] === 1;
    box.disabled = name in state.settings.mutations;
  }
  const list = $("#mutation-list");
  list.textContent = "";
  for (const [name, value] of Object.entries(state.settings.mutations)) {
    const item = element("li", { "data-node": name }, `${name} = ${value} (${value ? "active" : "lost"})`);
    const remove = element("button", { type: "button", title: "remove this mutation" }, "×");
    remove.addEventListener("click", () => {
      const next = copy(state.settings);
      delete next.mutations[name];
      change(next);
    });
    item.append(remove);
    list.append(item);
  }
}

function colour(status) {
  const colours = state.model.colours;
  for (const rect of document.querySelectorAll("#network rect[data-node]")) {
    const value = status[rect.dataset.node] || "unknown";
    rect.setAttribute("fill", colours[value] || colours.unknown);
    rect.setAttribute("class", `node ${value}`);
    rect.setAttribute("data-value", value);
    rect.setAttribute("stroke-dasharray", value === "unknown" ? "3 2" : "none");
  }
}

function summarise(result) {
  const readouts = state.model.readouts.map((n) => `${n} ${result.status[n]}`).join(", ");
  const count = result.attractors;
  $("#summary").textContent =
    `${count} attractor${count === 1 ? "" : "s"} reached` + (readouts ? `: ${readouts}` : "");
}

async function change(next) {
  state.before = state.model.ready ? copy(state.settings) : null;
  state.settings = next;
  state.model.ready = true;
  showSettings();
  try {
    const result = await api("/api/run", state.settings);
    state.status = result.status;
    colour(result.status);
    summarise(result);
    const updates = [timeCourse()];
    if (state.selected) updates.push(explain(state.selected));
    await Promise.all(updates);
  } catch (error) {
    showError(error);
  }
}

async function timeCourse() {
  // the key readouts, and the node last clicked
  const nodes = [...state.model.readouts];
  if (state.selected && !nodes.includes(state.selected)) nodes.push(state.selected);
  const course = await api("/api/simulate", {
    settings: state.settings, before: state.before, cells: 500, time: 15, nodes,
  });
  const box = $("#timecourse");
  box.innerHTML = svgOnly(course.svg);
  box.dataset.title = course.title;
  box.dataset.activity = JSON.stringify(course.activity);
}

async function explain(name) {
  state.selected = name;
  for (const rect of document.querySelectorAll("#network rect.selected")) rect.classList.remove("selected");
  const rect = document.querySelector(`#network rect[data-node="${CSS.escape(name)}"]`);
  if (rect) rect.classList.add("selected");
  const box = $("#explanation");
  box.textContent = "";
  box.append(element("p", { class: "hint" }, `asking why ${name}…`));
  const answer = await api("/api/explain", { settings: state.settings, node: name });
  box.textContent = "";
  box.dataset.node = answer.node;
  box.append(element("pre", {}, answer.text));
  const picture = element("div", { class: "picture" });
  picture.innerHTML = svgOnly(answer.svg);
  box.append(picture);
}

// -- the exercises tab ----------------------------------------------------------------------

function buildExerciseList() {
  const list = $("#exercise-list");
  list.textContent = "";
  if (!state.model.exercises.length) {
    list.append(element("p", { class: "hint" }, "No exercises for this model."));
    return;
  }
  for (const exercise of state.model.exercises) {
    const button = element("button", { type: "button", "data-exercise": exercise.id },
      `${exercise.id} (level ${exercise.level}): ${exercise.title}`);
    button.addEventListener("click", () => openExercise(exercise.id).catch(showError));
    list.append(button);
  }
}

const CHOICES = {
  status: ["on", "off", "oscillates"],
  direction: ["higher", "lower", "same"],
};

async function openExercise(id) {
  const exercise = await api(`/api/exercise?id=${encodeURIComponent(id)}`);
  const box = $("#exercise");
  box.textContent = "";
  box.dataset.exercise = id;
  box.append(element("h2", {}, exercise.title));
  box.append(element("p", {}, exercise.goal));
  if (exercise.introduction) box.append(element("p", { class: "hint" }, exercise.introduction.trim()));
  const form = element("form", { id: "answers" });
  for (const question of exercise.questions) {
    const part = element("div", { class: "question", "data-question": question.id });
    part.append(element("p", {}, `${question.id}. ${question.prompt}`));
    if (question.kind in CHOICES) {
      for (const node of question.nodes) {
        const item = element("div", { class: "item" });
        const select = element("select", { name: `${question.id}:${node}`, "data-node": node });
        select.append(element("option", { value: "" }, "—"));
        for (const word of CHOICES[question.kind]) select.append(element("option", { value: word }, word));
        item.append(element("span", {}, node + " "), select);
        part.append(item);
      }
    } else if (question.kind === "choice") {
      for (const option of question.options) {
        const label = element("label", { class: "item" });
        label.append(element("input", { type: "checkbox", name: `${question.id}:choice`, value: option.label }),
          ` ${option.label}) ${option.text}`);
        part.append(label);
      }
    } else {
      part.append(element("input", {
        type: "text", name: `${question.id}:order`, size: "60",
        placeholder: `first to last: ${question.nodes.join(", ")}`,
      }));
    }
    if (question.hints.length) {
      const details = element("details");
      details.append(element("summary", {}, "hints"));
      for (const hint of question.hints) details.append(element("p", { class: "hint" }, hint));
      part.append(details);
    }
    part.append(element("div", { class: "marks" }));
    form.append(part);
  }
  const check = element("button", { type: "submit", id: "check" }, "Check my predictions");
  form.append(check, element("p", { id: "score" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    grade(id, form, exercise).catch(showError);
  });
  box.append(form);
}

async function grade(id, form, exercise) {
  const answers = {};
  for (const question of exercise.questions) {
    if (question.kind in CHOICES) {
      const given = {};
      for (const select of form.querySelectorAll(`select[name^="${question.id}:"]`)) {
        if (select.value) given[select.dataset.node] = select.value;
      }
      if (Object.keys(given).length) answers[question.id] = given;
    } else if (question.kind === "choice") {
      const picked = [...form.querySelectorAll(`input[name="${question.id}:choice"]:checked`)].map((b) => b.value);
      if (picked.length) answers[question.id] = picked;
    } else {
      const text = form.querySelector(`input[name="${question.id}:order"]`).value.trim();
      if (text) answers[question.id] = text;
    }
  }
  const graded = await api("/api/grade", { id, answers });
  for (const question of graded.questions) {
    const box = form.querySelector(`.question[data-question="${CSS.escape(question.id)}"] .marks`);
    box.textContent = "";
    for (const mark of question.marks) {
      const line = element("div", { class: `mark ${mark.correct ? "correct" : "wrong"}`, "data-item": mark.item });
      const yours = mark.answer === null ? "no answer" : `you: ${[].concat(mark.answer).join(", ")}`;
      line.textContent = `${mark.correct ? "✓" : "✗"} ${mark.item}: model ${[].concat(mark.model).join(", ")} (${yours})`;
      if (mark.explanation) line.append(element("pre", {}, mark.explanation));
      box.append(line);
    }
  }
  $("#score").textContent = `Score: ${graded.score} / ${graded.out_of}`;
}

// -- start ----------------------------------------------------------------------------------

function zoom(factor) {
  const picture = $("#network svg");
  if (!picture) return;
  state.zoom = factor === null ? 1 : Math.min(4, Math.max(0.5, (state.zoom || 1) * factor));
  picture.style.width = `${100 * state.zoom}%`;
}

function showTab(name) {
  $("#explore").hidden = name !== "explore";
  $("#exercises").hidden = name !== "exercises";
  $("#tab-explore").classList.toggle("active", name === "explore");
  $("#tab-exercises").classList.toggle("active", name === "exercises");
}

async function start() {
  state.model = await api("/api/model");
  $("#model-name").textContent = state.model.model;
  $("#network").innerHTML = svgOnly(await api("/api/network.svg"));
  $("#network").addEventListener("click", (event) => {
    const target = event.target.closest("[data-node]");
    if (!target) return;
    const added = !state.model.readouts.includes(target.dataset.node);
    explain(target.dataset.node)
      .then(() => (added ? timeCourse() : null))
      .catch(showError);
  });
  zoom(null);  // fit the width; + and - zoom
  $("#zoom-in").addEventListener("click", () => zoom(1.25));
  $("#zoom-out").addEventListener("click", () => zoom(0.8));
  $("#zoom-fit").addEventListener("click", () => zoom(null));
  $("#tab-explore").addEventListener("click", () => showTab("explore"));
  $("#tab-exercises").addEventListener("click", () => showTab("exercises"));
  buildToggles();
  buildExerciseList();
  const first = state.model.presets.find((p) => p.id === "01_fed") || state.model.presets[0];
  if (first) $("#preset").value = first.id;
  await change(first ? copy(first.settings) : { inputs: {}, drugs: {}, mutations: {} });
  document.body.dataset.ready = "true";
}

start().catch(showError);
