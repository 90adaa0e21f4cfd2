import { openFleetStore, type FleetStore } from '../../../src/fleet/store/index.js';
import { freshSchema, PG_URL } from '../fleet-fixture.js';

/** The same tests on the embedded store and on the real PostgreSQL in a schema of their own. */
export const storeEngines: readonly { readonly name: string; open: () => Promise<{ store: FleetStore; dispose: () => Promise<void> }> }[] = [
  {
    name: 'embedded PGlite',
    open: async () => {
      const { store } = await openFleetStore({});
      return { store, dispose: () => store.close() };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const schema = await freshSchema();
      const { store } = await openFleetStore({ db: PG_URL, schema: schema.name });
      return {
        store,
        dispose: async () => {
          await store.close();
          await schema.drop();
        },
      };
    },
  },
];
