#!/usr/bin/env node
// Runs the TypeScript entry point through tsx (workspace packages export TypeScript source, no build step).
require('tsx/cjs');
require('../src/admin/main.ts');
