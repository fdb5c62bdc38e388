/** A rectangle [x0, x1) × [y0, y1) of the image. */
export interface Box {
	x0: number;
	y0: number;
	x1: number;
	y1: number;
}

/**
 * Groups the hole pixels into independent work rectangles: each 8-connected hole
 * component's bounding box grown by `margin(bw, bh)` (clipped to the image), with
 * overlapping rectangles merged until none overlap. A small hole in a large photo
 * thus costs a small crop; far-apart holes cost two small crops, not their union.
 */
export function holeBoxes(mask: Uint8Array, w: number, h: number, margin: (bw: number, bh: number) => number): Box[] {
	const seen = new Uint8Array(w * h);
	const stack = new Int32Array(w * h > 1 << 20 ? 1 << 20 : w * h);
	let boxes: Box[] = [];
	for (let start = 0; start < w * h; start++) {
		if (!mask[start] || seen[start]) continue;
		let x0 = w;
		let y0 = h;
		let x1 = -1;
		let y1 = -1;
		let sp = 0;
		const grow: number[] = []; // overflow stack for huge components
		const push = (i: number) => {
			seen[i] = 1;
			if (sp < stack.length) stack[sp++] = i;
			else grow.push(i);
		};
		push(start);
		while (sp > 0 || grow.length > 0) {
			const i = grow.length > 0 ? grow.pop()! : stack[--sp];
			const x = i % w;
			const y = (i - x) / w;
			if (x < x0) x0 = x;
			if (x > x1) x1 = x;
			if (y < y0) y0 = y;
			if (y > y1) y1 = y;
			for (let dy = -1; dy <= 1; dy++) {
				const yy = y + dy;
				if (yy < 0 || yy >= h) continue;
				for (let dx = -1; dx <= 1; dx++) {
					const xx = x + dx;
					if (xx < 0 || xx >= w) continue;
					const j = yy * w + xx;
					if (mask[j] && !seen[j]) push(j);
				}
			}
		}
		const m = Math.max(0, Math.round(margin(x1 - x0 + 1, y1 - y0 + 1)));
		boxes.push({ x0: Math.max(0, x0 - m), y0: Math.max(0, y0 - m), x1: Math.min(w, x1 + 1 + m), y1: Math.min(h, y1 + 1 + m) });
	}
	// Merge overlapping rectangles until stable.
	let merged = true;
	while (merged) {
		merged = false;
		const out: Box[] = [];
		for (const b of boxes) {
			let cur = { ...b };
			for (let k = 0; k < out.length; k++) {
				const o = out[k];
				if (cur.x0 < o.x1 && o.x0 < cur.x1 && cur.y0 < o.y1 && o.y0 < cur.y1) {
					cur = { x0: Math.min(cur.x0, o.x0), y0: Math.min(cur.y0, o.y0), x1: Math.max(cur.x1, o.x1), y1: Math.max(cur.y1, o.y1) };
					out.splice(k, 1);
					k = -1;
					merged = true;
				}
			}
			out.push(cur);
		}
		boxes = out;
	}
	return boxes.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}
