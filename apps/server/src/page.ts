/**
 * The web page at `/`: a list of builds and one build's classic log, live.
 * The server renders the log with `@gantry/log-format` and sends it over the
 * events route. The script only appends text, so no build output is read as
 * HTML. With a token set, the browser prompts for it once (HTTP Basic, any user
 * name) and sends it with every later request of the page.
 */
import { sendText } from './respond.js';
import type { RequestContext, Route } from './router.js';

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gantry builds</title>
<link rel="stylesheet" href="/page.css">
<script src="/page.js" defer></script>
</head>
<body>
<header><h1>gantry builds</h1></header>
<main>
<nav aria-label="Builds"><ul id="builds"></ul><p id="empty" hidden>No builds yet.</p></nav>
<section aria-live="polite">
<h2 id="title">Select a build</h2>
<p id="state"></p>
<pre id="log"></pre>
</section>
</main>
</body>
</html>
`;

const CSS = `body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; }
header { background: #1b1f24; color: #fff; padding: 0.5rem 1rem; }
header h1 { font-size: 1.2rem; margin: 0; }
main { display: grid; grid-template-columns: minmax(14rem, 22rem) 1fr; gap: 1rem; padding: 1rem; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li { margin-bottom: 0.25rem; }
nav a { display: block; padding: 0.35rem 0.5rem; border-radius: 4px; text-decoration: none; color: inherit; }
nav a[aria-current="true"] { background: #dde6f0; }
.state-succeeded { color: #1a7f37; } .state-failed { color: #cf222e; }
.state-cancelled { color: #6e7781; } .state-running, .state-queued { color: #9a6700; }
pre { background: #f6f8fa; padding: 0.75rem; overflow: auto; min-height: 10rem; white-space: pre-wrap; }
`;

const SCRIPT = `'use strict';
const list = document.getElementById('builds');
const empty = document.getElementById('empty');
const title = document.getElementById('title');
const stateLine = document.getElementById('state');
const log = document.getElementById('log');
let selected = '';
let source;

function selectedFromHash() {
  const match = /^#build=([0-9a-f]+)$/.exec(location.hash);
  return match ? match[1] : '';
}

async function refreshList() {
  const response = await fetch('/v1/builds');
  if (!response.ok) return;
  const { builds } = await response.json();
  empty.hidden = builds.length > 0;
  list.replaceChildren(...builds.map(buildItem));
}

function buildItem(build) {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = '#build=' + build.id;
  link.dataset.buildId = build.id;
  link.setAttribute('aria-current', String(build.id === selected));
  const name = build.tags.length > 0 ? build.tags.join(', ') : build.id;
  const state = document.createElement('span');
  state.className = 'state-' + build.state;
  state.textContent = build.state;
  link.append(name + ' ', state);
  item.append(link);
  return item;
}

function showBuild(id) {
  if (source) source.close();
  selected = id;
  log.textContent = '';
  stateLine.textContent = '';
  delete stateLine.dataset.state;
  title.textContent = id ? 'Build ' + id : 'Select a build';
  refreshList();
  if (!id) return;
  showState(id);
  source = new EventSource('/v1/builds/' + id + '/events?format=classic');
  source.addEventListener('log', (message) => {
    log.append(JSON.parse(message.data));
  });
  source.addEventListener('end', (message) => {
    const { state } = JSON.parse(message.data);
    stateLine.textContent = state;
    stateLine.dataset.state = state;
    source.close();
    refreshList();
  });
}

async function showState(id) {
  const response = await fetch('/v1/builds/' + id);
  if (!response.ok) {
    // The server's message gives the reason, such as a build that it no longer keeps.
    const { message } = await response.json().catch(() => ({ message: response.statusText }));
    if (selected === id) stateLine.textContent = message;
    return;
  }
  const { state } = await response.json();
  // The end message may have come first; it has the final state.
  if (selected === id && !stateLine.dataset.state) stateLine.textContent = state;
}

window.addEventListener('hashchange', () => showBuild(selectedFromHash()));
showBuild(selectedFromHash());
setInterval(refreshList, 2000);
`;

/** Routes of the page and its script and style sheet. */
export const PAGE_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/', browser: true, handle: asset(HTML, 'text/html; charset=utf-8') },
  {
    method: 'GET',
    path: '/page.js',
    browser: true,
    handle: asset(SCRIPT, 'text/javascript; charset=utf-8'),
  },
  {
    method: 'GET',
    path: '/page.css',
    browser: true,
    handle: asset(CSS, 'text/css; charset=utf-8'),
  },
];

function asset(text: string, contentType: string) {
  return ({ res }: RequestContext) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'",
    );
    res.setHeader('Cache-Control', 'no-cache');
    sendText(res, 200, text, contentType);
  };
}
