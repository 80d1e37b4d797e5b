import type { Server } from 'node:http';
import express from 'express';
import { Pool } from 'pg';
import { createTestDatabase } from '@overcast/test-kit';

export interface CeilingServer {
  url: string;
  close(): Promise<void>;
}

function listen(app: express.Express): Promise<CeilingServer> {
  return new Promise((resolve) => {
    const server: Server = app.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** The machine's HTTP ceiling: bare express 5 answering a small JSON body. */
export function startBareExpress(): Promise<CeilingServer> {
  const app = express();
  app.get('/item', (_req, res) => {
    res.json({ id: 'a', state: 'running' });
  });
  return listen(app);
}

/** The ceiling for a read route: bare express plus one primary-key SELECT through pg. */
export async function startExpressWithPg(): Promise<CeilingServer & { databaseName: string }> {
  const database = await createTestDatabase();
  const pool = new Pool({ connectionString: database.url, max: 10 });
  // Dropping the database at the end terminates any backend still closing; unhandled, that error kills the process.
  pool.on('error', () => undefined);
  await pool.query('CREATE TABLE items (id int PRIMARY KEY, state text NOT NULL)');
  await pool.query("INSERT INTO items SELECT n, 'running' FROM generate_series(1, 1000) AS n");
  const app = express();
  app.get('/item', async (_req, res) => {
    const { rows } = await pool.query('SELECT id, state FROM items WHERE id = $1', [
      1 + Math.floor(Math.random() * 1000),
    ]);
    res.json(rows[0]);
  });
  const server = await listen(app);
  return {
    url: server.url,
    databaseName: database.name,
    close: async () => {
      await server.close();
      await pool.end();
      await database.drop();
    },
  };
}
