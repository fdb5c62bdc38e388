/**
 * Fast matting mode (MediaPipe selfie segmentation + guided-filter refinement) on real
 * photos from face-api's demo folder, with the ISNet 'quality' matte as reference.
 * onnxruntime-web WASM in Node, 1 thread. Crops (chosen by eye on downscaled copies):
 * - sample6 left woman (green dress) against window blinds: x 0..590, y 260..1460;
 * - sample3 left woman's head and curly blonde hair against a bright window: x 450..1050, y 250..1000.
 * Thresholds sit below the values measured when this was written (in comments).
 * MATTE_DUMP=dir writes the fast results as raw RGBA for inspection.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { cropImage } from '../../src/lib/core/crop';
import type { RGBAImage } from '../../src/lib/core/image';
import { matteSubject, type MatteResult } from '../../src/lib/features/matting/matting';
import { runSegmentation, segRegion, SEG_MODELS } from '../../src/lib/features/matting/selfie';
import { getSession, useRuntime } from '../../src/lib/models/session';

const root = join(__dirname, '..', '..');
const demo = async (n: number) => (await decode(new Uint8Array(readFileSync(join(root, `node_modules/@vladmandic/face-api/demo/sample${n}.jpg`))))).image;

let woman: RGBAImage; // sample6 crop, 590×1200
let curly: RGBAImage; // sample3 crop, 600×750
const quality: Record<string, MatteResult> = {};
const fast: Record<string, MatteResult> = {};

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
	for (const id of ['isnet-small', 'selfie-seg', 'meet-seg']) {
		await getSession(id, { bytes: new Uint8Array(readFileSync(join(root, 'static', 'models', `${id}.onnx`))) });
	}
	woman = cropImage(await demo(6), { x: 0, y: 260, width: 590, height: 1200 });
	curly = cropImage(await demo(3), { x: 450, y: 250, width: 600, height: 750 });
	for (const [k, img] of [['woman', woman], ['curly', curly]] as const) {
		quality[k] = await matteSubject(img, { mode: 'quality' });
		fast[k] = await matteSubject(img, { mode: 'fast' });
		console.log(`${k}: quality ${quality[k].ms.toFixed(0)} ms (network ${quality[k].modelMs.toFixed(0)}), fast ${fast[k].ms.toFixed(0)} ms (network ${fast[k].modelMs.toFixed(0)})`);
		if (process.env.MATTE_DUMP) {
			mkdirSync(process.env.MATTE_DUMP, { recursive: true });
			writeFileSync(join(process.env.MATTE_DUMP, `fast-${k}-${img.width}x${img.height}.rgba`), fast[k].image.data);
		}
	}
}, 180_000);

const alphaAt = (img: RGBAImage, fx: number, fy: number) => img.data[(Math.floor(fy * img.height) * img.width + Math.floor(fx * img.width)) * 4 + 3] / 255;

/** IoU of the α ≥ 0.5 regions, and the share of ISNet's confident foreground (α ≥ 0.9) that `a` keeps. */
function agreement(a: RGBAImage, ref: RGBAImage) {
	let inter = 0, uni = 0, fg = 0, kept = 0;
	for (let i = 3; i < a.data.length; i += 4) {
		const p = a.data[i] >= 128, q = ref.data[i] >= 128;
		if (p && q) inter++;
		if (p || q) uni++;
		if (ref.data[i] >= 230) {
			fg++;
			if (p) kept++;
		}
	}
	return { iou: inter / uni, recall: kept / fg };
}

describe('runSegmentation', () => {
	it('fits: stretch fills the input, letterbox keeps the aspect, auto widens a tall image by at most 1.5', () => {
		const s = SEG_MODELS['selfie-seg'];
		expect(segRegion(590, 1200, s, 'stretch')).toEqual({ x: 0, y: 0, w: 256, h: 256 });
		expect(segRegion(590, 1200, s, 'letterbox')).toEqual({ x: 65, y: 0, w: 126, h: 256 });
		expect(segRegion(590, 1200, s, 'auto')).toEqual({ x: 33, y: 0, w: 189, h: 256 });
		// Wide images are letterboxed by 'auto'.
		expect(segRegion(1920, 1280, s, 'auto')).toEqual({ x: 0, y: 42, w: 256, h: 171 });
		// meet-seg's input is 256×144: a 16:9 frame fills it.
		expect(segRegion(1920, 1080, SEG_MODELS['meet-seg'], 'auto')).toEqual({ x: 0, y: 0, w: 256, h: 144 });
	});

	it('returns a probability map over the image region, for both models', async () => {
		const a = await runSegmentation(woman, 'selfie-seg', { fit: 'stretch' });
		expect([a.width, a.height, a.alpha.length, a.inputWidth, a.inputHeight]).toEqual([256, 256, 256 * 256, 256, 256]);
		const b = await runSegmentation(woman, 'meet-seg');
		expect([b.width, b.height, b.inputWidth, b.inputHeight]).toEqual([106, 144, 256, 144]);
		for (const s of [a, b]) {
			const at = (fx: number, fy: number) => s.alpha[Math.floor(fy * s.height) * s.width + Math.floor(fx * s.width)];
			expect(at(0.58, 0.32), `${s.model} face`).toBeGreaterThan(0.9);
			expect(at(0.02, 0.02), `${s.model} corner`).toBeLessThan(0.1);
			expect(Math.min(...s.alpha)).toBeGreaterThanOrEqual(0);
			expect(Math.max(...s.alpha)).toBeLessThanOrEqual(1);
		}
	});

	it('refuses an unknown model', async () => {
		await expect(runSegmentation(woman, 'nope' as 'selfie-seg')).rejects.toThrow(/selfie-seg, meet-seg/);
	});
});

describe("matteSubject mode 'fast'", () => {
	it('says what ran and keeps the input size', () => {
		for (const [k, img] of [['woman', woman], ['curly', curly]] as const) {
			expect(fast[k].model).toBe('selfie-seg@256+guided');
			expect(quality[k].model).toBe('isnet-small@1024');
			expect([fast[k].image.width, fast[k].image.height]).toEqual([img.width, img.height]);
		}
	});

	it('subject opaque, background corners transparent', () => {
		const w = fast.woman.image;
		expect(alphaAt(w, 0.58, 0.32), 'face').toBeGreaterThanOrEqual(0.95);
		expect(alphaAt(w, 0.55, 0.47), 'upper chest').toBeGreaterThanOrEqual(0.95);
		// The green dress, which ISNet loses (α ≈ 0.2), is kept by the person segmenter.
		expect(alphaAt(w, 0.68, 0.75), 'dress').toBeGreaterThanOrEqual(0.9);
		for (const [fx, fy] of [[0.02, 0.02], [0.97, 0.02], [0.02, 0.98], [0.03, 0.5]]) {
			expect(alphaAt(w, fx, fy), `woman background ${fx},${fy}`).toBeLessThanOrEqual(0.05);
		}
		const c = fast.curly.image;
		expect(alphaAt(c, 0.45, 0.45), 'curly face').toBeGreaterThanOrEqual(0.95);
		for (const [fx, fy] of [[0.97, 0.02], [0.97, 0.3]]) {
			expect(alphaAt(c, fx, fy), `curly background ${fx},${fy}`).toBeLessThanOrEqual(0.05);
		}
	});

	it('agrees with the ISNet matte', () => {
		const w = agreement(fast.woman.image, quality.woman.image);
		const c = agreement(fast.curly.image, quality.curly.image);
		console.log(`agreement with ISNet: woman IoU ${w.iou.toFixed(3)} recall ${w.recall.toFixed(3)}; curly IoU ${c.iou.toFixed(3)} recall ${c.recall.toFixed(3)}`);
		// Head and hair: nearly the same region (measured IoU 0.98).
		expect(c.iou).toBeGreaterThanOrEqual(0.95);
		expect(c.recall).toBeGreaterThanOrEqual(0.98);
		// Whole figure: ISNet drops most of the dress, so IoU is lower (measured ≈ 0.7), but
		// everything ISNet is sure of is kept (measured ≈ 1.0).
		expect(w.iou).toBeGreaterThanOrEqual(0.62);
		expect(w.recall).toBeGreaterThanOrEqual(0.98);
	});

	it('edges are soft, not a binary mask', () => {
		for (const k of ['woman', 'curly']) {
			const d = fast[k].image.data;
			const levels = new Set<number>();
			let partial = 0;
			for (let i = 3; i < d.length; i += 4) {
				levels.add(d[i]);
				if (d[i] >= 26 && d[i] <= 229) partial++;
			}
			const share = partial / (d.length / 4);
			console.log(`${k}: ${levels.size} alpha levels, ${(100 * share).toFixed(2)} % partly transparent`);
			expect(levels.size, `${k} alpha levels`).toBeGreaterThan(200);
			expect(share, `${k} soft edge share`).toBeGreaterThan(0.005);
			expect(share, `${k} soft edge share`).toBeLessThan(0.1);
		}
	});

	it('meet-seg is selectable and reports itself', async () => {
		const r = await matteSubject(woman, { mode: 'fast', segModel: 'meet-seg' });
		expect(r.model).toBe('meet-seg@256x144+guided');
		expect(alphaAt(r.image, 0.58, 0.32), 'face').toBeGreaterThanOrEqual(0.95);
		expect(alphaAt(r.image, 0.02, 0.02), 'corner').toBeLessThanOrEqual(0.05);
	});

});
