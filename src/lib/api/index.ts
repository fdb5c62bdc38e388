import { DEFAULT_LIMITS, type Limits } from '../codecs/types';
import { WorkerPool } from '../worker/pool';
import { DarkroomError } from './errors';
import { IdempotencyCache } from './idempotency';
import { ResultStore } from './results';
import { createImageApi } from './image';
import { createIdPhotoApi } from './idphoto';
import { createWatermarkRemovalApi } from './watermark-removal';
import { createRepairApi } from './repair';
import { createCosApi } from './cos';
import { createModelsApi } from './models';
import { createLibraryApi } from './library';
import { setStallTimeout, validateStallMs } from '../models/loader';
import { plannedFeature } from './not-implemented';
import type { ApiContext } from './context';
import type { Darkroom } from './types';
import type { FacesResult } from '../worker/protocol';
import { resolveImageRef } from './refs';

export { DarkroomError } from './errors';
export type * from './types';

export const VERSION = '0.1.0';

let instance: (Darkroom & { _debug: DebugHooks }) | undefined;

interface DebugHooks {
	pool: WorkerPool;
	crashWorker(kind?: 'kill' | 'close' | 'throw'): Promise<void>;
	/** Face detection as the ID-photo and face-blur calls will use it (until those calls exist). */
	detectFaces(image: unknown): Promise<FacesResult>;
}

function createDarkroom(): Darkroom & { _debug: DebugHooks } {
	let limits: Limits = { ...DEFAULT_LIMITS };
	const pool = new WorkerPool(() => new Worker(new URL('../worker/darkroom.worker.ts', import.meta.url), { type: 'module', name: 'darkroom-image' }));
	const ctx: ApiContext = { pool, limits: () => ({ ...limits }), idempotency: new IdempotencyCache(), results: new ResultStore() };
	let modelSettings: Promise<void> = Promise.resolve();
	const assets = createLibraryApi(ctx);
	// Seed 003 writes its outputs with the library's own upload, which runs no folder rules.
	const { afterUpload, ...cos } = createCosApi(() => api, assets.image.upload);
	const api: Darkroom & { _debug: DebugHooks } = {
		version: VERSION,
		// upload/get/list/delete come from the library (they replace the 501 stubs of image.ts);
		// an upload into a folder with saved rules runs them and reports what they wrote.
		image: {
			...createImageApi(ctx, () => api),
			...assets.image,
			async upload(req) {
				const asset = await assets.image.upload(req);
				const rules = await afterUpload(asset);
				return rules ? { ...asset, folder_rules: rules } : asset;
			}
		},
		idphoto: createIdPhotoApi(ctx),
		models: createModelsApi(() => modelSettings, pool),
		repair: createRepairApi(ctx),
		cos,
		watermark_removal: createWatermarkRemovalApi(ctx),
		library: assets.library,
		limits: () => ({ ...limits }),
		configure(opts: Parameters<Darkroom['configure']>[0]) {
			const next = { ...limits };
			for (const k of ['maxPixels', 'maxBytes', 'maxDimension'] as const) {
				const v = opts[k];
				if (v === undefined) continue;
				if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
					throw new DarkroomError('invalid_parameter', `Expected positive integer for ${k} but received ${String(v)} of type ${typeof v}`, k);
				next[k] = v;
			}
			if (opts.modelStallMs !== undefined) validateStallMs(opts.modelStallMs, 'modelStallMs');
			limits = next;
			if (opts.workers !== undefined) pool.resize(opts.workers);
			if (opts.modelStallMs !== undefined) modelSettings = setStallTimeout(opts.modelStallMs);
		},
		async fetchBytes(url: string) {
			const kept = ctx.results.get(url);
			if (kept) return kept.slice();
			return new Uint8Array(await (await fetch(url)).arrayBuffer());
		},
		release: (url: string) => ctx.results.release(url),
		capabilities: (): { method: string; available: boolean; needs?: string }[] => listCalls(api),
		_debug: {
			pool,
			crashWorker: (kind?: 'kill' | 'close' | 'throw') => pool.crashOne(kind),
			async detectFaces(image: unknown) {
				const { bytes } = await resolveImageRef(image, 'image', limits);
				return pool.run<FacesResult>('detectFaces', [bytes, limits], [bytes.buffer]);
			}
		}
	};
	return api;
}

const NAMESPACES = ['image', 'idphoto', 'models', 'repair', 'cos', 'watermark_removal', 'library'];

function listCalls(api: Darkroom): { method: string; available: boolean; needs?: string }[] {
	const out: { method: string; available: boolean; needs?: string }[] = [];
	const walk = (obj: Record<string, unknown>, prefix: string) => {
		for (const [k, v] of Object.entries(obj)) {
			if (typeof v === 'function') {
				const needs = plannedFeature(v);
				out.push(needs ? { method: prefix + k, available: false, needs } : { method: prefix + k, available: true });
			} else if (v && typeof v === 'object') walk(v as Record<string, unknown>, `${prefix}${k}.`);
		}
	};
	for (const ns of NAMESPACES) walk((api as unknown as Record<string, Record<string, unknown>>)[ns], `${ns}.`);
	return out;
}

/** The single API instance of this page (created on first use). */
export function getDarkroom(): Darkroom {
	instance ??= createDarkroom();
	return instance;
}

/** Makes the API available as `window.darkroom` for users, automation and tests. */
export function installDarkroom(): Darkroom {
	const d = getDarkroom();
	(window as unknown as { darkroom: Darkroom }).darkroom = d;
	window.dispatchEvent(new CustomEvent('darkroom:ready'));
	return d;
}
