#!/usr/bin/env node
/** Entry of the `osm-fleet` CLI (bin/osm-fleet.mjs runs it compiled or through tsx). */
import { exitQuietlyOnClosedPipe } from './closedPipe.js';
import { run } from './program.js';

exitQuietlyOnClosedPipe();
process.exitCode = await run(process.argv.slice(2));
