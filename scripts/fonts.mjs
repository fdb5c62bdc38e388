#!/usr/bin/env node
/**
 * Prepares the watermark font: copies the 400-weight woff2 subsets of
 * @fontsource/noto-sans-sc (OFL-1.1) into static/fonts/noto-sans-sc/ and writes
 * ranges.json (file → CSS unicode-range) parsed from the package's 400.css, so the
 * watermark renderer can fetch only the few subsets a text needs (~30–80 KB each)
 * instead of the whole ~4 MB family. Run at install/build time:
 *   node scripts/fonts.mjs
 * Plain Node (no TypeScript) so it runs before anything is compiled.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const pkgDir = dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const outDir = join(root, 'static', 'fonts', 'noto-sans-sc');

const css = readFileSync(join(pkgDir, '400.css'), 'utf8');
const subsets = [];
for (const block of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
	const body = block[1];
	const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(body)?.[1];
	const range = /unicode-range:\s*([^;]+);/.exec(body)?.[1]?.trim();
	if (!file || !range) throw new Error(`fonts: unreadable @font-face block in 400.css: ${body.trim().slice(0, 120)}`);
	if (!/^U\+[0-9a-fA-F?]+(-[0-9a-fA-F]+)?(\s*,\s*U\+[0-9a-fA-F?]+(-[0-9a-fA-F]+)?)*$/.test(range)) {
		throw new Error(`fonts: unexpected unicode-range for ${file}: ${range.slice(0, 120)}`);
	}
	subsets.push({ file, unicodeRange: range.replace(/\s+/g, '') });
}
if (subsets.length < 50) throw new Error(`fonts: expected ~100 subsets in 400.css, found ${subsets.length}`);

// Start clean so a package update never leaves stale subsets behind.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
let bytes = 0;
for (const { file } of subsets) {
	const from = join(pkgDir, 'files', file);
	if (!existsSync(from)) throw new Error(`fonts: ${file} is listed in 400.css but missing from the package`);
	copyFileSync(from, join(outDir, file));
	bytes += readFileSync(from).length;
}
for (const name of readdirSync(pkgDir)) {
	if (/^licen[cs]e/i.test(name)) copyFileSync(join(pkgDir, name), join(outDir, 'LICENSE.txt'));
}
const manifest = {
	family: 'Noto Sans SC',
	weight: 400,
	source: `${pkg.name}@${pkg.version}`,
	license: 'OFL-1.1',
	subsets
};
writeFileSync(join(outDir, 'ranges.json'), JSON.stringify(manifest, null, '\t') + '\n');
console.log(`fonts: ${subsets.length} Noto Sans SC subsets (${(bytes / 1048576).toFixed(1)} MiB) → static/fonts/noto-sans-sc/`);
