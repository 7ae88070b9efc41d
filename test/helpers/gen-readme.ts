// `npm run docs`: regenerates the README's command, verb and sysrq tables from the command and verb tables.
import fs from 'node:fs';
import { renderReadme } from './readme-sections.js';

const file = new URL('../../README.md', import.meta.url);
const before = fs.readFileSync(file, 'utf8');
const after = renderReadme(before);
fs.writeFileSync(file, after);
process.stdout.write(before === after ? 'README.md is up to date\n' : 'README.md regenerated\n');
