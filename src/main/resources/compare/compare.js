// The compare page: one query sent to Solr's /hybrid handler once per column (stage), the rankings side by side.
'use strict';

const RERANK_OFF = '{!crossencoder enabled=false}';
const STAGES = {
  lexical: { label: 'lexical', mode: 'lexical', rerank: false },
  vector: { label: 'vector', mode: 'vector', rerank: false },
  rrf: { label: 'rrf', mode: 'rrf', rerank: false },
  'rrf+ce': { label: 'rrf + cross-encoder', mode: 'rrf', rerank: true },
};
const DEFAULT_COLUMNS = ['lexical', 'vector', 'rrf', 'rrf+ce'];
const TIMINGS = [
  ['embed', 'hybrid', 'embedMs'], ['lexical', 'hybrid', 'lexicalMs'], ['vector', 'hybrid', 'vectorMs'],
  ['fuse', 'hybrid', 'fuseMs'], ['loadText', 'rerank', 'loadTextMs'], ['tokenize', 'rerank', 'tokenizeMs'],
  ['inference', 'rerank', 'inferenceMs'],
];
const VARIANTS_KEY = 'compare.variants';
const TOP = 10;

const $ = (id) => document.getElementById(id);
let config = { collection: '', solr: '/solr' };
let judged = [];
let searchId = 0;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

// --- variants: named sets of extra request parameters, kept in this browser
function loadVariants() {
  try { return JSON.parse(localStorage.getItem(VARIANTS_KEY)) || {}; } catch (e) { return {}; }
}
function saveVariants(v) { localStorage.setItem(VARIANTS_KEY, JSON.stringify(v)); }

function columnChoices() {
  const choices = Object.entries(STAGES).map(([id, s]) => [id, s.label]);
  for (const name of Object.keys(loadVariants())) choices.push(['variant:' + name, 'variant: ' + name]);
  return choices;
}

function fillColumnPickers(selected) {
  const choices = columnChoices();
  document.querySelectorAll('.col-pick').forEach((sel, i) => {
    const want = selected[i] !== undefined ? selected[i] : sel.value;
    sel.replaceChildren(el('option', { value: '' }, '(none)'));
    for (const [id, label] of choices) sel.append(el('option', { value: id }, label));
    sel.value = choices.some(([id]) => id === want) ? want : '';
  });
}

function renderVariantList() {
  const list = $('variant-list');
  list.replaceChildren();
  for (const [name, params] of Object.entries(loadVariants())) {
    const del = el('button', { type: 'button', 'aria-label': 'Delete variant ' + name }, 'delete');
    del.addEventListener('click', () => {
      const v = loadVariants(); delete v[name]; saveVariants(v);
      renderVariantList(); fillColumnPickers([]);
    });
    list.append(el('li', {}, el('strong', {}, name), ': ', el('code', {}, params), del));
  }
}

// --- state in the URL: q, cols, k, weights, rrfk
function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get('q') || '',
    cols: p.has('cols') ? p.get('cols').split(',') : DEFAULT_COLUMNS,
    k: p.get('k') || '', weights: p.get('weights') || '', rrfk: p.get('rrfk') || '',
  };
}
function formState() {
  return {
    q: $('q').value.trim(),
    cols: [...document.querySelectorAll('.col-pick')].map((s) => s.value),
    k: $('k').value.trim(), weights: $('weights').value.trim(), rrfk: $('rrfk').value.trim(),
  };
}
function writeState(s) {
  const p = new URLSearchParams();
  p.set('q', s.q);
  p.set('cols', s.cols.join(','));
  for (const key of ['k', 'weights', 'rrfk']) if (s[key]) p.set(key, s[key]);
  history.replaceState(null, '', '?' + p.toString());
}

// --- requests
function stageRequest(column, s) {
  // passageText: the reranked docs' passages come as text, since the page cannot know the parser's fields
  const p = new URLSearchParams({ q: s.q, rows: String(TOP), fl: 'id,title,text,score,[hybrid passageText=true]', debug: 'timing', wt: 'json' });
  if (s.weights) p.set('hybrid.weights', s.weights);
  if (s.rrfk) p.set('hybrid.rrf.k', s.rrfk);
  const stage = STAGES[column] || STAGES['rrf+ce'];
  p.set('hybrid.mode', stage.mode);
  if (!stage.rerank) p.set('rq', RERANK_OFF);
  else if (s.k) p.set('rq', '{!crossencoder reRankDocs=' + s.k + '}');
  if (stage.rerank && Number(s.k) > 100) {
    // the first-stage lists must be as long as K for K to be reranked
    p.set('hybrid.lexical.topN', s.k); p.set('hybrid.vector.topN', s.k);
  }
  if (column.startsWith('variant:')) {
    const extra = loadVariants()[column.slice('variant:'.length)] || '';
    for (const [k, v] of new URLSearchParams(extra)) p.set(k, v);
  }
  return p;
}
function reranks(params) { return params.get('rq') !== RERANK_OFF; }

// The first stage a reranked column reordered: the same request with the rerank off, as deep as K.
function firstStageRequest(params, s) {
  const p = new URLSearchParams(params);
  p.set('rq', RERANK_OFF); p.set('fl', 'id'); p.delete('debug');
  p.set('rows', String(Math.max(TOP, Number(s.k) || 100)));
  return p;
}

function solrUrl(params) {
  return config.solr + '/' + encodeURIComponent(config.collection) + '/hybrid?' + params.toString();
}

async function solr(params) {
  const rsp = await fetch(solrUrl(params), { headers: { Accept: 'application/json' } });
  let body;
  try { body = await rsp.json(); } catch (e) { body = null; }
  if (!rsp.ok || !body || body.error) {
    const msg = body && body.error && body.error.msg ? body.error.msg : 'HTTP ' + rsp.status;
    throw Object.assign(new Error(msg), { status: rsp.status });
  }
  return body;
}

// --- metrics: trec_eval's nDCG@k (linear gain, log2 discount, ideal cut at k) and recall@k
function ndcg(ranking, qrels, k) {
  let dcg = 0;
  ranking.slice(0, k).forEach((id, i) => { const g = qrels[id] || 0; if (g > 0) dcg += g / Math.log2(i + 2); });
  const grades = Object.values(qrels).sort((a, b) => b - a).slice(0, k);
  let ideal = 0;
  grades.forEach((g, i) => { if (g > 0) ideal += g / Math.log2(i + 2); });
  return ideal === 0 ? 0 : dcg / ideal;
}
function recall(ranking, qrels, k) {
  const relevant = Object.values(qrels).filter((g) => g > 0).length;
  if (relevant === 0) return 0;
  return ranking.slice(0, k).filter((id) => (qrels[id] || 0) > 0).length / relevant;
}

// --- rendering
function columnLabel(column) {
  return STAGES[column] ? STAGES[column].label : column.replace('variant:', 'variant: ');
}

// The passage the cross-encoder read, where it read one; else the head of the text.
function snippet(doc) {
  const h = doc['[hybrid]'] || {};
  if (typeof h.ce_passage_text === 'string') {
    return el('div', { class: 'snippet passage', title: 'the passage the cross-encoder read (characters '
      + h.ce_passage[0] + '–' + h.ce_passage[1] + ' of its text)' }, h.ce_passage_text);
  }
  const text = Array.isArray(doc.text) ? doc.text.join(' ') : doc.text || '';
  return el('div', { class: 'snippet' }, text.length > 220 ? text.slice(0, 220).replace(/\s+\S*$/, '') + ' …' : text);
}

function firstStageFacts(doc, firstRanks) {
  const h = doc['[hybrid]'] || {};
  const facts = [];
  if (firstRanks) {
    const before = firstRanks.get(doc.id);
    facts.push(el('span', { class: 'first-rank', 'data-first-rank': before || '' }, 'first stage #' + (before || '–')));
    return facts;
  }
  if (h.lexical_rank !== undefined) facts.push(el('span', { class: 'lexical-rank' }, 'lexical #' + h.lexical_rank));
  if (h.vector_rank !== undefined) facts.push(el('span', { class: 'vector-rank' }, 'vector #' + h.vector_rank));
  return facts;
}

function moveMarker(rank, before) {
  if (!before) return el('span', { class: 'move up', title: 'not in the first stage' }, 'new');
  const d = before - rank;
  if (d > 0) return el('span', { class: 'move up', 'aria-label': 'up ' + d }, '▲' + d);
  if (d < 0) return el('span', { class: 'move down', 'aria-label': 'down ' + -d }, '▼' + -d);
  return el('span', { class: 'move same', 'aria-label': 'unchanged' }, '=');
}

function renderDocs(section, body, qrels, firstRanks) {
  const docs = body.response.docs;
  const list = el('ol', { class: 'docs' });
  docs.forEach((doc, i) => {
    const grade = qrels ? qrels[doc.id] || 0 : 0;
    const facts = el('div', { class: 'facts' },
      el('span', { class: 'score' }, 'score ' + Number(doc.score).toPrecision(4)),
      el('span', { class: 'id' }, 'id ' + doc.id),
      ...firstStageFacts(doc, firstRanks));
    if (firstRanks) facts.append(moveMarker(i + 1, firstRanks.get(doc.id)));
    const title = el('div', { class: 'title' }, String(doc.title || '(no title)'));
    if (grade > 0) title.prepend(el('span', { class: 'badge', title: 'judged relevant, grade ' + grade }, 'relevant ' + grade), ' ');
    list.append(el('li', { class: 'doc' + (grade > 0 ? ' relevant' : ''), 'data-id': doc.id, 'data-grade': String(grade) },
      title, snippet(doc), facts));
  });
  section.append(list);
  return docs.map((d) => d.id);
}

function renderTimings(section, body, scale) {
  const debug = body.debug || {};
  const chart = el('div', { class: 'timings', role: 'img' });
  const said = [];
  for (const [name, part, key] of TIMINGS) {
    const ms = debug[part] && typeof debug[part][key] === 'number' ? debug[part][key] : null;
    if (ms === null) continue;
    said.push(name + ' ' + ms.toFixed(1) + ' ms');
    const fill = el('span', { class: 'fill' });
    fill.style.width = Math.min(100, (100 * ms) / scale) + '%';
    chart.append(el('div', { class: 'bar', 'data-stage': name },
      el('span', {}, name), el('span', { class: 'track' }, fill), el('span', { class: 'ms' }, ms.toFixed(1) + ' ms')));
  }
  chart.setAttribute('aria-label', 'timings: ' + (said.join(', ') || 'none reported'));
  section.append(chart);
}

function judgedFor(q) {
  const hit = judged.find((j) => j.text === q);
  return hit ? hit.qrels : null;
}

async function search(s) {
  const id = ++searchId;
  const container = $('columns');
  container.replaceChildren();
  $('settings-error').hidden = true;
  const columns = s.cols.filter((c) => c);
  if (!s.q || columns.length === 0) { $('status').textContent = s.q ? 'No column chosen.' : ''; return; }
  const qrels = judgedFor(s.q);
  $('status').textContent = 'Searching “' + s.q + '” in ' + columns.length + ' columns…' + (qrels ? ' (judged query)' : '');
  const sections = columns.map((column, i) => {
    const params = stageRequest(column, s);
    const section = el('section', { class: 'column', 'data-stage': column, 'data-state': 'loading',
      'data-request': params.toString(), 'aria-labelledby': 'col-title-' + i, 'aria-busy': 'true' },
      el('h2', { id: 'col-title-' + i }, columnLabel(column)));
    container.append(section);
    return { column, params, section };
  });
  const results = await Promise.all(sections.map(async (c) => {
    try {
      const body = await solr(c.params);
      const first = reranks(c.params) ? await solr(firstStageRequest(c.params, s)) : null;
      return { ...c, body, first };
    } catch (e) {
      return { ...c, error: e };
    }
  }));
  if (id !== searchId) return; // a newer search replaced this one
  const scale = Math.max(1, ...results.filter((r) => r.body).flatMap((r) =>
    TIMINGS.map(([, part, key]) => (r.body.debug && r.body.debug[part] && r.body.debug[part][key]) || 0)));
  let failed = 0;
  for (const r of results) {
    const { section } = r;
    section.removeAttribute('aria-busy');
    const link = el('a', { href: solrUrl(r.params), class: 'request-link' }, 'request');
    if (r.error) {
      failed++;
      section.dataset.state = 'error';
      section.append(el('p', { class: 'error', role: 'alert' }, 'Solr: ' + r.error.message), el('p', { class: 'meta' }, link));
      if (r.error.status === 400) {
        $('settings-error').hidden = false;
        $('settings-error').textContent = 'Solr rejected a value: ' + r.error.message;
      }
      continue;
    }
    const header = r.body.responseHeader || {};
    const status = header['rerank.status'];
    section.dataset.rerankStatus = status || '';
    section.append(el('p', { class: 'meta' },
      'rerank.status: ', el('span', { class: 'rerank-status' }, status || '—'),
      ' · ' + r.body.response.numFound + ' found · ' + header.QTime + ' ms · ', link));
    const firstRanks = r.first ? new Map(r.first.response.docs.map((d, i) => [d.id, i + 1])) : null;
    const metrics = el('p', { class: 'meta metrics' });
    section.append(metrics);
    renderTimings(section, r.body, scale);
    const ranking = renderDocs(section, r.body, qrels, firstRanks);
    if (qrels) {
      const n = ndcg(ranking, qrels, TOP), rc = recall(ranking, qrels, TOP);
      metrics.dataset.ndcg = String(n);
      metrics.dataset.recall = String(rc);
      metrics.textContent = 'nDCG@10 ' + n.toFixed(3) + ' · recall@10 ' + rc.toFixed(3);
    }
    section.dataset.state = 'done';
  }
  $('status').textContent = '“' + s.q + '”: ' + (columns.length - failed) + ' of ' + columns.length + ' columns answered'
    + (qrels ? ', judged query' : '') + '.';
}

function applyForm() {
  const s = formState();
  writeState(s);
  $('judged').value = judged.some((j) => j.text === s.q) ? judged.find((j) => j.text === s.q).id : '';
  search(s);
}

async function loadJson(name, fallback) {
  try {
    const rsp = await fetch(name, { cache: 'no-store' });
    return rsp.ok ? await rsp.json() : fallback;
  } catch (e) {
    return fallback;
  }
}

async function start() {
  config = await loadJson('config.json', config);
  judged = ((await loadJson('judgments.json', { queries: [] })).queries) || [];
  if (judged.length) {
    const picker = $('judged');
    for (const j of judged) picker.append(el('option', { value: j.id }, j.id + ': ' + j.text));
    $('judged-picker').hidden = false;
    picker.addEventListener('change', () => {
      const j = judged.find((x) => x.id === picker.value);
      if (j) { $('q').value = j.text; applyForm(); }
    });
  }
  const s = readState();
  $('q').value = s.q; $('k').value = s.k; $('weights').value = s.weights; $('rrfk').value = s.rrfk;
  fillColumnPickers(s.cols);
  renderVariantList();
  $('search').addEventListener('submit', (e) => { e.preventDefault(); applyForm(); });
  $('settings').addEventListener('submit', (e) => { e.preventDefault(); applyForm(); });
  $('variant-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = loadVariants();
    v[$('variant-name').value.trim()] = $('variant-params').value.trim();
    saveVariants(v);
    renderVariantList(); fillColumnPickers([]);
    $('variant-name').value = ''; $('variant-params').value = '';
  });
  if (s.q) applyForm();
}

start();
