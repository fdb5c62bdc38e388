/**
 * Harmonic (membrane) fill: every hole pixel becomes the mean of its 4 neighbours, with
 * known pixels as Dirichlet boundary and the buffer edge as a Neumann (mirror) boundary.
 * Solved coarse-to-fine (pull/push pyramid for the start value, then SOR at each level),
 * so large holes converge in a few dozen sweeps instead of thousands.
 */
export function harmonicFill(buf: Float32Array, w: number, h: number, ch: number, hole: Uint8Array, sweeps = 40): void {
	const idx: number[] = [];
	for (let i = 0; i < w * h; i++) if (hole[i]) idx.push(i);
	const n = idx.length;
	if (n === 0) return;
	if (n === w * h) throw new Error('harmonicFill: no known pixel');
	if (n > 16 && (w > 2 || h > 2)) {
		const cw = (w + 1) >> 1;
		const chh = (h + 1) >> 1;
		const cbuf = new Float32Array(cw * chh * ch);
		const chole = new Uint8Array(cw * chh);
		const cnt = new Uint8Array(cw * chh);
		for (let y = 0; y < h; y++)
			for (let x = 0; x < w; x++) {
				const i = y * w + x;
				if (hole[i]) continue;
				const c = (y >> 1) * cw + (x >> 1);
				cnt[c]++;
				for (let k = 0; k < ch; k++) cbuf[c * ch + k] += buf[i * ch + k];
			}
		for (let c = 0; c < cw * chh; c++) {
			if (cnt[c] === 0) chole[c] = 1;
			else for (let k = 0; k < ch; k++) cbuf[c * ch + k] /= cnt[c];
		}
		harmonicFill(cbuf, cw, chh, ch, chole, sweeps);
		for (const i of idx) {
			const x = i % w;
			const y = (i - x) / w;
			// Bilinear read of the coarse solution at this pixel's centre.
			const fx = Math.min(Math.max((x - 0.5) / 2, 0), cw - 1);
			const fy = Math.min(Math.max((y - 0.5) / 2, 0), chh - 1);
			const x0 = Math.floor(fx);
			const y0 = Math.floor(fy);
			const x1 = Math.min(x0 + 1, cw - 1);
			const y1 = Math.min(y0 + 1, chh - 1);
			const ax = fx - x0;
			const ay = fy - y0;
			for (let k = 0; k < ch; k++) {
				const top = cbuf[(y0 * cw + x0) * ch + k] * (1 - ax) + cbuf[(y0 * cw + x1) * ch + k] * ax;
				const bot = cbuf[(y1 * cw + x0) * ch + k] * (1 - ax) + cbuf[(y1 * cw + x1) * ch + k] * ax;
				buf[i * ch + k] = top * (1 - ay) + bot * ay;
			}
		}
	} else {
		const mean = new Float64Array(ch);
		let m = 0;
		for (let i = 0; i < w * h; i++)
			if (!hole[i]) {
				m++;
				for (let k = 0; k < ch; k++) mean[k] += buf[i * ch + k];
			}
		for (const i of idx) for (let k = 0; k < ch; k++) buf[i * ch + k] = mean[k] / m;
	}
	const omega = 1.6;
	for (let s = 0; s < sweeps; s++)
		for (let j = 0; j < n; j++) {
			const i = idx[j];
			const x = i % w;
			const left = x > 0 ? i - 1 : i + (w > 1 ? 1 : 0);
			const right = x < w - 1 ? i + 1 : i - (w > 1 ? 1 : 0);
			const up = i >= w ? i - w : h > 1 ? i + w : i;
			const down = i < (h - 1) * w ? i + w : h > 1 ? i - w : i;
			for (let k = 0; k < ch; k++) {
				const avg = 0.25 * (buf[left * ch + k] + buf[right * ch + k] + buf[up * ch + k] + buf[down * ch + k]);
				const o = i * ch + k;
				buf[o] += omega * (avg - buf[o]);
			}
		}
}
