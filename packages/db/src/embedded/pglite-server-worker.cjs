// Runs PGlite and its socket server on a worker thread. Plain CommonJS on purpose: a worker is
// loaded by Node itself, outside tsx or jest's transforms, and PGlite loads its parts with
// `import()`, which jest's sandbox refuses. A thread of its own also keeps PGlite's synchronous
// WebAssembly query execution off the services' event loop.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

async function serve() {
  const db = await PGlite.create(workerData.dataDir);
  // pglite-socket accepts ONE connection unless told otherwise; extra ones are refused outright.
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: workerData.port,
    maxConnections: workerData.maxConnections,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  parentPort.on('message', (message) => {
    if (message !== 'stop') return;
    (async () => {
      await server.stop();
      // The server detaches its connections without awaiting them; let them roll back first.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await db.close();
    })().then(
      () => parentPort.postMessage({ type: 'stopped' }),
      (error) => parentPort.postMessage({ type: 'stopped', error: String(error && error.message) }),
    );
  });
  parentPort.postMessage({ type: 'listening', port: Number(server.getServerConn().split(':').pop()) });
}

serve().catch((error) => parentPort.postMessage({ type: 'failed', error: String(error && error.message) }));
