import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
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
			// After a failed client build the folder may not exist; the real error is already reported.
			if (isSsr || !outDir.replace(/\\/g, '/').endsWith('output/client') || !existsSync(outDir)) return;
			const files: string[] = [];
			const walk = (dir: string) => {
				for (const name of readdirSync(dir)) {
					const full = join(dir, name);
					if (statSync(full).isDirectory()) walk(full);
					else files.push('/' + relative(outDir, full).replace(/\\/g, '/'));
				}
			};
			walk(outDir);
			// Dot-folders (Vite's .vite/manifest.json) are build bookkeeping that adapters do not publish;
			// the benchmark page's worker and what only it loads (pica, jSquash resize) are no part of the app.
			const benchOnly = benchWorkerFiles(outDir);
			const list = files
				.filter((f) => !f.endsWith('.map') && !f.startsWith('/models/') && !f.includes('/.') && f !== '/precache-manifest.json' && !benchOnly.has(f))
				// onnxruntime's own .wasm copies: the model loader hands ORT its binary from
				// /models/ (hash-checked, cached on first use), so these are never fetched.
				.filter((f) => !/\/ort-wasm[^/]*\.wasm$/.test(f))
				.sort();
			writeFileSync(join(outDir, 'precache-manifest.json'), JSON.stringify({ files: list }, null, 1));
		}
	};
}

/**
 * Files reachable only from the bench worker: everything it pulls in, transitively,
 * minus everything the app's own entries and workers pull in.
 */
function benchWorkerFiles(outDir: string): Set<string> {
	const root = join(outDir, '_app/immutable');
	if (!existsSync(root)) return new Set();
	const all = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? all(join(dir, n)) : [join(dir, n)]));
	const files = all(root);
	const byName = new Map(files.map((f) => [f.split(/[\\/]/).pop()!, f]));
	const refs = (file: string): string[] => {
		if (!file.endsWith('.js')) return [];
		const text = readFileSync(file, 'utf8');
		return [...text.matchAll(/[\w.-]+\.(?:js|wasm)/g)].map((m) => byName.get(m[0])).filter((f): f is string => !!f);
	};
	const closure = (roots: string[], stop: (f: string) => boolean = () => false) => {
		const seen = new Set<string>();
		const queue = [...roots];
		while (queue.length) {
			const f = queue.pop()!;
			if (seen.has(f) || stop(f)) continue;
			seen.add(f);
			queue.push(...refs(f));
		}
		return seen;
	};
	const isBenchEntry = (f: string) => /[\\/]bench\.worker[^\\/]*\.js$/.test(f);
	const isWorkerDir = (f: string) => /[\\/]workers[\\/]/.test(f);
	const bench = closure(files.filter(isBenchEntry));
	// App roots: page/entry chunks, and worker entries other than the bench's (their chunks follow by reference).
	const app = closure(files.filter((f) => f.endsWith('.js') && !isBenchEntry(f) && (!isWorkerDir(f) || /[\\/]workers[\\/][^\\/]+\.js$/.test(f))), isBenchEntry);
	const out = new Set<string>();
	for (const f of bench) if (!app.has(f)) out.add('/' + relative(outDir, f).replace(/\\/g, '/'));
	return out;
}
