#!/usr/bin/env node
'use strict';
// The CLI runs from the workspace's TypeScript source with no build step: tsx compiles src/ on the fly, and the
// '@overcast/source' export condition resolves the SDK (which ships a dist/ build) to its source too, as
// tsconfig.base.json and jest do, so `overcast` works without `pnpm build`.
require('node:module').registerHooks({
  resolve: (specifier, context, nextResolve) =>
    nextResolve(specifier, { ...context, conditions: ['@overcast/source', ...context.conditions] }),
});
require('tsx/cjs');
require('../src/main.ts');
