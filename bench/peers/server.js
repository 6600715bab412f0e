// The peer app of bench/peers.py: a plain Node http server, the same whether it runs alone, under
// cluster.js or under `pm2 start -i 2`.
//   GET /, /health    -> "ok"
//   GET /compute?n=N  -> sum of 0..N-1 in a blocking loop, as JSON (the seed's head-of-line test)
// Every answer carries X-Pid so the benchmark can tell which worker served it (kill -9 recovery).
// Listens on 127.0.0.1:$PORT only. With GRACEFUL=1 it drains itself on SIGINT (what pm2 reload sends):
// it stops accepting, answers every further request with Connection: close and exits once the last
// connection is closed (pm2 SIGKILLs it after its kill_timeout, 1.6 s, if a client keeps one open).
'use strict';
const http = require('http');
const net = require('net');

const PORT = Number(process.env.PORT);
const HOST = '127.0.0.1';
if (!Number.isInteger(PORT) || PORT <= 0) {
  console.error('server.js: PORT must be set to a port number');
  process.exit(2);
}
let draining = false;

function send(res, status, type, body) {
  const headers = { 'Content-Type': type, 'X-Pid': String(process.pid) };
  if (draining) headers.Connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/' || url.pathname === '/health') {
    send(res, 200, 'text/plain', 'ok');
  } else if (url.pathname === '/compute') {
    const n = Number(url.searchParams.get('n'));
    if (!Number.isSafeInteger(n) || n < 0) {
      send(res, 400, 'application/json', JSON.stringify({ error: 'invalid parameter', parameter: 'n' }));
      return;
    }
    const started = Date.now();
    // Deliberately blocking: this is the work that stalls a Node worker's event loop.
    // (A Number loses exactness past 2^53; the answer is the loop's sum, as a plain Node app would give.)
    let sum = 0;
    for (let i = 0; i < n; i++) sum += i;
    send(res, 200, 'application/json',
      JSON.stringify({ n, sum, pid: process.pid, millis: Date.now() - started }));
  } else {
    send(res, 404, 'text/plain', 'not found');
  }
});

server.listen(PORT, HOST, () => {
  // pm2 waits for this message when started with --wait-ready; harmless otherwise.
  if (process.send) process.send('ready');
});

if (process.env.GRACEFUL === '1') {
  process.on('SIGINT', () => {
    console.error(`server.js ${process.pid}: SIGINT, draining`);
    draining = true;
    // net.Server's close, not http.Server's: since Node 19 the latter also closes idle keep-alive
    // connections at once, racing a client that has just sent its next request on one of them.
    // Instead each connection is closed by the server after its next answer (Connection: close).
    net.Server.prototype.close.call(server, () => process.exit(0));
  });
}
