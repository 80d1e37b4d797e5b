#!/usr/bin/env node
'use strict';
// `pnpm overcast-admin …` from the repository root: tsx compiles the TypeScript source on the fly.
require('tsx/cjs');
require('../src/admin/main.ts');
