// The peers' side of scenario 6 of bench/peers.py: the BFF route Overseer is configured with in
// bench/bff.py, written as a plain Node http server (stdlib only), the same whether it runs alone,
// under cluster.js (APP_SCRIPT) or under `pm2 start -i 2`.
//   GET /api/bench/:id  -> $BACKEND/products/:id and $BACKEND/inventory/:id in parallel, the two
//                          answers repaired into one document as conf/transforms/product.jslt does
//   GET /, /health      -> "ok"
// Every answer carries X-Pid so the benchmark can tell the workers apart. Listens on 127.0.0.1:$PORT.
// As in Overseer, both calls are required: the first one to fail answers 502 naming it at once.
// Unlike Overseer there is no retry and no per-request deadline besides the call timeout: with a
// healthy backend (the benchmark's) neither comes into play.
'use strict';
const http = require('http');

const PORT = Number(process.env.PORT);
const HOST = '127.0.0.1';
const BACKEND = new URL(process.env.BACKEND || 'http://127.0.0.1:9090');
const CALL_TIMEOUT_MS = 2000;   // Overseer's limits.default-timeout
if (!Number.isInteger(PORT) || PORT <= 0) {
  console.error('bff.js: PORT must be set to a port number');
  process.exit(2);
}
// Keep-alive: without it every call would open a connection, which no BFF in production does.
const agent = new http.Agent({ keepAlive: true });

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'X-Pid': String(process.pid) });
  res.end(body);
}

class UpstreamError extends Error {
  constructor(upstream, cause) {
    super(`${upstream}: ${cause}`);
    this.upstream = upstream;
    this.reason = cause;
  }
}

/** GET of one upstream's JSON; rejects with an UpstreamError naming it. */
function call(upstream, path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ agent, hostname: BACKEND.hostname, port: BACKEND.port, path,
      timeout: CALL_TIMEOUT_MS }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        if (res.statusCode < 200 || res.statusCode > 299) {
          reject(new UpstreamError(upstream, `bad status ${res.statusCode}`));
          return;
        }
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(new UpstreamError(upstream, 'invalid JSON'));
        }
      });
      res.on('error', (e) => reject(new UpstreamError(upstream, e.message)));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => reject(new UpstreamError(upstream, e.message)));
  });
}

// --- conf/transforms/product.jslt, in JavaScript ------------------------------------------------
// JSLT's rules that matter here: a missing key reads as null; `if` treats null, false, 0, "", []
// and {} as false; number() turns a numeric string into a number and leaves null alone; and an
// object constructor leaves out every key whose value is null, [] or {} (so for product 1, which
// has no seller and no reviews upstream, "seller", "reviews", "averageRating" and "partial" are
// absent, not null or []). One difference shows in the text, not in the value a client reads:
// JSLT writes number("20.00") as 20.0, JavaScript as 20.

function truthy(v) {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function number(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  throw new Error(`number(): cannot convert ${JSON.stringify(v)}`);
}

/** An object as JSLT builds one: keys with null, [] or {} values left out. */
function object(entries) {
  const out = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

/** `.a.b.c` of JSLT: null as soon as a step is missing or not an object. */
function at(value, ...keys) {
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    value = value[key] === undefined ? null : value[key];
  }
  return value;
}

/** `[for (list) f(.)]`: null over null, as JSLT's for does. */
function forEach(list, f) {
  return list === null ? null : list.map(f);
}

function productView(input) {
  const attributes = at(input, 'product', 'data', 'attributes');
  const reviews = at(input, 'reviews');
  const ratings = reviews === null ? null
    : reviews.filter((r) => truthy(at(r, 'rating'))).map((r) => number(at(r, 'rating')));
  return object({
    id: number(at(input, 'product', 'data', 'id')),
    name: at(attributes, 'name'),
    description: at(attributes, 'description'),
    price: number(at(attributes, 'price', 'amount')),
    currency: at(attributes, 'price', 'currency'),
    discount: truthy(at(attributes, 'discount')) ? number(at(attributes, 'discount')) : 0,
    tags: truthy(at(attributes, 'tags')) ? at(attributes, 'tags') : [],
    stock: truthy(at(input, 'inventory')) ? object({
      available: number(at(input, 'inventory', 'stock', 'available')),
      reserved: truthy(at(input, 'inventory', 'stock', 'reserved'))
        ? number(at(input, 'inventory', 'stock', 'reserved')) : 0,
    }) : null,
    seller: truthy(at(input, 'seller')) ? object({
      id: number(at(input, 'seller', 'id')),
      name: at(input, 'seller', 'profile', 'display_name'),
      rating: number(at(input, 'seller', 'profile', 'rating')),
      country: truthy(at(input, 'seller', 'profile', 'country')) ? at(input, 'seller', 'profile', 'country') : 'unknown',
    }) : null,
    reviews: forEach(reviews, (r) => object({
      title: at(r, 'title'),
      author: at(r, 'author', 'name'),
      rating: truthy(at(r, 'rating')) ? number(at(r, 'rating')) : null,
    })),
    averageRating: truthy(ratings)
      ? Math.round(ratings.reduce((a, b) => a + b, 0) / ratings.length * 10) / 10 : null,
    partial: truthy(at(input, 'partial')) ? at(input, 'partial') : [],
  });
}

// --- the route ----------------------------------------------------------------------------------

async function bench(id, res) {
  const encoded = encodeURIComponent(id);   // as Overseer fills in {path.id}: percent-encoded
  let product, inventory;
  try {
    [product, inventory] = await Promise.all([
      call('product', `/products/${encoded}`),
      call('inventory', `/inventory/${encoded}`),
    ]);
  } catch (e) {
    send(res, 502, 'application/json', JSON.stringify(
      { error: 'upstream failed', route: 'bench', upstream: e.upstream, cause: e.reason }));
    return;
  }
  let body;
  try {
    // The transform's input, shaped as Overseer's: request roots, one key per upstream, "partial".
    body = JSON.stringify(productView({ path: { id }, query: {}, body: null, product, inventory, partial: [] }));
  } catch (e) {
    send(res, 500, 'application/json', JSON.stringify({ error: 'transform failed', route: 'bench' }));
    return;
  }
  send(res, 200, 'application/json', body);
}

const ROUTE = /^\/api\/bench\/([^/]+)$/;

const server = http.createServer((req, res) => {
  const path = req.url.split('?')[0];
  const match = ROUTE.exec(path);
  if (req.method === 'GET' && match) {
    let id;
    try {
      id = decodeURIComponent(match[1]);
    } catch (e) {
      send(res, 400, 'application/json', JSON.stringify({ error: 'malformed path' }));
      return;
    }
    bench(id, res);
  } else if (path === '/' || path === '/health') {
    send(res, 200, 'text/plain', 'ok');
  } else {
    send(res, 404, 'text/plain', 'not found');
  }
});

server.listen(PORT, HOST, () => {
  // pm2 waits for this message when started with --wait-ready; harmless otherwise.
  if (process.send) process.send('ready');
});
