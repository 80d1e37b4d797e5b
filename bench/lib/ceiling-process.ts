import { runAsChildService } from './child-service';
import { startBareExpress, startExpressWithPg } from './ceilings';

export interface CeilingUrls {
  /** Bare express 5 answering a small JSON body. */
  bare: string;
  /** Express plus one primary-key SELECT through pg (its own database, dropped on stop). */
  pg: string;
  /** The pg ceiling's database, so its server processes can be found. */
  databaseName: string;
}

// Both ceilings in one process of their own, like the services they are compared with.
runAsChildService<CeilingUrls>(async () => {
  const bare = await startBareExpress();
  const pg = await startExpressWithPg();
  return {
    info: { bare: `${bare.url}/item`, pg: `${pg.url}/item`, databaseName: pg.databaseName },
    stop: async () => {
      await bare.close();
      await pg.close();
    },
  };
});
