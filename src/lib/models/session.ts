/**
 * onnxruntime-web sessions: one InferenceSession per model per worker, created on first
 * use and reused. Backend: WebGPU when `navigator.gpu` gives an adapter, else WASM.
 *
 * Which ORT build: each backend imports the smallest build that has it, lazily —
 * `onnxruntime-web/wasm` (CPU only, 14 MB .wasm) or `onnxruntime-web/webgpu` (WebGPU EP
 * plus CPU fallback, 27 MB .wasm). The .wasm binary is not located by ORT itself: it is
 * loaded by loader.ts from /models/ (same origin, SHA-256 verified, kept in Cache
 * Storage so it works offline, not in the service worker's precache) and handed to ORT
 * as `env.wasm.wasmBinary`. Threads: `env.wasm.numThreads` is always set explicitly —
 * up to 4 when cross-origin isolated (SharedArrayBuffer available), else 1.
 */
import type * as OrtModule from 'onnxruntime-web';
import { DarkroomError } from '../api/errors';
import { findModel } from './manifest';
import { fetchManifest, loadEntry, loadModel, type LoadOptions } from './loader';

export type Ort = typeof OrtModule;
export type Backend = 'webgpu' | 'wasm';
export type Session = OrtModule.InferenceSession;

interface Runtime {
	ort: Ort;
	backend: Backend;
}

let runtime: Promise<Runtime> | undefined;
const sessions = new Map<string, Promise<Session>>();

/** Threads for ORT's WASM backend: >1 only when SharedArrayBuffer is usable. */
export function wasmThreads(g: { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } } = globalThis): number {
	if (!g.crossOriginIsolated) return 1;
	return Math.max(1, Math.min(4, g.navigator?.hardwareConcurrency ?? 1));
}

/** 'webgpu' when the platform gives a WebGPU adapter, else 'wasm'. */
export async function detectBackend(): Promise<Backend> {
	const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
	if (!gpu) return 'wasm';
	try {
		return (await gpu.requestAdapter()) ? 'webgpu' : 'wasm';
	} catch {
		return 'wasm';
	}
}

async function initRuntime(o: LoadOptions): Promise<Runtime> {
	const backend = await detectBackend();
	const ort: Ort = backend === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');
	ort.env.wasm.numThreads = wasmThreads();
	// ORT's optimiser warns (as console errors) about initializers it drops from converted
	// graphs; real failures still reject the call.
	ort.env.logLevel = 'error';
	ort.env.wasm.wasmBinary = await loadModel(backend === 'webgpu' ? 'ort-wasm-webgpu' : 'ort-wasm', o);
	return { ort, backend };
}

/**
 * Uses an already configured ORT module instead of the browser builds (Node tests run
 * `onnxruntime-web`'s own Node/WASM build). Drops existing sessions.
 */
export function useRuntime(ort: Ort, backend: Backend = 'wasm'): void {
	runtime = Promise.resolve({ ort, backend });
	sessions.clear();
}

export function getRuntime(o: LoadOptions = {}): Promise<Runtime> {
	if (!runtime) {
		runtime = initRuntime(o);
		runtime.catch(() => (runtime = undefined));
	}
	return runtime;
}

export interface SessionOptions extends LoadOptions {
	/** Bytes of the model instead of loading it through the manifest (user-supplied models, tests). */
	bytes?: Uint8Array;
}

/**
 * The session of model `id`, created once per worker. The model (and on first use, ORT's
 * .wasm) are loaded with progress via loader.ts. A failed creation is not memoised.
 */
export function getSession(id: string, o: SessionOptions = {}): Promise<Session> {
	let p = sessions.get(id);
	if (!p) {
		p = createSession(id, o);
		sessions.set(id, p);
		p.catch(() => sessions.delete(id));
	}
	return p;
}

async function createSession(id: string, o: SessionOptions): Promise<Session> {
	const { ort, backend } = await getRuntime({ ...o, onProgress: undefined });
	const bytes = o.bytes ?? (await loadEntry(findModel(await fetchManifest(o), id), o));
	const executionProviders: Backend[] = backend === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'];
	try {
		return await ort.InferenceSession.create(bytes, { executionProviders, graphOptimizationLevel: 'all', logSeverityLevel: 3 });
	} catch (e) {
		throw new DarkroomError('internal', `Could not create an ONNX session for model "${id}" (${executionProviders.join(' → ')}): ${(e as Error).message}`);
	}
}

/** Releases every session (e.g. when a worker is about to be recycled). */
export async function releaseSessions(): Promise<void> {
	const all = [...sessions.values()];
	sessions.clear();
	for (const p of all) await p.then((s) => s.release()).catch(() => {});
}
