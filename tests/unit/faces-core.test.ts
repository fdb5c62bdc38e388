import { describe, expect, it } from 'vitest';
import { blazeFaceAnchors, defaultAnchors } from '../../src/lib/features/faces/anchors';
import { concatOutputs, decodeBlazeFace, sigmoid } from '../../src/lib/features/faces/decode';
import { letterboxFor, mapToSource, planTiles } from '../../src/lib/features/faces/detect';
import { iou, suppressContained, weightedNms } from '../../src/lib/features/faces/nms';
import { KEYPOINT_NAMES, type Face } from '../../src/lib/features/faces/types';

const logit = (p: number) => Math.log(p / (1 - p));

function face(x: number, y: number, w: number, score: number, kpOffset = 0): Face {
	return {
		box: { x, y, width: w, height: w },
		score,
		keypoints: KEYPOINT_NAMES.map((name, i) => ({ name, x: x + i + kpOffset, y: y + i + kpOffset }))
	};
}

describe('BlazeFace anchors', () => {
	it('896 anchors: 16×16×2 then 8×8×6, normalised cell centres', () => {
		const a = blazeFaceAnchors();
		expect(a).toHaveLength(896);
		expect(a[0]).toEqual({ x: 0.5 / 16, y: 0.5 / 16 });
		expect(a[1]).toEqual(a[0]);
		expect(a[2]).toEqual({ x: 1.5 / 16, y: 0.5 / 16 });
		expect(a[511]).toEqual({ x: 15.5 / 16, y: 15.5 / 16 });
		expect(a[512]).toEqual({ x: 0.5 / 8, y: 0.5 / 8 });
		expect(a[517]).toEqual(a[512]);
		expect(a[518]).toEqual({ x: 1.5 / 8, y: 0.5 / 8 });
		expect(a[895]).toEqual({ x: 7.5 / 8, y: 7.5 / 8 });
		expect(defaultAnchors()).toBe(defaultAnchors());
	});
});

describe('BlazeFace decode', () => {
	it('sigmoid clips extreme logits', () => {
		expect(sigmoid(0)).toBe(0.5);
		expect(sigmoid(1e6)).toBeCloseTo(1, 12);
		expect(sigmoid(-1e6)).toBeGreaterThan(0);
	});

	it('a synthetic regressor gives the known box and keypoints; low scores are dropped', () => {
		const n = 896;
		const scores = new Float32Array(n).fill(-10);
		const reg = new Float32Array(n * 16);
		// Anchor 600: in the 8×8 grid (88th of its 384 → cell 14 = column 6, row 1).
		const i = 600;
		const a = defaultAnchors()[i];
		expect(a).toEqual({ x: 6.5 / 8, y: 1.5 / 8 });
		scores[i] = logit(0.9);
		// 128² input: centre +8 px right, −4 px up; 32×24 px box; keypoints at fixed pixel offsets.
		reg.set([8, -4, 32, 24, -6, -5, 6, -5, 0, 0, 0, 6, -14, 0, 14, 0], i * 16);
		scores[10] = logit(0.4); // below threshold
		const out = decodeBlazeFace({ scores, regressors: reg }, 128, 0.5);
		expect(out).toHaveLength(1);
		const f = out[0];
		expect(f.score).toBeCloseTo(0.9, 5);
		const cx = a.x + 8 / 128;
		const cy = a.y - 4 / 128;
		expect(f.box.x).toBeCloseTo(cx - 16 / 128, 6);
		expect(f.box.y).toBeCloseTo(cy - 12 / 128, 6);
		expect(f.box.width).toBeCloseTo(32 / 128, 6);
		expect(f.box.height).toBeCloseTo(24 / 128, 6);
		expect(f.keypoints.map((k) => k.name)).toEqual(['rightEye', 'leftEye', 'nose', 'mouth', 'rightEar', 'leftEar']);
		expect(f.keypoints[0].x).toBeCloseTo(a.x - 6 / 128, 6);
		expect(f.keypoints[3].y).toBeCloseTo(a.y + 6 / 128, 6);
		expect(f.keypoints[5].x).toBeCloseTo(a.x + 14 / 128, 6);
		// Same raw values at 256² input → half the normalised extent.
		expect(decodeBlazeFace({ scores, regressors: reg }, 256, 0.5)[0].box.width).toBeCloseTo(32 / 256, 6);
	});

	it('concatOutputs joins the two grids and rejects mismatched sizes', () => {
		const r = concatOutputs(new Float32Array(512), new Float32Array(384).fill(1), new Float32Array(512 * 16), new Float32Array(384 * 16));
		expect(r.scores.length).toBe(896);
		expect(r.scores[512]).toBe(1);
		expect(r.regressors.length).toBe(896 * 16);
		expect(() => decodeBlazeFace({ scores: new Float32Array(10), regressors: new Float32Array(160) }, 128, 0.5)).toThrow();
	});
});

describe('weighted NMS', () => {
	it('IoU', () => {
		expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: 10, height: 10 })).toBe(1);
		expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150);
		expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
	});

	it('two overlapping boxes merge to the score-weighted average (keypoints too); distant boxes stay', () => {
		const a = face(0, 0, 100, 0.9);
		const b = face(10, 10, 100, 0.6, 10); // IoU 0.68
		const c = face(500, 500, 100, 0.8);
		const out = weightedNms([b, c, a], 0.3);
		expect(out).toHaveLength(2);
		const m = out[0];
		expect(m.score).toBe(0.9);
		expect(m.box.x).toBeCloseTo((0 * 0.9 + 10 * 0.6) / 1.5, 9);
		expect(m.box.y).toBeCloseTo(4, 9);
		expect(m.box.width).toBeCloseTo(100, 9);
		expect(m.keypoints[2].x).toBeCloseTo((2 * 0.9 + 22 * 0.6) / 1.5, 9);
		expect(out[1]).toEqual(c);
	});

	it('boxes below the IoU threshold are kept apart', () => {
		const out = weightedNms([face(0, 0, 100, 0.9), face(70, 0, 100, 0.8)], 0.3); // IoU 30/170
		expect(out).toHaveLength(2);
		expect(out[1].box.x).toBe(70);
	});

	it('suppressContained drops a lower-scored box around / inside a better one', () => {
		const small = face(100, 100, 50, 0.9);
		const big = face(80, 80, 120, 0.6); // IoU 0.17 but contains `small`
		const other = face(400, 100, 50, 0.7);
		expect(suppressContained([big, other, small])).toEqual([small, other]);
	});
});

describe('letterbox and tiles', () => {
	it('letterbox maps model-normalised coordinates back to source pixels', () => {
		const lb = letterboxFor(400, 200, 128);
		expect(lb).toEqual({ scale: 0.32, padX: 0, padY: 32, innerW: 128, innerH: 64 });
		// A face in the region {x:1000, y:500, 400×200} occupying input pixels (32..64, 48..80).
		const f = face(32 / 128, 48 / 128, 32 / 128, 0.9);
		const m = mapToSource(f, { x: 1000, y: 500, width: 400, height: 200 }, lb, 128);
		expect(m.box.x).toBeCloseTo(1000 + 32 / 0.32, 6);
		expect(m.box.y).toBeCloseTo(500 + (48 - 32) / 0.32, 6);
		expect(m.box.width).toBeCloseTo(100, 6);
		expect(m.keypoints[0].x).toBeCloseTo(1100, 6);
	});

	it('tiles: ≈ min/2 squares, ≥ 25 % overlap, cover the image, at most 12', () => {
		for (const [w, h] of [[1920, 1280], [1920, 1537], [4000, 3000], [6000, 1000], [1000, 6000], [300, 300]] as const) {
			const tiles = planTiles(w, h);
			expect(tiles.length).toBeGreaterThan(0);
			expect(tiles.length).toBeLessThanOrEqual(12);
			const s = tiles[0].width;
			expect(s).toBeGreaterThanOrEqual(Math.round(Math.min(w, h) / 2));
			for (const t of tiles) {
				expect(t.x).toBeGreaterThanOrEqual(0);
				expect(t.y).toBeGreaterThanOrEqual(0);
				expect(t.x + t.width).toBeLessThanOrEqual(w);
				expect(t.y + t.height).toBeLessThanOrEqual(h);
			}
			expect(Math.max(...tiles.map((t) => t.x + t.width))).toBe(w);
			expect(Math.max(...tiles.map((t) => t.y + t.height))).toBe(h);
			const xs = [...new Set(tiles.map((t) => t.x))].sort((a, b) => a - b);
			for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeLessThanOrEqual(s * 0.75 + 1);
		}
		expect(planTiles(1920, 1280)).toHaveLength(12);
		expect(planTiles(100, 100)).toEqual([]);
	});
});
