/**
 * Bench section "superres": AI enlarge (kernel 'ai') against Lanczos 3 on real photos.
 * Each photo is brought to 480 px wide with Lanczos (clean of JPEG noise: the original),
 * shrunk by 2 and by 4, then restored to the original size by Lanczos, by the AI enlarge
 * (the passes the resize op would run) and, for reference, by rdn-x2 / rdn-x4 alone.
 * PSNR (RGB) and SSIM (luma) against the original, 8 px border left out; time per
 * megapixel of output. Sessions are warmed up first, so the times are warm.
 */
import { decode } from '$lib/codecs/decode';
import type { RGBAImage } from '$lib/core/image';
import { resizeImage } from '$lib/core/resample';
import { aiEnlarge } from '$lib/features/superres/enlarge';
import { planAiEnlarge, type RdnScale } from '$lib/features/superres/passes';
import { laplacianEnergy, psnr, ssim } from '$lib/features/superres/quality';
import { runRdn } from '$lib/features/superres/rdn';

export const SUPERRES_PHOTOS = ['sample1.jpg', 'sample3.jpg', 'sample6.jpg'];
const WIDTH = 480;
const BORDER = 8;

export interface SuperresMethod {
	psnr_db: number;
	ssim: number;
	laplacian: number;
	ms?: number;
	ms_per_output_mp?: number;
	model?: string;
}

export interface SuperresEntry {
	photo: string;
	factor: number;
	original: string;
	input: string;
	methods: Record<string, SuperresMethod>;
	error?: string;
}

export interface SuperresResult {
	entries?: SuperresEntry[];
	error?: string;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export async function runSuperres(photos: { name: string; bytes: ArrayBuffer }[], progress: (m: string) => void): Promise<SuperresResult> {
	const entries: SuperresEntry[] = [];
	progress('superres: warming up the rdn sessions');
	const tiny: RGBAImage = { width: 16, height: 16, data: new Uint8ClampedArray(16 * 16 * 4).fill(128) };
	for (const s of [2, 3, 4] as RdnScale[]) await runRdn(tiny, s);
	for (const p of photos.filter((p) => SUPERRES_PHOTOS.some((n) => p.name.endsWith(n)))) {
		const full = (await decode(new Uint8Array(p.bytes.slice(0)))).image;
		const H = Math.round((WIDTH * full.height) / full.width / 4) * 4;
		const orig = resizeImage(full, WIDTH, H, 'lanczos3');
		for (const factor of [2, 4] as const) {
			const entry: SuperresEntry = { photo: p.name, factor, original: `${WIDTH}x${H}`, input: `${WIDTH / factor}x${H / factor}`, methods: {} };
			entries.push(entry);
			try {
				const small = resizeImage(orig, WIDTH / factor, H / factor, 'lanczos3');
				const score = (img: RGBAImage, ms?: number, model?: string): SuperresMethod => ({
					psnr_db: r3(psnr(img, orig, BORDER)),
					ssim: r3(ssim(img, orig, BORDER) * 1000) / 1000,
					laplacian: r3(laplacianEnergy(img)),
					...(ms !== undefined ? { ms: r3(ms), ms_per_output_mp: r3(ms / ((WIDTH * H) / 1e6)) } : {}),
					...(model ? { model } : {})
				});
				progress(`superres: ${p.name} ÷${factor} → lanczos / ai / rdn-x${factor}`);
				let t = performance.now();
				const lz = resizeImage(small, WIDTH, H, 'lanczos3');
				entry.methods.lanczos3 = score(lz, performance.now() - t);
				t = performance.now();
				const ai = await aiEnlarge(small, WIDTH, H);
				entry.methods.ai = score(ai.image, performance.now() - t, ai.model ?? planAiEnlarge(small.width, small.height, WIDTH, H)?.model);
				t = performance.now();
				const direct = await runRdn(small, factor);
				entry.methods[`rdn-x${factor}`] = score(direct, performance.now() - t, `rdn-x${factor}`);
			} catch (e) {
				entry.error = e instanceof Error ? e.message : String(e);
			}
		}
	}
	return { entries };
}
