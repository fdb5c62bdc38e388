/**
 * ISNet matting end to end (onnxruntime-web WASM in Node, 1 thread) on a single-person crop
 * of face-api's demo sample6.jpg: the left woman (green dress) against window blinds.
 * Crop chosen by eye on a downscaled copy: x 0..590, y 260..1460 of the 1920×1537 photo.
 * The network runs once (1024², the only size the graph accepts; ~15 s here).
 * MATTE_DUMP=dir writes composites on flat colours for inspection.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { cropImage } from '../../src/lib/core/crop';
import type { RGBAImage } from '../../src/lib/core/image';
import { runIsnet } from '../../src/lib/features/matting/isnet';
import { matteSubject } from '../../src/lib/features/matting/matting';
import { getSession, useRuntime } from '../../src/lib/models/session';

const root = join(__dirname, '..', '..');

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
	await getSession('isnet-small', { bytes: new Uint8Array(readFileSync(join(root, 'static', 'models', 'isnet-small.onnx'))) });
}, 60_000);

const alphaAt = (img: RGBAImage, fx: number, fy: number) => img.data[(Math.floor(fy * img.height) * img.width + Math.floor(fx * img.width)) * 4 + 3] / 255;

describe('matteSubject on a real portrait', () => {
	it('other input sizes are refused with a clear error (graph fixed at 1024²)', async () => {
		await expect(runIsnet({ width: 8, height: 8, data: new Uint8ClampedArray(256) }, { inputSize: 512 })).rejects.toThrow(/1024/);
	});

	it('sample6 left woman: subject opaque, background transparent', async () => {
		const { image } = await decode(new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample6.jpg'))));
		const crop = cropImage(image, { x: 0, y: 260, width: 590, height: 1200 });
		const r = await matteSubject(crop, process.env.MATTE_PLAIN ? { refine: { guided: false }, decontaminate: false } : { mode: 'quality' });
		console.log(`matteSubject ${r.model}: ${r.ms.toFixed(0)} ms total, network ${r.modelMs.toFixed(0)} ms, refine+apply ${(r.ms - r.modelMs).toFixed(0)} ms`);
		if (process.env.MATTE_DUMP) {
			mkdirSync(process.env.MATTE_DUMP, { recursive: true });
			writeFileSync(join(process.env.MATTE_DUMP, 'real.rgba'), r.image.data);
		}
		expect(r.model).toBe('isnet-small@1024');
		expect(r.image.width).toBe(590);
		expect(r.image.height).toBe(1200);

		expect(alphaAt(r.image, 0.58, 0.32), 'face').toBeGreaterThanOrEqual(0.9);
		// Torso: upper chest (skin). KNOWN MODEL LIMITATION: ISNet-small's raw 1024² matte gives the
		// green dress lower down only α ≈ 0.2 (0.19 at 0.68, 0.75) on this crop, before any refinement
		// (checked with refine { guided: false }), so the dress centre is not asserted.
		expect(alphaAt(r.image, 0.55, 0.47), 'torso (upper chest)').toBeGreaterThanOrEqual(0.9);
		for (const [fx, fy] of [[0.02, 0.02], [0.97, 0.02], [0.02, 0.98], [0.03, 0.5]]) {
			expect(alphaAt(r.image, fx, fy), `background ${fx},${fy}`).toBeLessThanOrEqual(0.1);
		}
		let sum = 0;
		for (let i = 3; i < r.image.data.length; i += 4) sum += r.image.data[i] / 255;
		const frac = sum / (590 * 1200);
		console.log(`subject fraction ${frac.toFixed(3)}`);
		expect(frac).toBeGreaterThan(0.25);
		expect(frac).toBeLessThan(0.8);

	}, 60_000);
});
