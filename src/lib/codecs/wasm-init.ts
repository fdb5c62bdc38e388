/**
 * jSquash locates its .wasm files with `new URL('x.wasm', import.meta.url)` and fetches
 * them. Vite rewrites those URLs for the browser and the worker, but Node's fetch cannot
 * read file: URLs, so under Node (vitest, scripts) every codec must be handed a compiled
 * WebAssembly.Module before first use. In a browser or worker this module does nothing.
 *
 * Each jSquash entry point keeps its own module instance (jpeg decode and encode are two
 * separate Emscripten builds), so initialisation is per entry point, lazily, once.
 */

export type CodecEntry =
	| 'jpeg-dec'
	| 'jpeg-enc'
	| 'png'
	| 'webp-dec'
	| 'webp-enc'
	| 'avif-dec'
	| 'avif-enc'
	| 'oxipng';

export function isNode(): boolean {
	const g = globalThis as { process?: { versions?: { node?: string } }; WorkerGlobalScope?: unknown };
	return typeof g.process !== 'undefined' && !!g.process.versions?.node && typeof g.WorkerGlobalScope === 'undefined';
}

// The same probe wasm-feature-detect uses (v128.const + i8x16.popcnt-free SIMD op):
// jSquash's WebP encoder picks its SIMD build when this validates, so we must hand it
// the matching binary.
const SIMD_PROBE = new Uint8Array([
	0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11
]);

const pending = new Map<CodecEntry, Promise<void>>();

/** Resolve once `entry` can be called. A no-op outside Node. */
export function ensureCodec(entry: CodecEntry): Promise<void> {
	if (!isNode()) return Promise.resolve();
	let p = pending.get(entry);
	if (!p) {
		p = initInNode(entry);
		pending.set(entry, p);
		// A failed init must not poison later attempts (e.g. a transient fs error).
		p.catch(() => pending.delete(entry));
	}
	return p;
}

/**
 * Node built-ins through a variable specifier: bundlers leave it alone (the browser build
 * never sees node:fs) and TypeScript needs no @types/node for it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function nodeBuiltin(name: string): Promise<any> {
	return import(/* @vite-ignore */ name);
}

async function compile(pkg: string, rel: string): Promise<WebAssembly.Module> {
	const fs = await nodeBuiltin('node:fs/promises');
	const { createRequire } = await nodeBuiltin('node:module');
	let file: string;
	try {
		file = createRequire(import.meta.url).resolve(`${pkg}/${rel}`);
	} catch {
		const path = await nodeBuiltin('node:path');
		const proc = (globalThis as { process?: { cwd(): string } }).process;
		file = path.join(proc?.cwd() ?? '.', 'node_modules', pkg, rel);
	}
	const buf: Uint8Array = await fs.readFile(file);
	return WebAssembly.compile(buf as BufferSource);
}

async function initInNode(entry: CodecEntry): Promise<void> {
	polyfillImageData();
	switch (entry) {
		case 'jpeg-dec': {
			const m = await import('@jsquash/jpeg/decode.js');
			await m.init(await compile('@jsquash/jpeg', 'codec/dec/mozjpeg_dec.wasm') as never);
			return;
		}
		case 'jpeg-enc': {
			const m = await import('@jsquash/jpeg/encode.js');
			await m.init(await compile('@jsquash/jpeg', 'codec/enc/mozjpeg_enc.wasm') as never);
			return;
		}
		case 'png': {
			// decode.js and encode.js share one wasm-bindgen instance but each caches its own
			// init promise; both must be given the module or one would try to fetch.
			const mod = await compile('@jsquash/png', 'codec/pkg/squoosh_png_bg.wasm');
			const d = await import('@jsquash/png/decode.js');
			const e = await import('@jsquash/png/encode.js');
			await d.init(mod);
			await e.init(mod);
			return;
		}
		case 'webp-dec': {
			const m = await import('@jsquash/webp/decode.js');
			await m.init(await compile('@jsquash/webp', 'codec/dec/webp_dec.wasm') as never);
			return;
		}
		case 'webp-enc': {
			const m = await import('@jsquash/webp/encode.js');
			const file = WebAssembly.validate(SIMD_PROBE) ? 'codec/enc/webp_enc_simd.wasm' : 'codec/enc/webp_enc.wasm';
			await m.init(await compile('@jsquash/webp', file) as never);
			return;
		}
		case 'avif-dec': {
			const m = await import('@jsquash/avif/decode.js');
			await m.init(await compile('@jsquash/avif', 'codec/dec/avif_dec.wasm') as never);
			return;
		}
		case 'avif-enc': {
			// Under Node jSquash always picks the single-threaded build.
			const m = await import('@jsquash/avif/encode.js');
			await m.init(await compile('@jsquash/avif', 'codec/enc/avif_enc.wasm') as never);
			return;
		}
		case 'oxipng': {
			// Outside a worker jSquash picks the single-threaded build.
			const m = await import('@jsquash/oxipng/optimise.js');
			await m.init(await compile('@jsquash/oxipng', 'codec/pkg/squoosh_oxipng_bg.wasm'));
			return;
		}
	}
}

/** oxipng tests `data instanceof ImageData`, which throws in Node unless the name exists. */
function polyfillImageData(): void {
	const g = globalThis as { ImageData?: unknown };
	if (typeof g.ImageData === 'undefined') {
		g.ImageData = class ImageData {
			data: Uint8ClampedArray;
			width: number;
			height: number;
			constructor(data: Uint8ClampedArray, width: number, height: number) {
				this.data = data;
				this.width = width;
				this.height = height;
			}
		};
	}
}
