/**
 * Full-reference quality of a restored image against its original, for the tests and the
 * benchmark: PSNR over RGB and SSIM on luma (BT.601), both over a centre region that
 * leaves out `border` pixels on each side (the usual super-resolution evaluation, since
 * every method guesses at the edges).
 */
import type { RGBAImage } from '../../core/image';

function checkSameSize(a: RGBAImage, b: RGBAImage): void {
	if (a.width !== b.width || a.height !== b.height) throw new RangeError(`sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
}

/** PSNR in dB over R, G and B (peak 255); Infinity when identical. */
export function psnr(a: RGBAImage, b: RGBAImage, border = 0): number {
	checkSameSize(a, b);
	let se = 0;
	let n = 0;
	for (let y = border; y < a.height - border; y++) {
		for (let x = border, i = (y * a.width + border) * 4; x < a.width - border; x++, i += 4) {
			for (let c = 0; c < 3; c++) {
				const d = a.data[i + c] - b.data[i + c];
				se += d * d;
			}
			n += 3;
		}
	}
	return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / se);
}

function luma(img: RGBAImage): Float64Array {
	const out = new Float64Array(img.width * img.height);
	for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2];
	return out;
}

/** Mean SSIM on luma over 8×8 windows every 4 px (Wang et al.'s constants, L = 255). */
export function ssim(a: RGBAImage, b: RGBAImage, border = 0): number {
	checkSameSize(a, b);
	const W = a.width;
	const la = luma(a);
	const lb = luma(b);
	const C1 = (0.01 * 255) ** 2;
	const C2 = (0.03 * 255) ** 2;
	const win = 8;
	let sum = 0;
	let count = 0;
	for (let y0 = border; y0 + win <= a.height - border; y0 += 4) {
		for (let x0 = border; x0 + win <= W - border; x0 += 4) {
			let ma = 0, mb = 0, vaa = 0, vbb = 0, vab = 0;
			for (let y = y0; y < y0 + win; y++) {
				for (let x = x0, i = y * W + x0; x < x0 + win; x++, i++) {
					const p = la[i];
					const q = lb[i];
					ma += p;
					mb += q;
					vaa += p * p;
					vbb += q * q;
					vab += p * q;
				}
			}
			const n = win * win;
			ma /= n;
			mb /= n;
			const sa = vaa / n - ma * ma;
			const sb = vbb / n - mb * mb;
			const sab = vab / n - ma * mb;
			sum += ((2 * ma * mb + C1) * (2 * sab + C2)) / ((ma * ma + mb * mb + C1) * (sa + sb + C2));
			count++;
		}
	}
	return count ? sum / count : 1;
}

/** Mean squared 4-neighbour Laplacian of luma: high-frequency energy, larger = sharper. */
export function laplacianEnergy(img: RGBAImage): number {
	const W = img.width;
	const l = luma(img);
	let s = 0;
	let n = 0;
	for (let y = 1; y < img.height - 1; y++) {
		for (let x = 1, i = y * W + 1; x < W - 1; x++, i++) {
			const v = 4 * l[i] - l[i - 1] - l[i + 1] - l[i - W] - l[i + W];
			s += v * v;
			n++;
		}
	}
	return n ? s / n : 0;
}
