/**
 * Weighted non-maximum suppression (MediaPipe's "WEIGHTED" overlap mode): repeatedly take
 * the highest-scoring remaining detection, gather every remaining detection whose IoU with
 * it is ≥ `iouThreshold` (itself included), and replace the cluster by the score-weighted
 * average of their boxes and keypoints, keeping the top score. Pure; any coordinate unit.
 */
import type { Box, Face } from './types';

export function iou(a: Box, b: Box): number {
	const x0 = Math.max(a.x, b.x);
	const y0 = Math.max(a.y, b.y);
	const x1 = Math.min(a.x + a.width, b.x + b.width);
	const y1 = Math.min(a.y + a.height, b.y + b.height);
	const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
	const union = a.width * a.height + b.width * b.height - inter;
	return union > 0 ? inter / union : 0;
}

export function weightedNms(faces: readonly Face[], iouThreshold = 0.3): Face[] {
	let rest = [...faces].sort((a, b) => b.score - a.score);
	const out: Face[] = [];
	while (rest.length) {
		const top = rest[0];
		const cluster: Face[] = [];
		const keep: Face[] = [];
		for (const f of rest) (iou(top.box, f.box) >= iouThreshold || f === top ? cluster : keep).push(f);
		rest = keep;
		if (cluster.length === 1) {
			out.push(top);
			continue;
		}
		let wsum = 0;
		let x0 = 0;
		let y0 = 0;
		let x1 = 0;
		let y1 = 0;
		const kp = top.keypoints.map((k) => ({ name: k.name, x: 0, y: 0 }));
		for (const f of cluster) {
			const w = f.score;
			wsum += w;
			x0 += f.box.x * w;
			y0 += f.box.y * w;
			x1 += (f.box.x + f.box.width) * w;
			y1 += (f.box.y + f.box.height) * w;
			for (let k = 0; k < kp.length; k++) {
				kp[k].x += f.keypoints[k].x * w;
				kp[k].y += f.keypoints[k].y * w;
			}
		}
		for (const k of kp) {
			k.x /= wsum;
			k.y /= wsum;
		}
		x0 /= wsum;
		y0 /= wsum;
		x1 /= wsum;
		y1 /= wsum;
		out.push({ box: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, score: top.score, keypoints: kp });
	}
	return out;
}

/** Intersection area over the area of `a`. */
export function overlapOf(a: Box, b: Box): number {
	const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
	const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
	const area = a.width * a.height;
	return w > 0 && h > 0 && area > 0 ? (w * h) / area : 0;
}

/**
 * Drops faces that mostly overlap a higher-scoring face (boxes of different scale around
 * the same face escape IoU-based NMS: a box twice as wide has IoU 0.25). A face is dropped
 * when the intersection covers ≥ `threshold` of either box. Returns faces by score, highest first.
 */
export function suppressContained(faces: readonly Face[], threshold = 0.5): Face[] {
	const sorted = [...faces].sort((a, b) => b.score - a.score);
	const out: Face[] = [];
	for (const f of sorted) {
		if (out.some((k) => overlapOf(f.box, k.box) >= threshold || overlapOf(k.box, f.box) >= threshold)) continue;
		out.push(f);
	}
	return out;
}
