#!/usr/bin/env node
// The `splice` command. Kept out of dist/ so that it exists when npm links bins at install time
// (in this repository that is before the build).
require('../dist/bin.js').runBin();
