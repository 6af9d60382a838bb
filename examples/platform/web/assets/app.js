// The status page of an example service: it reads the service's own
// Dockerflow endpoints and shows what they say. Only textContent is
// written, so nothing a response holds can run as markup.
"use strict";

function text(id, value) {
  document.getElementById(id).textContent = value;
}

async function readJSON(path) {
  // A failing heartbeat answers 500 with its report: read the body
  // whatever the status.
  const response = await fetch(path, { headers: { Accept: "application/json" }, cache: "no-store" });
  return { status: response.status, body: await response.json() };
}

async function showVersion() {
  try {
    const { body } = await readJSON("/__version__");
    text("version", body.version || "(none)");
    text("commit", body.commit || "(none)");
    text("source", body.source || "(none)");
    text("build", body.build || "(none)");
  } catch (err) {
    text("version", "unreachable: " + err.message);
  }
}

async function showHeartbeat() {
  const status = document.getElementById("heartbeat");
  const rows = document.getElementById("checks");
  try {
    const { status: code, body } = await readJSON("/__heartbeat__");
    status.textContent = body.status + " (" + code + ")";
    status.dataset.status = body.status;
    rows.replaceChildren();
    for (const [name, level] of Object.entries(body.checks || {}).sort()) {
      const row = rows.insertRow();
      row.insertCell().textContent = name;
      row.insertCell().textContent = level;
    }
  } catch (err) {
    status.textContent = "unreachable";
    status.dataset.status = "unreachable";
  }
}

Promise.all([showVersion(), showHeartbeat()]).then(() => {
  document.body.dataset.state = "ready";
});
