import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { cropImage } from '../../src/lib/core/crop';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { resizeImage } from '../../src/lib/core/resample';
import { getSession, useRuntime, wasmThreads } from '../../src/lib/models/session';

import { prepareModels } from '../../scripts/prepare-models.mjs';

const root = join(__dirname, '..', '..');
const modelBytes = () => new Uint8Array(readFileSync(join(root, 'static', 'models', 'blazeface-front-128.onnx')));

/** 128×128 RGBA → NHWC float32 in −1..1 (the BlazeFace preprocessing). */
function toInput(img: RGBAImage): ort.Tensor {
	const out = new Float32Array(128 * 128 * 3);
	for (let i = 0, j = 0; i < img.data.length; i += 4) for (let c = 0; c < 3; c++) out[j++] = img.data[i + c] / 127.5 - 1;
	return new ort.Tensor('float32', out, [1, 128, 128, 3]);
}

const maxLogit = (r: ort.InferenceSession.OnnxValueMapType) => {
	let m = -Infinity;
	for (const k of ['Identity:0', 'Identity_1:0']) for (const v of r[k].data as Float32Array) m = Math.max(m, v);
	return m;
};

beforeAll(() => {
	prepareModels({ root });
	// In Node, `onnxruntime-web` resolves to its Node build, which runs the WASM backend from node_modules.
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
}, 60_000);

describe('model sessions (onnxruntime-web WASM in Node)', () => {
	it('threads: 1 unless cross-origin isolated', () => {
		expect(wasmThreads({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 8 } })).toBe(1);
		expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 8 } })).toBe(4);
		expect(wasmThreads({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toBe(2);
	});

	it('BlazeFace front 128: one session reused, output shapes, a face scores well above flat grey', async () => {
		let t = performance.now();
		const session = await getSession('blazeface-front-128', { bytes: modelBytes() });
		const createMs = performance.now() - t;
		expect(await getSession('blazeface-front-128')).toBe(session);
		expect(session.inputNames).toEqual(['input:0']);
		expect(session.outputNames).toEqual(['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0']);

		const { image } = await decode(new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample1.jpg'))));
		// Square crops across the photo; the front model wants a face filling a good part of the frame.
		const s = Math.min(image.width, image.height);
		let best = -Infinity;
		let inferMs = 0;
		for (const size of [s, Math.round(s * 0.6)]) {
			for (const fx of [0, 0.25, 0.5, 0.75, 1]) {
				for (const fy of [0, 0.5, 1]) {
					const x = Math.round((image.width - size) * fx);
					const y = Math.round((image.height - size) * fy);
					const crop = resizeImage(cropImage(image, { x, y, width: size, height: size }), 128, 128);
					t = performance.now();
					const r = await session.run({ 'input:0': toInput(crop) });
					inferMs = performance.now() - t;
					expect(r['Identity:0'].dims).toEqual([1, 512, 1]);
					expect(r['Identity_1:0'].dims).toEqual([1, 384, 1]);
					expect(r['Identity_2:0'].dims).toEqual([1, 512, 16]);
					expect(r['Identity_3:0'].dims).toEqual([1, 384, 16]);
					best = Math.max(best, maxLogit(r));
				}
			}
		}
		const grey = maxLogit(await session.run({ 'input:0': toInput(createImage(128, 128, [128, 128, 128, 255])) }));
		console.log(`blazeface-front-128: session ${createMs.toFixed(0)} ms, inference ${inferMs.toFixed(1)} ms, face logit ${best.toFixed(2)}, grey ${grey.toFixed(2)}`);
		expect(best).toBeGreaterThan(0); // sigmoid > 0.5
		expect(best - grey).toBeGreaterThan(3);
	}, 60_000);
});
