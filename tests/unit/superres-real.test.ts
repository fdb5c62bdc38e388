/**
 * RDN super-resolution end to end in Node (onnxruntime-web WASM, 1 thread) on crops of
 * face-api's real demo photos: tiling is seamless (tiles = one pass), sizes are exact,
 * alpha survives, and ×2 restores a downscaled photo better than Lanczos.
 * SR_DUMP=dir writes the crops as PNG for looking at.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/lib/codecs/decode';
import { encode } from '../../src/lib/codecs/encode';
import { cropImage } from '../../src/lib/core/crop';
import { validateResizeParams } from '../../src/lib/core/geometry';
import type { RGBAImage } from '../../src/lib/core/image';
import { applyResize } from '../../src/lib/core/resize';
import { resizeImage } from '../../src/lib/core/resample';
import { applyAiResize } from '../../src/lib/features/superres/apply';
import { aiEnlarge } from '../../src/lib/features/superres/enlarge';
import { laplacianEnergy, psnr, ssim } from '../../src/lib/features/superres/quality';
import { runRdn } from '../../src/lib/features/superres/rdn';
import { getSession, useRuntime } from '../../src/lib/models/session';

const root = join(__dirname, '..', '..');
const photo = async (i: number) => (await decode(new Uint8Array(readFileSync(join(root, `node_modules/@vladmandic/face-api/demo/sample${i}.jpg`))))).image;
const dump = async (name: string, img: RGBAImage) => {
	if (!process.env.SR_DUMP) return;
	mkdirSync(process.env.SR_DUMP, { recursive: true });
	writeFileSync(join(process.env.SR_DUMP, `${name}.png`), await encode(img, { format: 'png' }));
};

function maxDiff(a: RGBAImage, b: RGBAImage): number {
	let m = 0;
	for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
	return m;
}

let photos: RGBAImage[];

beforeAll(async () => {
	ort.env.wasm.numThreads = 1;
	useRuntime(ort, 'wasm');
	for (const s of [2, 3, 4]) await getSession(`rdn-x${s}`, { bytes: new Uint8Array(readFileSync(join(root, 'static', 'models', `rdn-x${s}.onnx`))) });
	photos = [await photo(1), await photo(3)];
}, 60_000);

describe('RDN tiling', () => {
	it('tiles with context give the single-pass result; tiles without context would show seams', async () => {
		const crop = cropImage(photos[0], { x: 900, y: 500, width: 150, height: 110 });
		const single = await runRdn(crop, 2, { tile: 1024 });
		const progress: number[] = [];
		const tiled = await runRdn(crop, 2, { tile: 64, context: 12, onProgress: (d, t) => progress.push(d / t) });
		expect(tiled.width).toBe(300);
		expect(tiled.height).toBe(220);
		expect(progress[0]).toBe(0);
		expect(progress[progress.length - 1]).toBe(1);
		expect(progress.length).toBe(1 + 4 * 3); // 150 → 4 cores of ≤ 40, 110 → 3
		const d = maxDiff(tiled, single);
		const bare = await runRdn(crop, 2, { tile: 40, context: 0 });
		const dBare = maxDiff(bare, single);
		console.log(`tiled vs single pass: max diff ${d} (context 12), ${dBare} (context 0)`);
		expect(d).toBeLessThanOrEqual(1);
		expect(dBare).toBeGreaterThan(4);
		await dump('tiling-single', single);
		await dump('tiling-context0', bare);
	}, 60_000);
});

describe('aiEnlarge', () => {
	it('exact sizes for non-integer factors and chains; output is close to lanczos in colour', async () => {
		const crop = cropImage(photos[1], { x: 800, y: 400, width: 100, height: 75 });
		for (const [w, h, model] of [[251, 188, 'rdn-x3'], [173, 90, 'rdn-x3'], [350, 263, 'rdn-x4'], [520, 390, 'rdn-x2+rdn-x3']] as const) {
			const r = await aiEnlarge(crop, w, h);
			expect(r.model).toBe(model);
			expect([r.image.width, r.image.height]).toEqual([w, h]);
			const lz = resizeImage(crop, w, h, 'lanczos3');
			// Same picture: a low-pass of both agrees closely (no colour shift, no offset).
			const small = (img: RGBAImage) => resizeImage(img, 25, 19, 'lanczos3');
			const p = psnr(small(r.image), small(lz));
			expect(p, `${w}×${h}`).toBeGreaterThan(36);
		}
	}, 120_000);

	it('alpha is resampled with Lanczos; colour comes from the network', async () => {
		const crop = cropImage(photos[1], { x: 800, y: 400, width: 64, height: 48 });
		const t = { width: 64, height: 48, data: new Uint8ClampedArray(crop.data) };
		for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) t.data[(y * 64 + x) * 4 + 3] = x < 32 ? 255 : Math.round((y / 47) * 255);
		const r = await aiEnlarge(t, 128, 96);
		const lz = resizeImage(t, 128, 96, 'lanczos3');
		for (let i = 3; i < r.image.data.length; i += 4) expect(r.image.data[i]).toBe(lz.data[i]);
		expect(r.image.data[3]).toBe(255);
	}, 60_000);

	it("resize op: 'ai' enlarges with the network and reports it; shrinking is exactly lanczos3", async () => {
		const crop = cropImage(photos[0], { x: 900, y: 500, width: 120, height: 90 });
		const info: Record<string, unknown> = {};
		const big = await applyAiResize(crop, validateResizeParams({ width: 200, height: 200, enlarge: true, kernel: 'ai', fit: 'contain', background: '#ff0000' }), info);
		expect(info.model).toBe('rdn-x3');
		expect([big.width, big.height]).toEqual([200, 200]);
		expect(Array.from(big.data.slice(0, 4))).toEqual([255, 0, 0, 255]); // letterbox
		const infoShrink: Record<string, unknown> = {};
		const small = await applyAiResize(crop, validateResizeParams({ width: 50, kernel: 'ai' }), infoShrink);
		expect(infoShrink.model).toBeUndefined();
		expect(maxDiff(small, applyResize(crop, validateResizeParams({ width: 50 })))).toBe(0);
	}, 60_000);
});

describe('quality: restoring a downscaled real photo', () => {
	// Whole photos at 480×360 (Lanczos from 1920 px: clean of JPEG noise), halved, restored.
	it('×2: AI (rdn-x3, then Lanczos down to ×2) beats Lanczos in SSIM on each photo, PSNR within 0.6 dB', async () => {
		const all = [photos[0], photos[1], await photo(6)];
		for (const [k, full] of all.entries()) {
			const orig = resizeImage(full, 480, 360, 'lanczos3');
			const small = resizeImage(orig, 240, 180, 'lanczos3');
			const lz = resizeImage(small, 480, 360, 'lanczos3');
			const r = await aiEnlarge(small, 480, 360);
			const x2 = await runRdn(small, 2);
			const b = 8;
			const pl = psnr(lz, orig, b), pa = psnr(r.image, orig, b), p2 = psnr(x2, orig, b);
			const sl = ssim(lz, orig, b), sa = ssim(r.image, orig, b), s2 = ssim(x2, orig, b);
			console.log(
				`photo ${k} ×2: PSNR lanczos ${pl.toFixed(2)}, ai (${r.model}) ${pa.toFixed(2)}, rdn-x2 alone ${p2.toFixed(2)} dB; ` +
					`SSIM ${sl.toFixed(4)}, ${sa.toFixed(4)}, ${s2.toFixed(4)}; laplacian orig ${laplacianEnergy(orig).toFixed(0)}, lanczos ${laplacianEnergy(lz).toFixed(0)}, ai ${laplacianEnergy(r.image).toFixed(0)}`
			);
			await dump(`photo${k}-orig`, orig);
			await dump(`photo${k}-lanczos`, lz);
			await dump(`photo${k}-ai`, r.image);
			expect(r.model).toBe('rdn-x3');
			expect(sa).toBeGreaterThan(sl);
			expect(pa).toBeGreaterThan(pl - 0.6);
			expect(laplacianEnergy(r.image)).toBeGreaterThan(1.15 * laplacianEnergy(lz)); // observed 1.23–1.33×
		}
	}, 180_000);
});
