import { describe, expect, it } from 'vitest';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { resizeImage, weightTable, type Kernel } from '../../src/lib/core/resample';

const KERNELS: Kernel[] = ['lanczos3', 'lanczos2', 'cubic', 'linear', 'nearest'];
const FILTERS: Kernel[] = ['lanczos3', 'lanczos2', 'cubic', 'linear'];

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): RGBAImage {
	const img = createImage(width, height);
	for (let y = 0; y < height; y++)
		for (let x = 0; x < width; x++) img.data.set(pixel(x, y), (y * width + x) * 4);
	return img;
}

function channel(img: RGBAImage, c: number): number[] {
	const out: number[] = [];
	for (let i = c; i < img.data.length; i += 4) out.push(img.data[i]);
	return out;
}

describe('weightTable', () => {
	it.each([[100, 37], [37, 100], [1, 5], [5, 1], [4000, 1600]])('every row of weights sums to 1 (%i → %i)', (src, dst) => {
		for (const k of FILTERS) {
			const t = weightTable(src, dst, k);
			for (let i = 0; i < dst; i++) {
				let s = 0;
				for (let j = 0; j < t.count[i]; j++) s += t.weights[i * t.taps + j];
				expect(s).toBeCloseTo(1, 5);
				expect(t.start[i]).toBeGreaterThanOrEqual(0);
				expect(t.start[i] + t.count[i]).toBeLessThanOrEqual(src);
			}
		}
	});

	it('stretches the kernel when shrinking (area-aware), not when enlarging', () => {
		// lanczos3 at 1:4 reads ~24 source pixels per output pixel; at 4:1 at most 6.
		expect(weightTable(400, 100, 'lanczos3').count[50]).toBeGreaterThanOrEqual(23);
		expect(weightTable(100, 400, 'lanczos3').count[200]).toBeLessThanOrEqual(6);
	});
});

describe('resizeImage', () => {
	it.each(KERNELS)('keeps a constant image constant (%s)', (kernel) => {
		const img = createImage(37, 23, [200, 100, 50, 255]);
		for (const [w, h] of [[13, 9], [80, 50], [37, 1], [1, 23], [1, 1], [111, 7]]) {
			const out = resizeImage(img, w, h, kernel);
			expect([out.width, out.height, out.data.length]).toEqual([w, h, w * h * 4]);
			for (let c = 0; c < 4; c++) expect(new Set(channel(out, c))).toEqual(new Set([[200, 100, 50, 255][c]]));
		}
	});

	it.each(FILTERS)('keeps a constant semi-transparent colour (%s)', (kernel) => {
		const out = resizeImage(createImage(40, 30, [200, 100, 50, 128]), 17, 61, kernel);
		for (let c = 0; c < 4; c++) expect(new Set(channel(out, c))).toEqual(new Set([[200, 100, 50, 128][c]]));
	});

	it.each(FILTERS)('averages a 1-px checkerboard to grey when shrinking (%s): no aliasing', (kernel) => {
		const board = image(120, 90, (x, y) => ((x + y) & 1 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
		for (const [w, h] of [[15, 10], [17, 13], [40, 30]]) {
			const grey = channel(resizeImage(board, w, h, kernel), 0);
			for (const v of grey) expect(Math.abs(v - 127.5)).toBeLessThanOrEqual(kernel === 'linear' ? 12 : 6);
		}
	});

	it('point sampling aliases (the contrast case for the test above)', () => {
		const board = image(120, 90, (x, y) => ((x + y) & 1 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
		const v = channel(resizeImage(board, 40, 30, 'nearest'), 0);
		expect(v.every((p) => p === 0 || p === 255)).toBe(true);
	});

	it('an edge rings no more than lanczos3 should, and is flat away from the edge', () => {
		// 64 | 192 step, 40 px each side, enlarged 3× and shrunk 3×.
		const step = image(80, 4, (x) => (x < 40 ? [64, 64, 64, 255] : [192, 192, 192, 255]));
		for (const w of [240, 27]) {
			const row = channel(resizeImage(step, w, 4, 'lanczos3'), 0).slice(0, w);
			// Lanczos3's step response overshoots by ~10% of the step; allow 12% (15 levels of 128).
			expect(Math.min(...row)).toBeGreaterThanOrEqual(64 - 15);
			expect(Math.max(...row)).toBeLessThanOrEqual(192 + 15);
			// Ringing dies out: far from the edge the original levels come back exactly.
			expect(row.slice(0, Math.floor(w / 4))).toEqual(new Array(Math.floor(w / 4)).fill(64));
			expect(row.slice(w - Math.floor(w / 4))).toEqual(new Array(Math.floor(w / 4)).fill(192));
		}
	});

	it('linear never overshoots', () => {
		const step = image(80, 4, (x) => (x < 40 ? [64, 64, 64, 255] : [192, 192, 192, 255]));
		const row = channel(resizeImage(step, 240, 4, 'linear'), 0);
		expect(Math.min(...row)).toBe(64);
		expect(Math.max(...row)).toBe(192);
	});

	it('clamps black/white overshoot instead of wrapping', () => {
		const step = image(20, 2, (x) => (x < 10 ? [0, 0, 0, 255] : [255, 255, 255, 255]));
		const row = channel(resizeImage(step, 200, 2, 'lanczos3'), 0).slice(0, 200);
		// Monotone up to the clamp on each side: a wrapped overshoot would show as 255 among the blacks.
		expect(row.slice(0, 90).every((v) => v <= 16)).toBe(true);
		expect(row.slice(110).every((v) => v >= 239)).toBe(true);
	});

	it.each(FILTERS)('transparent pixels do not bleed their colour into opaque ones (%s)', (kernel) => {
		// Opaque red on the left, fully transparent *green* on the right.
		const img = image(30, 30, (x) => (x < 15 ? [255, 0, 0, 255] : [0, 255, 0, 0]));
		for (const [w, h] of [[10, 10], [90, 90], [7, 30]]) {
			const out = resizeImage(img, w, h, kernel);
			let partial = 0;
			for (let i = 0; i < out.data.length; i += 4) {
				const a = out.data[i + 3];
				if (a === 0) continue;
				if (a < 255) partial++;
				// Straight-alpha filtering would mix in green and darken the red.
				expect([out.data[i], out.data[i + 1], out.data[i + 2]]).toEqual([255, 0, 0]);
			}
			expect(partial).toBeGreaterThan(0); // the edge really was blended
		}
	});

	it('semi-transparent colours mix by coverage', () => {
		// Two pixels: opaque white and 1/255-alpha black; the average must stay near white.
		const img = image(2, 1, (x) => (x === 0 ? [255, 255, 255, 255] : [0, 0, 0, 1]));
		const out = resizeImage(img, 1, 1, 'linear');
		expect(out.data[0]).toBeGreaterThanOrEqual(254);
		expect(out.data[3]).toBe(128);
	});

	it('handles 1×1 in and out and extreme aspect ratios', () => {
		const dot = createImage(1, 1, [9, 8, 7, 255]);
		expect(Array.from(resizeImage(dot, 1, 1).data)).toEqual([9, 8, 7, 255]);
		const big = resizeImage(dot, 7, 5);
		expect(big.width * big.height).toBe(35);
		expect(new Set(channel(big, 0))).toEqual(new Set([9]));

		const gradient = image(1000, 1, (x) => [Math.floor(x / 4), 0, 0, 255]);
		const strip = resizeImage(gradient, 10, 1);
		expect([strip.width, strip.height]).toEqual([10, 1]);
		const r = channel(strip, 0);
		for (let i = 1; i < r.length; i++) expect(r[i]).toBeGreaterThan(r[i - 1]);
		// Output pixel 0 covers source 0..99 → mean of floor(x/4) ≈ 12.
		expect(Math.abs(r[0] - 12)).toBeLessThanOrEqual(2);

		const tall = resizeImage(createImage(1, 1000, [1, 2, 3, 255]), 1, 9);
		expect([tall.width, tall.height]).toEqual([1, 9]);
		const one = resizeImage(image(5, 5, (x, y) => [x * 10 + y, 0, 0, 255]), 1, 1);
		expect(Math.abs(one.data[0] - 22)).toBeLessThanOrEqual(1);
		const wide = resizeImage(createImage(3, 1, [5, 5, 5, 255]), 300, 2);
		expect([wide.width, wide.height]).toEqual([300, 2]);
	});

	it('a steep vertical shrink (done in bands to bound memory) matches across band seams', () => {
		// 20000 → 2 rows makes the lanczos3 window ~60000 rows deep: the 100 columns are split into bands.
		const img = image(100, 20000, (x, y) => [Math.floor(y / 100) & 255, 0, x, 255]);
		const out = resizeImage(img, 100, 2);
		for (let y = 0; y < 2; y++) {
			const reds = new Set<number>();
			for (let x = 0; x < 100; x++) {
				const i = (y * 100 + x) * 4;
				reds.add(out.data[i]);
				expect(out.data[i + 2]).toBe(x); // columns untouched: same width
			}
			expect(reds.size).toBe(1);
		}
		expect(out.data[0]).toBeLessThan(out.data[400]); // top half darker than bottom half
	});

	it('opaque images (fixed-point path) come out within one level of the float path', () => {
		// Pixel (0, 0) at alpha 254 sends the second copy down the general float path; output
		// pixels whose window reaches that corner are left out of the comparison.
		let seed = 7;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
		const noisy = image(120, 90, (x, y) => [rnd(), (x * 2 + y) & 255, (x * y) & 255, 255]);
		const bars = image(120, 90, (x, y) => ((x >> 1) & 1 ? [255, 255, 255, 255] : [0, 0, (y * 3) & 255, 255]));
		for (const img of [noisy, bars]) {
			const marked = { ...img, data: new Uint8ClampedArray(img.data) };
			marked.data[3] = 254;
			for (const kernel of FILTERS) {
				for (const [w, h] of [[37, 29], [13, 90], [120, 7], [250, 181], [3, 2]]) {
					const a = resizeImage(img, w, h, kernel);
					const b = resizeImage(marked, w, h, kernel);
					const tx = weightTable(120, w, kernel);
					const ty = weightTable(90, h, kernel);
					let worst = 0;
					for (let y = 0; y < h; y++)
						for (let x = 0; x < w; x++) {
							if (tx.start[x] === 0 && ty.start[y] === 0) continue;
							const i = (y * w + x) * 4;
							for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(a.data[i + c] - b.data[i + c]));
							expect(a.data[i + 3]).toBe(255);
						}
					expect(worst).toBeLessThanOrEqual(1);
				}
			}
		}
	});

	it('nearest copies exact source pixels', () => {
		const img = image(4, 2, (x, y) => [x, y, 7, 255]);
		const out = resizeImage(img, 8, 4, 'nearest');
		expect(Array.from(out.data.subarray(0, 16))).toEqual([0, 0, 7, 255, 0, 0, 7, 255, 1, 0, 7, 255, 1, 0, 7, 255]);
		const half = resizeImage(img, 2, 1, 'nearest');
		expect(Array.from(half.data)).toEqual([1, 1, 7, 255, 3, 1, 7, 255]);
	});

	it('is deterministic and leaves its input alone', () => {
		const img = image(50, 40, (x, y) => [(x * 7) & 255, (y * 13) & 255, (x * y) & 255, 128 + (x & 127)]);
		const before = new Uint8ClampedArray(img.data);
		const a = resizeImage(img, 23, 17);
		const b = resizeImage(img, 23, 17);
		expect(a.data).toEqual(b.data);
		expect(img.data).toEqual(before);
	});

	it('returns a copy for the identity size', () => {
		const img = createImage(3, 3, [1, 2, 3, 4]);
		const out = resizeImage(img, 3, 3);
		expect(out.data).toEqual(img.data);
		expect(out.data).not.toBe(img.data);
	});

	it('rejects bad sizes and kernels', () => {
		const img = createImage(3, 3);
		expect(() => resizeImage(img, 0, 3)).toThrow('Expected positive integer for width but received 0 of type number');
		expect(() => resizeImage(img, 3, 2.5)).toThrow('Expected positive integer for height but received 2.5 of type number');
		expect(() => resizeImage(img, 3, 3, 'box' as Kernel)).toThrow('for kernel but received "box" of type string');
	});

	it('4000×3000 → 1600×1200 lanczos3 is fast', () => {
		const img = createImage(4000, 3000);
		const d = img.data;
		// An opaque photo-like pattern (real photos are opaque; that is the common path).
		for (let i = 0; i < d.length; i += 4) {
			const p = i >> 2;
			d[i] = p & 255;
			d[i + 1] = (p >> 3) & 255;
			d[i + 2] = (p * 7) & 255;
			d[i + 3] = 255;
		}
		resizeImage(createImage(400, 300), 160, 120); // warm the JIT
		const times: number[] = [];
		let out: RGBAImage | undefined;
		for (let k = 0; k < 3; k++) {
			const t = performance.now();
			out = resizeImage(img, 1600, 1200, 'lanczos3');
			times.push(performance.now() - t);
		}
		console.log(`resizeImage 4000×3000 → 1600×1200 lanczos3: ${times.map((t) => t.toFixed(0)).join(' / ')} ms`);
		expect([out!.width, out!.height]).toEqual([1600, 1200]);
		// Generous bound for slow CI machines; ~0.5 s on the 2-core dev box.
		expect(Math.min(...times)).toBeLessThan(3000);
	});
});
