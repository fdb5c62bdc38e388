/**
 * The model manifest written by scripts/prepare-models.mjs to static/models/manifest.json:
 * one entry per file the app can load on demand (ONNX models and onnxruntime-web's
 * WebAssembly binaries). A user-supplied model uses the same entry format.
 */
import { DarkroomError } from '../api/errors';

export interface TensorSpec {
	name: string;
	/** -1 marks a free dimension (a batch, or any height/width). */
	shape: number[];
	description?: string;
}

export interface ModelEntry {
	id: string;
	/** 'model' for ONNX networks, 'runtime' for onnxruntime-web's .wasm binaries. */
	kind: 'model' | 'runtime';
	/** File name under /models/. */
	file: string;
	bytes: number;
	sha256: string;
	licence: string;
	source: { package: string; path: string };
	input?: TensorSpec & { layout: 'NCHW' | 'NHWC'; dtype: 'float32' | 'uint8' };
	preprocessing: string;
	outputs?: TensorSpec[];
	/** Class names in output order (classifiers, detectors). */
	labels?: string[];
	/** What the app does with the raw outputs (e.g. CenterNet's peak picking and box decoding). */
	postprocessing?: string;
	/** Upscaling factor of a super-resolution model. */
	scale?: number;
}

export type ModelManifest = ModelEntry[];

/** Where models are served from: /models/ on the app's own origin. */
export function defaultModelBase(): string {
	const loc = (globalThis as { location?: { origin: string } }).location;
	return loc ? new URL('/models/', loc.origin).href : '/models/';
}

/** Throws a DarkroomError unless `value` looks like a manifest. */
export function validateManifest(value: unknown): ModelManifest {
	if (!Array.isArray(value)) throw new DarkroomError('internal', 'Model manifest is not an array (static/models/manifest.json is corrupt)');
	for (const e of value as Partial<ModelEntry>[]) {
		if (!e || typeof e.id !== 'string' || typeof e.file !== 'string' || typeof e.bytes !== 'number' || typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) {
			throw new DarkroomError('internal', `Model manifest has an invalid entry: ${JSON.stringify(e).slice(0, 120)}`);
		}
	}
	return value as ModelManifest;
}

export function findModel(manifest: ModelManifest, id: string): ModelEntry {
	const e = manifest.find((m) => m.id === id);
	if (!e) throw new DarkroomError('internal', `Model "${id}" is not in the model manifest (known: ${manifest.map((m) => m.id).join(', ')}); run npm run build to prepare it`);
	return e;
}
