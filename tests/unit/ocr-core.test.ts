/**
 * The pure parts of OCR (src/lib/features/ocr/): geometry (hull, minimum-area rectangle,
 * unclip, corner and reading order), DB post-processing on synthetic probability maps,
 * line crops and inputs, CTC decoding on synthetic tensors.
 */
import { describe, expect, it } from 'vitest';
import { createImage, type RGBAImage } from '../../src/lib/core/image';
import { boxScore, components, dbPostprocess, detInput, detSize } from '../../src/lib/features/ocr/detect';
import { convexHull, insideConvex, minAreaRect, offsetConvex, orderQuad, polygonArea, sortQuads, unclip, type Point, type Quad } from '../../src/lib/features/ocr/geometry';
import { cropQuad, ctcDecode, homography, parseDictionary, recBatchWidth, rotate180, rotate90ccw, writeLine } from '../../src/lib/features/ocr/lines';

const rotate = (p: Point, deg: number, c: Point = [0, 0]): Point => {
	const a = (deg * Math.PI) / 180;
	const x = p[0] - c[0];
	const y = p[1] - c[1];
	return [c[0] + x * Math.cos(a) - y * Math.sin(a), c[1] + x * Math.sin(a) + y * Math.cos(a)];
};
const closeTo = (a: Point, b: Point, eps = 1e-6) => Math.hypot(a[0] - b[0], a[1] - b[1]) < eps;

describe('convexHull / minAreaRect', () => {
	it('hull drops interior and collinear points', () => {
		const pts: Point[] = [[0, 0], [2, 0], [4, 0], [4, 3], [0, 3], [1, 1], [2, 2]];
		const h = convexHull(pts);
		expect(h).toHaveLength(4);
		expect(Math.abs(polygonArea(h))).toBeCloseTo(12);
	});

	it('axis-aligned rectangle of a point cloud', () => {
		const pts: Point[] = [];
		for (let x = 10; x <= 50; x += 5) for (let y = 20; y <= 30; y += 2) pts.push([x, y]);
		const r = minAreaRect(pts);
		expect(r.width * r.height).toBeCloseTo(400);
		expect(r.cx).toBeCloseTo(30);
		expect(r.cy).toBeCloseTo(25);
		expect(Math.max(r.width, r.height)).toBeCloseTo(40);
	});

	it('recovers a rectangle rotated by 15°, 30°, 60° and 100°', () => {
		for (const deg of [15, 30, 60, 100]) {
			const corners: Point[] = [[0, 0], [80, 0], [80, 20], [0, 20]].map((p) => rotate(p as Point, deg, [40, 10]));
			const inner: Point[] = [];
			for (let i = 0; i < 50; i++) inner.push(rotate([8 + ((i * 37) % 64), 2 + ((i * 13) % 16)], deg, [40, 10]));
			const r = minAreaRect([...corners, ...inner]);
			expect(r.width * r.height, `${deg}°`).toBeCloseTo(1600, 3);
			expect([r.width, r.height].sort((a, b) => a - b)[0]).toBeCloseTo(20, 5);
			expect(r.cx).toBeCloseTo(40, 5);
			expect(r.cy).toBeCloseTo(10, 5);
			for (const c of corners) expect(r.corners.some((k) => closeTo(k, c, 1e-6)), `${deg}° corner ${c}`).toBe(true);
		}
	});

	it('minimum over all hull edges: a triangle', () => {
		// Right triangle with legs 3 and 4: the best rectangle lies on a leg, area 12 (on the hypotenuse: 5 × 2.4 = 12 too).
		const r = minAreaRect([[0, 0], [4, 0], [0, 3]]);
		expect(r.width * r.height).toBeCloseTo(12);
	});

	it('degenerate inputs', () => {
		expect(minAreaRect([]).width).toBe(0);
		const one = minAreaRect([[3, 4]]);
		expect([one.cx, one.cy, one.width, one.height]).toEqual([3, 4, 0, 0]);
		const line = minAreaRect([[0, 0], [10, 0], [5, 0]]);
		expect(line.width * line.height).toBeCloseTo(0);
		expect(Math.max(line.width, line.height)).toBeCloseTo(10);
	});
});

describe('orderQuad / sortQuads / insideConvex', () => {
	it('orders corners tl, tr, br, bl for upright and tilted boxes', () => {
		expect(orderQuad([[10, 20], [0, 0], [10, 0], [0, 20]])).toEqual([[0, 0], [10, 0], [10, 20], [0, 20]]);
		const tilted = [[0, 0], [100, 0], [100, 20], [0, 20]].map((p) => rotate(p as Point, -15, [50, 10]));
		const q = orderQuad([tilted[2], tilted[0], tilted[3], tilted[1]]);
		expect(q).toEqual(tilted);
	});

	it('reading order: rows top to bottom, left to right within a row (10 px tolerance)', () => {
		const box = (x: number, y: number): Quad => [[x, y], [x + 50, y], [x + 50, y + 20], [x, y + 20]];
		const items = [
			{ id: 'row2-right', box: box(200, 104) },
			{ id: 'row1-right', box: box(200, 12) },
			{ id: 'row2-left', box: box(10, 100) },
			{ id: 'row1-left', box: box(10, 18) },
			{ id: 'row3', box: box(50, 160) }
		];
		expect(sortQuads(items).map((i) => i.id)).toEqual(['row1-left', 'row1-right', 'row2-left', 'row2-right', 'row3']);
	});

	it('inside a convex polygon either winding', () => {
		const sq: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
		expect(insideConvex(sq, 5, 5)).toBe(true);
		expect(insideConvex([...sq].reverse(), 5, 5)).toBe(true);
		expect(insideConvex(sq, 10, 5)).toBe(true);
		expect(insideConvex(sq, 11, 5)).toBe(false);
	});
});

describe('unclip (polygon offset)', () => {
	it('offset of a square by d: every point at distance ≥ d from it, area ≈ s² + 4sd + πd²', () => {
		const sq: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
		const off = offsetConvex(sq, 2, 16);
		expect(Math.abs(polygonArea(off))).toBeCloseTo(100 + 80 + Math.PI * 4, 0);
		for (const [x, y] of off) {
			const dx = Math.max(0 - x, 0, x - 10);
			const dy = Math.max(0 - y, 0, y - 10);
			expect(Math.hypot(dx, dy)).toBeCloseTo(2, 6);
		}
	});

	it('a w × h rectangle grows by d = w·h·ratio / (2(w + h)) on each side', () => {
		const rect: Point[] = [[0, 0], [100, 0], [100, 10], [0, 10]];
		const d = (1000 * 1.5) / 220;
		const r = unclip(rect, 1.5);
		expect(r.width).toBeCloseTo(100 + 2 * d, 6);
		expect(r.height).toBeCloseTo(10 + 2 * d, 6);
		expect(r.cx).toBeCloseTo(50, 6);
		expect(r.cy).toBeCloseTo(5, 6);
	});

	it('keeps the angle of a rotated rectangle', () => {
		const rect = [[0, 0], [100, 0], [100, 10], [0, 10]].map((p) => rotate(p as Point, 15, [50, 5]));
		const r = unclip(rect, 1.5);
		const d = (1000 * 1.5) / 220;
		expect(r.width * r.height).toBeCloseTo((100 + 2 * d) * (10 + 2 * d), 3);
		const deg = (((r.angle * 180) / Math.PI) % 90 + 90) % 90;
		expect(deg).toBeCloseTo(15, 5);
	});
});

describe('detector input and DB post-processing', () => {
	it('detSize: multiples of 32, longer side ≤ 960, never upscaled', () => {
		expect(detSize(1920, 1080)).toEqual({ width: 960, height: 544 });
		expect(detSize(692, 168)).toEqual({ width: 704, height: 160 });
		expect(detSize(10, 10)).toEqual({ width: 32, height: 32 });
		expect(detSize(4000, 100)).toEqual({ width: 960, height: 32 });
	});

	it('detInput: BGR planes, ImageNet mean/std', () => {
		const img = createImage(32, 32, [255, 0, 0, 255]);
		const { data, width, height } = detInput(img);
		expect([width, height]).toEqual([32, 32]);
		const plane = 32 * 32;
		expect(data[0]).toBeCloseTo((0 - 0.485) / 0.229, 5); // B
		expect(data[plane]).toBeCloseTo((0 - 0.456) / 0.224, 5); // G
		expect(data[2 * plane]).toBeCloseTo((1 - 0.406) / 0.225, 5); // R
	});

	/** A probability map with filled rotated rectangles of value `p`. */
	function mapWith(w: number, h: number, rects: { corners: Point[]; p: number }[]): Float32Array {
		const m = new Float32Array(w * h);
		for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (const r of rects) if (insideConvex(r.corners, x, y)) m[y * w + x] = r.p;
		return m;
	}

	it('components: 8-connected regions with their row extremes', () => {
		const m = new Float32Array(10 * 5);
		m[0] = m[11] = m[22] = 1; // diagonal: one component
		m[9] = 1;
		const c = components(m, 10, 5);
		expect(c).toHaveLength(2);
		expect(c[0].size).toBe(3);
		expect(c[0].points).toEqual([[0, 0], [1, 1], [2, 2]]);
	});

	it('boxScore: mean inside the quad', () => {
		const m = mapWith(20, 20, [{ corners: [[5, 5], [14, 5], [14, 14], [5, 14]], p: 0.8 }]);
		expect(boxScore(m, 20, 20, [[5, 5], [14, 5], [14, 14], [5, 14]])).toBeCloseTo(0.8);
		expect(boxScore(m, 20, 20, [[0, 0], [19, 0], [19, 19], [0, 19]])).toBeCloseTo((0.8 * 100) / 400);
	});

	it('finds an upright and a 15° line, drops faint and tiny regions, scales to the source', () => {
		const tilted = [[0, 0], [120, 0], [120, 16], [0, 16]].map((p) => rotate(p as Point, -15, [60, 8])).map(([x, y]) => [x + 60, y + 100] as Point);
		const m = mapWith(256, 160, [
			{ corners: [[20, 20], [200, 20], [200, 40], [20, 40]], p: 0.9 },
			{ corners: tilted, p: 0.95 },
			{ corners: [[20, 140], [100, 140], [100, 150], [20, 150]], p: 0.45 }, // above thresh, under box thresh
			{ corners: [[230, 140], [231, 140], [231, 141], [230, 141]], p: 0.99 } // too small
		]);
		const boxes = sortQuads(dbPostprocess(m, 256, 160, 512, 320));
		expect(boxes).toHaveLength(2);
		const [a, b] = boxes;
		expect(a.score).toBeCloseTo(0.9, 2);
		// Upright: 181 × 21 map pixels (centres 20..200, 20..40), grown by d = 181·21·1.5/404 ≈ 14.1, ×2 to the source.
		const d = (180 * 20 * 1.5) / 400;
		expect(a.box[0][0]).toBeCloseTo((20 - d) * 2, -1);
		expect(a.box[2][0]).toBeCloseTo((200 + d) * 2, -1);
		expect(a.box[0][1]).toBeCloseTo((20 - d) * 2, -1);
		expect(a.box[2][1]).toBeCloseTo((40 + d) * 2, -1);
		// Tilted: top edge rises left to right by about 15°.
		const [tl, tr] = b.box;
		expect((Math.atan2(tl[1] - tr[1], tr[0] - tl[0]) * 180) / Math.PI).toBeCloseTo(15, 0);
		for (const { box } of boxes) for (const [x, y] of box) expect(x >= 0 && x <= 512 && y >= 0 && y <= 320).toBe(true);
	});

	it('boxes are clipped to the image', () => {
		const m = mapWith(64, 64, [{ corners: [[0, 0], [40, 0], [40, 10], [0, 10]], p: 0.9 }]);
		const [b] = dbPostprocess(m, 64, 64, 64, 64);
		expect(b.box[0]).toEqual([0, 0]);
	});
});

describe('line crops and recogniser input', () => {
	it('homography maps the 4 points', () => {
		const from: Point[] = [[0, 0], [100, 0], [100, 30], [0, 30]];
		const to: Point[] = [[10, 50], [105, 20], [115, 48], [20, 80]];
		const h = homography(from, to);
		for (let i = 0; i < 4; i++) {
			const [x, y] = from[i];
			const z = h[6] * x + h[7] * y + h[8];
			expect(closeTo([(h[0] * x + h[1] * y + h[2]) / z, (h[3] * x + h[4] * y + h[5]) / z], to[i], 1e-6)).toBe(true);
		}
	});

	/** A white image with a dark 15°-tilted bar whose left half is red and right half blue. */
	function tiltedBar(): { img: RGBAImage; box: Quad } {
		const img = createImage(200, 120, [255, 255, 255, 255]);
		const rect: Point[] = [[0, 0], [120, 0], [120, 24], [0, 24]];
		const box = rect.map((p) => rotate(p, -15, [60, 12])).map(([x, y]) => [x + 40, y + 48] as Point) as Quad;
		const inv = (x: number, y: number) => rotate([x - 40, y - 48], 15, [60, 12]);
		for (let y = 0; y < 120; y++) {
			for (let x = 0; x < 200; x++) {
				const [u, v] = inv(x + 0.5, y + 0.5);
				if (u < 0 || u > 120 || v < 0 || v > 24) continue;
				const o = (y * 200 + x) * 4;
				img.data.set(u < 60 ? [200, 0, 0, 255] : [0, 0, 200, 255], o);
			}
		}
		return { img, box };
	}

	it('cropQuad straightens a rotated line along its own rectangle', () => {
		const { img, box } = tiltedBar();
		const crop = cropQuad(img, box);
		expect(crop.width).toBe(120);
		expect(crop.height).toBe(24);
		const px = (x: number, y: number) => [...crop.data.subarray((y * crop.width + x) * 4, (y * crop.width + x) * 4 + 3)];
		expect(px(20, 12)).toEqual([200, 0, 0]);
		expect(px(100, 12)).toEqual([0, 0, 200]);
		expect(px(20, 2)[0]).toBeGreaterThan(150);
		expect(px(100, 21)[2]).toBeGreaterThan(150);
	});

	it('cropQuad turns tall crops 90° (vertical text)', () => {
		const img = createImage(40, 100, [255, 255, 255, 255]);
		const crop = cropQuad(img, [[5, 5], [25, 5], [25, 95], [5, 95]]);
		expect([crop.width, crop.height]).toEqual([90, 20]);
	});

	it('rotate90ccw and rotate180', () => {
		const img: RGBAImage = { width: 2, height: 1, data: new Uint8ClampedArray([1, 1, 1, 255, 2, 2, 2, 255]) };
		const r = rotate90ccw(img);
		expect([r.width, r.height]).toEqual([1, 2]);
		expect([r.data[0], r.data[4]]).toEqual([2, 1]); // the right pixel goes up
		const f = rotate180(img);
		expect([f.data[0], f.data[4]]).toEqual([2, 1]);
	});

	it('writeLine: height 48, width by aspect, BGR (v/127.5 − 1), zero padding', () => {
		const img = createImage(100, 20, [255, 0, 0, 255]);
		const batch = new Float32Array(2 * 3 * 48 * 320).fill(7);
		batch.fill(0, 3 * 48 * 320); // item 1 starts zeroed as a fresh batch would
		const w = writeLine(img, batch, 1, 48, 320);
		expect(w).toBe(240);
		const base = 3 * 48 * 320;
		const plane = 48 * 320;
		expect(batch[base + 10]).toBeCloseTo(-1); // B
		expect(batch[base + 2 * plane + 10]).toBeCloseTo(1); // R
		expect(batch[base + 300]).toBe(0); // padding
		expect(batch[0]).toBe(7); // item 0 untouched
		expect(writeLine(createImage(1000, 10, [0, 0, 0, 255]), new Float32Array(3 * 48 * 192), 0, 48, 192)).toBe(192);
	});

	it('recBatchWidth: at least 320, the widest line, at most 2400', () => {
		expect(recBatchWidth([2])).toBe(320);
		expect(recBatchWidth([3, 10.1])).toBe(485);
		expect(recBatchWidth([100])).toBe(2400);
	});
});

describe('CTC decoding', () => {
	const classes = parseDictionary('a\nb\n中\n');
	it('parseDictionary: blank, the lines, space', () => {
		expect(classes).toEqual(['', 'a', 'b', '中', ' ']);
		expect(parseDictionary('x\r\ny')).toEqual(['', 'x', 'y', ' ']);
	});

	/** One-hot-ish probabilities: each step's argmax gets `p`, the rest share 1 − p. */
	function tensor(seqs: number[][], p = 0.9): Float32Array {
		const steps = seqs[0].length;
		const t = new Float32Array(seqs.length * steps * classes.length);
		seqs.forEach((seq, b) =>
			seq.forEach((c, s) => {
				const o = (b * steps + s) * classes.length;
				for (let k = 0; k < classes.length; k++) t[o + k] = k === c ? p : (1 - p) / (classes.length - 1);
			})
		);
		return t;
	}

	it('merges repeats, drops blanks, keeps doubled letters split by a blank', () => {
		const seqs = [
			[0, 1, 1, 0, 1, 2, 2, 4, 3, 0],
			[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
		];
		const [a, b] = ctcDecode(tensor(seqs), 2, 10, classes.length, classes);
		expect(a.text).toBe('aab 中');
		expect(a.confidence).toBeCloseTo(0.9);
		expect(b).toEqual({ text: '', confidence: 0 });
	});

	it('confidence is the mean of the kept steps’ max probabilities', () => {
		const t = tensor([[1, 0, 2]]);
		t[0 * 5 + 1] = 0.5; // step 0: 'a' at 0.5
		t[0 * 5 + 0] = 0.1;
		const [d] = ctcDecode(t, 1, 3, 5, classes);
		expect(d.text).toBe('ab');
		expect(d.confidence).toBeCloseTo((0.5 + 0.9) / 2);
	});
});
