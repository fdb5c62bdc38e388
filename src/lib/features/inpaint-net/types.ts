/**
 * A user-supplied ONNX inpainting network (issue 5): what is stored about it, and what crosses
 * the worker boundary when a repair runs on it. Pure data: no DOM, no worker globals.
 */

/**
 * The two signatures Darkroom runs:
 * - 'migan': MI-GAN "pipeline v2" — `image` uint8 [1,3,H,W], `mask` uint8 [1,1,H,W] (0 = hole,
 *   255 = keep) → uint8 [1,3,H,W], any H and W.
 * - 'lama': LaMa — `image` float32 [1,3,512,512] in 0..1, `mask` float32 [1,1,512,512] (1 = hole)
 *   → [1,3,512,512] in 0..1 or 0..255 (`outputScale`).
 */
export type InpainterKind = 'migan' | 'lama';

/** Which fill a repair uses: 'auto' = the network when one is installed and enabled, else PatchMatch. */
export type InpaintEngine = 'auto' | 'patchmatch' | 'network';
export const INPAINT_ENGINES: readonly InpaintEngine[] = ['auto', 'patchmatch', 'network'];

/** The stored record of the installed network (OPFS `inpainter/record.json`). */
export interface InpainterRecord {
	name: string;
	kind: InpainterKind;
	bytes: number;
	/** Lower-case hex SHA-256 of the file; also its file name in OPFS (`<sha256>.onnx`). */
	sha256: string;
	/** ISO date the file was added. */
	added: string;
	/** 'auto' repairs use it only when enabled. */
	enabled: boolean;
	/** Where the file came from: 'file' or the URL the user typed. */
	source: string;
	/** The names the model's inputs and output have (the feeds are built with these). */
	inputs: { image: string; mask: string };
	output: string;
	/** LaMa only: 1 when the output is in 0..1, 255 when in 0..255 (read from a validation run). */
	outputScale: 1 | 255;
}

/** What a repair job carries when the network runs: enough for a worker to load and feed it. */
export type NetworkSpec = Pick<InpainterRecord, 'name' | 'kind' | 'sha256' | 'inputs' | 'output' | 'outputScale'>;

/** What the worker answers after loading and test-running a candidate file. */
export interface ProbeResult {
	kind: InpainterKind;
	inputs: { image: string; mask: string };
	output: string;
	outputScale: 1 | 255;
	ms: number;
}

/** The model label a response gives: `migan:<name>` / `lama:<name>`, or 'patchmatch'. */
export const networkLabel = (s: Pick<NetworkSpec, 'kind' | 'name'>) => `${s.kind}:${s.name}`;
