/** `npm run docs`: regenerates the README sections that come from code (version matrix, install order, spec). */
import { readFileSync, writeFileSync } from 'node:fs';
import { updateReadme } from './readme-sections.js';

const before = readFileSync('README.md', 'utf8');
const after = updateReadme(before);
if (after !== before) writeFileSync('README.md', after);
console.log(after === before ? 'README.md is current' : 'README.md updated');
