import { describe, expect, it } from 'vitest';
import {
	anyPaint,
	appendPoint,
	boundsOf,
	closesPolygon,
	defaultRect,
	fitMarkTo,
	handlePoint,
	hits,
	markBounds,
	paints,
	pointInPolygon,
	polygonArea,
	previewSize,
	rectFromDrag,
	resizeBox,
	segmentDistance,
	shapeAt,
	textMark,
	tidy,
	translateMark,
	type Mark,
	type Point,
	type StrokeMark
} from '../../src/lib/ui/remove/mask';
import { canRedo, canUndo, commit, redo, startHistory, undo } from '../../src/lib/ui/remove/history';

const rect = (id: number, x0: number, y0: number, x1: number, y1: number): Mark => ({ kind: 'rect', id, points: rectFromDrag([x0, y0], [x1, y1]) });
const stroke = (id: number, points: Point[], radius: number, erase = false): StrokeMark => ({ kind: 'stroke', id, points, radius, erase });

describe('remove page marks: geometry', () => {
	it('a drag in any direction gives the same clockwise rectangle', () => {
		expect(rectFromDrag([10, 20], [50, 80])).toEqual([[10, 20], [50, 20], [50, 80], [10, 80]]);
		expect(rectFromDrag([50, 80], [10, 20])).toEqual(rectFromDrag([10, 20], [50, 80]));
		expect(boundsOf(rectFromDrag([50, 20], [10, 80]))).toEqual({ x: 10, y: 20, width: 40, height: 60 });
	});

	it("a stroke's box grows by its radius; an empty list has an empty box", () => {
		expect(markBounds(stroke(1, [[10, 10], [30, 10]], 5))).toEqual({ x: 5, y: 5, width: 30, height: 10 });
		expect(boundsOf([])).toEqual({ x: 0, y: 0, width: 0, height: 0 });
	});

	it('OCR lines become text marks clamped to the image, on by default', () => {
		const m = textMark(7, { text: 'SALE', confidence: 0.93, box: [[-3, 5], [120, 4], [121, 40], [-2, 41]] }, 100, 40);
		expect(m).toEqual({ kind: 'text', id: 7, text: 'SALE', confidence: 0.93, on: true, points: [[0, 5], [100, 4], [100, 40], [0, 40]] });
	});

	it('only shapes, turned-on text and brush strokes paint; the eraser and turned-off text do not', () => {
		const off = { ...textMark(1, { text: 'x', confidence: 1, box: [[0, 0], [4, 0], [4, 4], [0, 4]] }, 10, 10), on: false };
		expect(paints(off)).toBe(false);
		expect(paints({ ...off, on: true })).toBe(true);
		expect(paints(stroke(2, [[1, 1]], 3, true))).toBe(false);
		expect(paints(stroke(2, [[1, 1]], 3))).toBe(true);
		expect(anyPaint([off, stroke(3, [[1, 1]], 3, true)])).toBe(false);
		expect(anyPaint([off, rect(4, 0, 0, 5, 5)])).toBe(true);
		expect(anyPaint([])).toBe(false);
	});

	it('moving stops at the image edges and keeps the shape', () => {
		const r = rect(1, 10, 10, 30, 20);
		expect(boundsOf(translateMark(r, 5, 7, 100, 100).points)).toEqual({ x: 15, y: 17, width: 20, height: 10 });
		expect(boundsOf(translateMark(r, -50, 500, 100, 100).points)).toEqual({ x: 0, y: 90, width: 20, height: 10 });
		// A rotated quad moves as a whole.
		const q: Mark = { kind: 'poly', id: 2, points: [[10, 0], [20, 10], [10, 20], [0, 10]] };
		expect(translateMark(q, 3, 4, 100, 100).points).toEqual([[13, 4], [23, 14], [13, 24], [3, 14]]);
	});

	it('resizing by a handle keeps the opposite side, a minimum size and the image bounds', () => {
		const b = { x: 10, y: 10, width: 40, height: 20 };
		expect(resizeBox(b, 'se', 10, 5, 4, 100, 100)).toEqual({ x: 10, y: 10, width: 50, height: 25 });
		expect(resizeBox(b, 'nw', -5, -5, 4, 100, 100)).toEqual({ x: 5, y: 5, width: 45, height: 25 });
		expect(resizeBox(b, 'w', 100, 0, 4, 100, 100)).toEqual({ x: 46, y: 10, width: 4, height: 20 });
		expect(resizeBox(b, 'e', 500, 0, 4, 100, 100)).toEqual({ x: 10, y: 10, width: 90, height: 20 });
		expect(resizeBox(b, 'n', 0, -50, 4, 100, 100)).toEqual({ x: 10, y: 0, width: 40, height: 30 });
		expect(handlePoint(b, 'se')).toEqual([50, 30]);
		expect(handlePoint(b, 'n')).toEqual([30, 10]);
		expect(handlePoint(b, 'w')).toEqual([10, 20]);
	});

	it("fitting into a new box maps every point (a rotated text quad keeps its shape)", () => {
		const q: Mark = { kind: 'poly', id: 1, points: [[10, 0], [20, 10], [10, 20], [0, 10]] };
		const out = fitMarkTo(q, { x: 0, y: 0, width: 20, height: 20 }, { x: 100, y: 50, width: 40, height: 10 });
		expect(out.points).toEqual([[120, 50], [140, 55], [120, 60], [100, 55]]);
	});

	it('hit tests: inside shapes, near outlines, under strokes; the topmost shape wins and strokes are skipped', () => {
		expect(pointInPolygon([5, 5], rectFromDrag([0, 0], [10, 10]))).toBe(true);
		expect(pointInPolygon([15, 5], rectFromDrag([0, 0], [10, 10]))).toBe(false);
		const tri: Point[] = [[0, 0], [10, 0], [0, 10]];
		expect(pointInPolygon([2, 2], tri)).toBe(true);
		expect(pointInPolygon([8, 8], tri)).toBe(false);
		expect(segmentDistance([5, 3], [0, 0], [10, 0])).toBe(3);
		expect(segmentDistance([-4, 3], [0, 0], [10, 0])).toBe(5);
		expect(hits(rect(1, 0, 0, 10, 10), [12, 5], 0)).toBe(false);
		expect(hits(rect(1, 0, 0, 10, 10), [12, 5], 2)).toBe(true);
		expect(hits(stroke(2, [[0, 0], [20, 0]], 3), [10, 2.5])).toBe(true);
		expect(hits(stroke(2, [[0, 0], [20, 0]], 3), [10, 4])).toBe(false);
		expect(hits(stroke(2, [[5, 5]], 3), [7, 7])).toBe(true);
		const marks = [rect(1, 0, 0, 50, 50), rect(2, 20, 20, 60, 60), stroke(3, [[0, 30], [100, 30]], 10)];
		expect(shapeAt(marks, [30, 30])).toBe(1);
		expect(shapeAt(marks, [5, 5])).toBe(0);
		expect(shapeAt(marks, [90, 30])).toBe(-1);
	});

	it('strokes skip pointer positions closer than the step; polygons close on their first point', () => {
		const a: Point[] = [[0, 0]];
		expect(appendPoint(a, [0.5, 0], 1)).toBe(a);
		expect(appendPoint(a, [2, 0], 1)).toEqual([[0, 0], [2, 0]]);
		expect(appendPoint([], [3, 4], 1)).toEqual([[3, 4]]);
		const poly: Point[] = [[0, 0], [10, 0], [10, 10]];
		expect(closesPolygon(poly, [1, 1], 2)).toBe(true);
		expect(closesPolygon(poly, [5, 5], 2)).toBe(false);
		expect(closesPolygon(poly.slice(0, 2), [0, 0], 2)).toBe(false);
		expect(polygonArea(poly)).toBe(50);
		expect(polygonArea([[0, 0], [5, 5], [10, 10]])).toBe(0);
	});

	it('tidy rounds to 1/100 px; the preview canvas is the image shrunk to a maximum side; the default rectangle is centred', () => {
		expect(tidy(rect(1, 0.123456, 1.98765, 3.3333, 4)).points[0]).toEqual([0.12, 1.99]);
		expect(previewSize(4000, 3000, 2048)).toEqual({ width: 2048, height: 1536, scale: 0.512 });
		expect(previewSize(800, 600, 2048)).toEqual({ width: 800, height: 600, scale: 1 });
		expect(boundsOf(defaultRect(400, 200))).toEqual({ x: 175, y: 75, width: 50, height: 50 });
	});
});

describe('remove page marks: undo / redo', () => {
	it('commits, undoes and redoes whole snapshots; a new commit drops the redo branch', () => {
		let h = startHistory<number[]>([]);
		expect(canUndo(h) || canRedo(h)).toBe(false);
		const one = [1];
		h = commit(h, one);
		h = commit(h, [1, 2]);
		expect(h.present).toEqual([1, 2]);
		h = undo(h);
		expect(h.present).toBe(one);
		expect(canRedo(h)).toBe(true);
		h = redo(h);
		expect(h.present).toEqual([1, 2]);
		h = undo(undo(h));
		expect(h.present).toEqual([]);
		expect(undo(h)).toBe(h); // nothing more to undo
		h = redo(h);
		h = commit(h, [9]);
		expect(canRedo(h)).toBe(false);
		expect(redo(h)).toBe(h);
		expect(h.past).toEqual([[], [1]]);
	});

	it('committing the same snapshot is a no-op; old snapshots are dropped past the limit', () => {
		let h = startHistory([0]);
		expect(commit(h, h.present)).toBe(h);
		for (let i = 1; i <= 10; i++) h = commit(h, [i], 4);
		expect(h.past.map((p) => p[0])).toEqual([6, 7, 8, 9]);
		expect(h.present).toEqual([10]);
	});
});
