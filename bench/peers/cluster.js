// The classic Node `cluster` setup the benchmark compares with: a primary forks WORKERS copies of
// the app (they share the listening socket through the primary) and forks a new one whenever one
// exits -- no limit, no delay, as in Node's documentation example. The app is server.js unless
// APP_SCRIPT names another (scenario 6 runs bff.js under the same primary).
'use strict';
const cluster = require('cluster');
const path = require('path');

const WORKERS = Number(process.env.WORKERS || 2);
const APP_SCRIPT = path.resolve(process.env.APP_SCRIPT || path.join(__dirname, 'server.js'));

if (cluster.isPrimary) {
  cluster.setupPrimary({ exec: APP_SCRIPT });
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.log(`worker ${worker.process.pid} died (${signal || code}), forking a new one`);
    cluster.fork();
  });
  // SIGTERM: stop forking and take the workers down with the primary.
  process.on('SIGTERM', () => {
    stopping = true;
    for (const id in cluster.workers) cluster.workers[id].process.kill('SIGTERM');
    setTimeout(() => process.exit(0), 100).unref();
    cluster.disconnect(() => process.exit(0));
  });
}
