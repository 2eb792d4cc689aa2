// Builds the console's static assets into target/classes/static: Tailwind CSS from the templates, and the
// pinned htmx and Alpine.js (CSP build: no eval, so the console's CSP needs no 'unsafe-eval').
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';

const out = 'target/classes/static';
mkdirSync(`${out}/js`, { recursive: true });
mkdirSync(`${out}/css`, { recursive: true });
copyFileSync('node_modules/htmx.org/dist/htmx.min.js', `${out}/js/htmx.min.js`);
copyFileSync('node_modules/@alpinejs/csp/dist/cdn.min.js', `${out}/js/alpine-csp.min.js`);
copyFileSync('src/main/frontend/console.js', `${out}/js/console.js`);
execFileSync('node', ['node_modules/tailwindcss/lib/cli.js',
    '-c', 'src/main/frontend/tailwind.config.js',
    '-i', 'src/main/frontend/console.css',
    '-o', `${out}/css/console.css`, '--minify'], { stdio: 'inherit' });
