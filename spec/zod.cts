/**
 * zod, as the spec's schemas use it.
 *
 * CommonJS (.cts) on purpose, as the facades of the CommonJS packages (constructs/cloud/cdktf.cts): zod ships both
 * builds, and its CommonJS one loads through require, which the compile cache of the command-line runs covers
 * (bin/compile-cache.cts), instead of 95 ES modules through Node's ES module loader (about 25 ms less per run).
 * Every value import of zod goes through here, so that one zod instance (with one configuration, bin/one-shot.ts)
 * parses every spec; types may come from 'zod' itself (`import type`). test/stacks/imports.test.ts holds the rule.
 */
export { z } from 'zod';
