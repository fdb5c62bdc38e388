/**
 * The user-supplied inpainting network path (issue 5): signature detection, crop planning,
 * tensor packing, paste-back, and the whole fill run through ONNX Runtime (onnxruntime-web's
 * WASM build in Node) on tiny models of MI-GAN's and LaMa's signatures that fill every hole
 * pixel with a constant colour, on a real photo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import type { RGBAImage } from '../../src/lib/core/image';
import { InpainterError, inpainterProblem } from '../../src/lib/features/inpaint-net/errors';
import { pasteHole } from '../../src/lib/features/inpaint-net/paste';
import { contextMargin, MIN_CONTEXT, planCrops, squareBox } from '../../src/lib/features/inpaint-net/plan';
import { inpaintWithNetwork, type NetRunner } from '../../src/lib/features/inpaint-net/run';
import { probeInpainter, sessionMeta, sessionRunner } from '../../src/lib/features/inpaint-net/session';
import { checkRunOutput, detectSignature, outputScaleFrom } from '../../src/lib/features/inpaint-net/signature';
import { cropWithHole, packLama, packMigan, reflectPad, scaleCrop, scaleHole, unpackChw } from '../../src/lib/features/inpaint-net/tensors';
import { useRuntime } from '../../src/lib/models/session';
import { tinyClassifier, tinyLama, tinyMigan, type RGB } from '../fixtures/inpaint-models';

const root = join(__dirname, '..', '..');
let photo: RGBAImage;

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
	photo = (await decode(new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample1.jpg'))))).image;
}, 60_000);

const MIGAN_IN = [
	{ name: 'image', isTensor: true, type: 'uint8', shape: [1, 3, 'H', 'W'] },
	{ name: 'mask', isTensor: true, type: 'uint8', shape: [1, 1, 'H', 'W'] }
];
const LAMA_IN = [
	{ name: 'image', isTensor: true, type: 'float32', shape: [1, 3, 512, 512] },
	{ name: 'mask', isTensor: true, type: 'float32', shape: [1, 1, 512, 512] }
];
const OUT = [{ name: 'output', isTensor: true, type: 'float32', shape: [1, 3, 512, 512] }];

function rectMask(w: number, h: number, rects: [number, number, number, number][]): Uint8Array {
	const m = new Uint8Array(w * h);
	for (const [x0, y0, rw, rh] of rects) for (let y = y0; y < y0 + rh; y++) for (let x = x0; x < x0 + rw; x++) m[y * w + x] = 1;
	return m;
}

/** Pixels outside the mask that differ, and hole pixels whose RGB is farther than `tol` from `colour`. */
function audit(before: RGBAImage, after: RGBAImage, mask: Uint8Array, colour: RGB, tol = 0) {
	let outside = 0;
	let wrongHole = 0;
	for (let i = 0; i < mask.length; i++) {
		const o = i * 4;
		if (!mask[i]) {
			for (let k = 0; k < 4; k++) if (before.data[o + k] !== after.data[o + k]) outside++;
		} else {
			if (Math.max(...colour.map((c, k) => Math.abs(after.data[o + k] - c))) > tol) wrongHole++;
			if (after.data[o + 3] !== before.data[o + 3]) outside++; // alpha is never changed either
		}
	}
	return { outside, wrongHole };
}

describe('signature', () => {
	it('reads MI-GAN pipeline v2 and LaMa from input names, types and shapes', () => {
		expect(detectSignature(MIGAN_IN, [{ name: 'result', isTensor: true, type: 'uint8', shape: [1, 3, 'H', 'W'] }])).toEqual({ kind: 'migan', inputs: { image: 'image', mask: 'mask' }, output: 'result' });
		expect(detectSignature(LAMA_IN, OUT)).toEqual({ kind: 'lama', inputs: { image: 'image', mask: 'mask' }, output: 'output' });
		// Shapes not reported (limited metadata): the types decide; the test run checks the rest.
		expect(detectSignature([{ name: 'mask', type: 'float32' }, { name: 'image', type: 'float32' }], [{ name: 'out' }]).kind).toBe('lama');
	});

	it('rejects anything else, saying what was expected and what the model has', () => {
		const cases: [unknown[], RegExp][] = [
			[[{ name: 'x', type: 'float32', shape: [1, 3, 224, 224] }], /1 input instead of 2.*|x float32 \[1,3,224,224\]/],
			[[{ name: 'a', type: 'uint8' }, { name: 'b', type: 'uint8' }], /no inputs named image and mask/],
			[[{ name: 'image', type: 'uint8' }, { name: 'mask', type: 'float32' }], /image is uint8 and mask float32/],
			[[{ name: 'image', type: 'float32', shape: [1, 3, 256, 256] }, { name: 'mask', type: 'float32', shape: [1, 1, 256, 256] }], /must take 512×512, not 256×256/],
			[[{ name: 'image', type: 'uint8', shape: [1, 3, 512, 512] }, { name: 'mask', type: 'uint8', shape: [1, 1, 512, 512] }], /any height and width, not a fixed 512×512/],
			[[{ name: 'image', type: 'uint8', shape: [1, 4, 'H', 'W'] }, { name: 'mask', type: 'uint8', shape: [1, 1, 'H', 'W'] }], /image has 4 channels instead of 3/]
		];
		for (const [inputs, why] of cases) {
			let err: unknown;
			try {
				detectSignature(inputs as never, OUT);
			} catch (e) {
				err = e;
			}
			expect(err).toBeInstanceOf(InpainterError);
			const e = err as InpainterError;
			expect(e.message).toMatch(/^Expected an inpainting network with inputs image uint8 \[1,3,H,W\] and mask uint8 \[1,1,H,W\] \(MI-GAN pipeline v2/);
			expect(e.message).toMatch(why);
			expect(e).toMatchObject({ code: 'unprocessable', status: 422, param: 'file', reason: 'wrong_signature' });
			expect(inpainterProblem(e)?.reason).toBe('wrong_signature');
		}
	});

	it('checks a run output and reads LaMa output range from kept pixels', () => {
		expect(() => checkRunOutput('migan', 'result', 'uint8', [1, 3, 64, 64], 64, 64)).not.toThrow();
		expect(() => checkRunOutput('migan', 'result', 'float32', [1, 3, 64, 64], 64, 64)).toThrow(/to be uint8 \[1,3,64,64\] but it was float32 \[1,3,64,64\]/);
		expect(() => checkRunOutput('lama', 'output', 'float32', [1, 3, 256, 256], 512, 512)).toThrow(/float32 \[1,3,512,512\]/);
		const v = new Float32Array(100).fill(0.5);
		expect(outputScaleFrom(v, () => true)).toBe(1);
		expect(outputScaleFrom(v.map((x) => x * 255), () => true)).toBe(255);
		// Hole values (a bright fill) do not sway it.
		expect(outputScaleFrom(v.map((x, i) => (i < 40 ? 250 : x)), (i) => i >= 40)).toBe(1);
	});
});

describe('crop planning', () => {
	it('grows each hole by at least 128 px of context (clamped), merging close holes', () => {
		const W = 1000;
		const H = 800;
		const plans = planCrops(rectMask(W, H, [[400, 300, 100, 40]]), W, H, 'migan');
		expect(plans).toHaveLength(1);
		expect(plans[0].box).toEqual({ x0: 272, y0: 172, x1: 628, y1: 468 });
		expect(contextMargin(400, 10)).toBe(200);
		expect(contextMargin(10, 10)).toBe(MIN_CONTEXT);
		// At the corner the context is clamped to the image.
		expect(planCrops(rectMask(W, H, [[0, 0, 20, 20]]), W, H, 'migan')[0].box).toEqual({ x0: 0, y0: 0, x1: 148, y1: 148 });
		// Two holes 100 px apart share one crop; two far apart get one each.
		expect(planCrops(rectMask(W, H, [[100, 100, 10, 10], [210, 100, 10, 10]]), W, H, 'migan')).toHaveLength(1);
		expect(planCrops(rectMask(W, H, [[10, 10, 10, 10], [900, 700, 10, 10]]), W, H, 'migan')).toHaveLength(2);
	});

	it('MI-GAN: own size padded to multiples of 8, scaled to ≤ 1024 when larger', () => {
		const p = planCrops(rectMask(1000, 800, [[400, 300, 101, 41]]), 1000, 800, 'migan')[0];
		expect([p.runW, p.runH, p.padW, p.padH]).toEqual([357, 297, 360, 304]);
		const big = planCrops(rectMask(1920, 1280, [[200, 500, 1400, 60]]), 1920, 1280, 'migan')[0];
		expect(Math.max(big.runW, big.runH)).toBe(1024);
		expect(big.padW % 8).toBe(0);
		expect(big.padH % 8).toBe(0);
		expect(big.runW / big.runH).toBeCloseTo((big.box.x1 - big.box.x0) / (big.box.y1 - big.box.y0), 2);
	});

	it('LaMa: 512² runs on crops made square where the image allows', () => {
		const p = planCrops(rectMask(1000, 800, [[400, 300, 100, 40]]), 1000, 800, 'lama')[0];
		expect([p.runW, p.runH, p.padW, p.padH]).toEqual([512, 512, 512, 512]);
		expect(p.box.x1 - p.box.x0).toBe(p.box.y1 - p.box.y0);
		expect(squareBox({ x0: 0, y0: 10, x1: 300, y1: 60 }, 1000, 40)).toEqual({ x0: 0, y0: 0, x1: 300, y1: 40 });
		expect(squareBox({ x0: 950, y0: 0, x1: 1000, y1: 200 }, 1000, 800)).toEqual({ x0: 800, y0: 0, x1: 1000, y1: 200 });
	});
});

describe('tensors and paste-back', () => {
	const img: RGBAImage = { width: 4, height: 3, data: new Uint8ClampedArray(Array.from({ length: 48 }, (_, i) => (i % 4 === 3 ? 200 : i * 5))) };
	const mask = Uint8Array.from([0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);

	it('crops opaque with the hole zeroed; packs MI-GAN (0 = hole, 255 = keep) and LaMa (1 = hole, 0..1) planes', () => {
		const c = cropWithHole(img, mask, { x0: 0, y0: 0, x1: 4, y1: 3 });
		expect(Array.from(c.hole)).toEqual(Array.from(mask));
		expect(Array.from(c.img.data.subarray(20, 28))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
		const m = packMigan(c);
		expect(Array.from(m.mask)).toEqual(Array.from(mask, (v) => (v ? 0 : 255)));
		expect([m.image[0], m.image[12], m.image[24], m.image[5]]).toEqual([0, 5, 10, 0]);
		expect(m.image[1]).toBe(20); // R of pixel 1
		const l = packLama(c);
		expect(Array.from(l.mask)).toEqual(Array.from(mask));
		expect(l.image[12 + 1]).toBeCloseTo(25 / 255, 6); // G of pixel 1
		expect(l.image[5]).toBe(0);
	});

	it('unpacks uint8, 0..1 and 0..255 outputs; clamps and zeroes NaN', () => {
		expect(Array.from(unpackChw(Uint8Array.from([1, 2, 3]), 1, 1, 255).data)).toEqual([1, 2, 3, 255]);
		expect(Array.from(unpackChw(Float32Array.from([0.5, 1.2, -0.1]), 1, 1, 1).data)).toEqual([128, 255, 0, 255]);
		expect(Array.from(unpackChw(Float32Array.from([127.6, NaN, 300]), 1, 1, 255).data)).toEqual([128, 0, 255, 255]);
	});

	it('reflect-pads pixels and hole alike (…2 1 0 1 2…)', () => {
		const c = cropWithHole(img, mask, { x0: 0, y0: 0, x1: 4, y1: 3 });
		const p = reflectPad(c, 8, 8);
		const px = (x: number, y: number) => p.img.data[(y * 8 + x) * 4];
		expect([px(4, 0), px(5, 0), px(6, 0)]).toEqual([c.img.data[2 * 4], c.img.data[4], c.img.data[0]]);
		expect(p.hole[3 * 8 + 1]).toBe(c.hole[1 * 4 + 1]); // row 3 mirrors row 1
	});

	it('a scaled hole covers every run pixel that reads a hole pixel, and no colour of the hole leaks', () => {
		const W = 300;
		const H = 200;
		const m = rectMask(W, H, [[100, 80, 37, 9]]);
		const c = cropWithHole(photo, m, { x0: 0, y0: 0, x1: W, y1: H });
		for (const [rw, rh] of [[150, 100], [512, 512], [97, 61]]) {
			const s = scaleCrop(c, rw, rh);
			const sh = scaleHole(c.hole, W, H, rw, rh);
			expect(Array.from(s.hole)).toEqual(Array.from(sh));
			// Known run pixels equal the resample of a hole-free crop (no black bled in).
			const clean = scaleCrop({ img: cropWithHole(photo, new Uint8Array(W * H), { x0: 0, y0: 0, x1: W, y1: H }).img, hole: new Uint8Array(W * H) }, rw, rh);
			let leak = 0;
			for (let i = 0; i < rw * rh; i++) if (!s.hole[i]) for (let k = 0; k < 3; k++) leak = Math.max(leak, Math.abs(s.img.data[i * 4 + k] - clean.img.data[i * 4 + k]));
			expect(leak).toBe(0);
		}
	});

	it('pasteHole writes RGB of hole pixels only', () => {
		const out = { width: 4, height: 3, data: new Uint8ClampedArray(img.data) };
		const fill = { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(7) };
		const n = pasteHole(out, { x0: 1, y0: 1, x1: 3, y1: 3 }, fill, Uint8Array.from([1, 1, 0, 0]));
		expect(n).toBe(2);
		for (let i = 0; i < 12; i++) {
			const o = i * 4;
			const same = [0, 1, 2, 3].every((k) => out.data[o + k] === img.data[o + k]);
			expect(same).toBe(!mask[i]);
			if (mask[i]) expect([out.data[o], out.data[o + 3]]).toEqual([7, 200]);
		}
	});
});

async function session(bytes: Uint8Array) {
	const s = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
	const meta = sessionMeta(s);
	return { s, sig: detectSignature(meta.inputs, meta.outputs) };
}

describe('through ONNX Runtime on a real photo (tiny models of the real signatures)', () => {
	it('the tiny models have the signatures, as ORT reports them', async () => {
		expect((await session(tinyMigan())).sig).toEqual({ kind: 'migan', inputs: { image: 'image', mask: 'mask' }, output: 'result' });
		expect((await session(tinyLama())).sig).toEqual({ kind: 'lama', inputs: { image: 'image', mask: 'mask' }, output: 'output' });
		await expect(session(tinyClassifier())).rejects.toThrow(/but the model has inputs x float32 \[1,3,224,224\]; outputs y float32 \[1,3,224,224\] \(1 input instead of 2\)/);
	});

	it('MI-GAN: holes get the network colour, every other pixel byte-identical (rectangle, text-like strokes, edge, >1024 crop)', async () => {
		const colour: RGB = [12, 200, 34];
		const { s, sig } = await session(tinyMigan(colour));
		let runs = 0;
		const base = sessionRunner(ort, s, sig);
		const run: NetRunner = async (f) => {
			runs++;
			expect(f.width % 8).toBe(0);
			expect(f.height % 8).toBe(0);
			expect(Math.max(f.width, f.height)).toBeLessThanOrEqual(1024);
			return base(f);
		};
		const { width: W, height: H } = photo;
		// A 160×48 rectangle, thin "text" strokes, a hole touching the image corner.
		const strokes: [number, number, number, number][] = Array.from({ length: 9 }, (_, i) => [1200 + i * 14, 300, 4, 30]);
		const mask = rectMask(W, H, [[700, 900, 160, 48], ...strokes, [0, 0, 30, 25]]);
		const r = await inpaintWithNetwork(photo, mask, { kind: 'migan', outputScale: 255 }, run);
		expect(r.crops).toBe(3);
		expect(runs).toBe(3);
		expect(audit(photo, r.image, mask, colour)).toEqual({ outside: 0, wrongHole: 0 });

		// A hole so wide its crop is scaled to 1024: outside still identical; the hole's interior is the colour.
		const wide = rectMask(W, H, [[300, 600, 1300, 40]]);
		const w = await inpaintWithNetwork(photo, wide, { kind: 'migan', outputScale: 255 }, run);
		const a = audit(photo, w.image, wide, colour, 2);
		expect(a.outside).toBe(0);
		const interior = rectMask(W, H, [[310, 610, 1280, 20]]);
		expect(audit(photo, w.image, interior, colour, 2).wrongHole).toBe(0);
	}, 60_000);

	it('LaMa, output in 0..1 and in 0..255: resized to 512² and back; holes get the colour, outside byte-identical', async () => {
		const colour: RGB = [200, 30, 220];
		const { width: W, height: H } = photo;
		const mask = rectMask(W, H, [[900, 500, 120, 40]]);
		const interior = rectMask(W, H, [[906, 506, 108, 28]]);
		for (const scale of [1, 255] as const) {
			const { s, sig } = await session(tinyLama(colour, scale));
			const r = await inpaintWithNetwork(photo, mask, { kind: 'lama', outputScale: scale }, sessionRunner(ort, s, sig));
			expect(audit(photo, r.image, mask, colour, 255).outside).toBe(0);
			expect(audit(photo, r.image, interior, colour, 1).wrongHole).toBe(0);
		}
	}, 60_000);

	it('probe: loads, reads the signature and test-runs; LaMa range read from the values; bad files are rejected with reasons', async () => {
		const m = await probeInpainter('a'.repeat(64), tinyMigan());
		expect(m).toMatchObject({ kind: 'migan', inputs: { image: 'image', mask: 'mask' }, output: 'result', outputScale: 255 });
		expect((await probeInpainter('b'.repeat(64), tinyLama([1, 2, 3], 1))).outputScale).toBe(1);
		expect((await probeInpainter('c'.repeat(64), tinyLama([1, 2, 3], 255))).outputScale).toBe(255);
		await expect(probeInpainter('d'.repeat(64), tinyClassifier())).rejects.toMatchObject({ reason: 'wrong_signature', status: 422, param: 'file' });
		const jpeg = new Uint8Array(readFileSync(join(root, 'node_modules/@vladmandic/face-api/demo/sample2.jpg')));
		await expect(probeInpainter('e'.repeat(64), jpeg)).rejects.toMatchObject({ reason: 'not_onnx', status: 415, message: expect.stringMatching(/^Expected an ONNX model for file but ONNX Runtime could not load it/) });
	}, 60_000);
});
