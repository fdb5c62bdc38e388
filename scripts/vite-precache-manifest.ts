import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';

/**
 * SvelteKit's `$service-worker` file list misses worker chunks and .wasm files, so
 * after the client build every emitted file is listed in precache-manifest.json,
 * which the service worker reads on install to make the whole app work offline.
 */
export function precacheManifest(): Plugin {
	let outDir = '';
	let isSsr = false;
	return {
		name: 'darkroom:precache-manifest',
		apply: 'build',
		configResolved(config) {
			outDir = config.build.outDir;
			isSsr = !!config.build.ssr;
		},
		closeBundle() {
			if (isSsr || !outDir.replace(/\\/g, '/').endsWith('output/client')) return;
			const files: string[] = [];
			const walk = (dir: string) => {
				for (const name of readdirSync(dir)) {
					const full = join(dir, name);
					if (statSync(full).isDirectory()) walk(full);
					else files.push('/' + relative(outDir, full).replace(/\\/g, '/'));
				}
			};
			walk(outDir);
			// Dot-folders (Vite's .vite/manifest.json) are build bookkeeping that adapters do not publish.
			const list = files.filter((f) => !f.endsWith('.map') && !f.startsWith('/models/') && !f.includes('/.') && f !== '/precache-manifest.json').sort();
			writeFileSync(join(outDir, 'precache-manifest.json'), JSON.stringify({ files: list }, null, 1));
		}
	};
}
