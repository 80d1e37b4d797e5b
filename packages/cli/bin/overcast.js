#!/usr/bin/env node
'use strict';
// The workspace ships TypeScript source with no build step: tsx compiles src/ on the fly.
require('tsx/cjs');
require('../src/main.ts');
