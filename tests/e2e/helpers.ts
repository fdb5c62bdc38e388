import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';

export const SAMPLES = 'node_modules/@vladmandic/face-api/demo';
export const sample = (n: number) => readFileSync(`${SAMPLES}/sample${n}.jpg`);
export const b64 = (buf: Uint8Array | Buffer) => Buffer.from(buf).toString('base64');

export async function openApp(page: Page, path = '/'): Promise<void> {
	await page.goto(path);
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
}

/** What a test needs to know about an output image, decoded in the page by the browser itself. */
export interface Inspected {
	width: number;
	height: number;
	bytes: number;
	head: string; // first 16 bytes, hex
	tail: string; // last 4 bytes, hex
	mean: [number, number, number, number];
	/** RGBA at fractional positions asked for */
	at: Record<string, [number, number, number, number]>;
}

/** Decodes an image_url (or data URL) in the page with createImageBitmap and samples it. */
export async function inspect(page: Page, url: string, points: Record<string, [number, number]> = {}): Promise<Inspected> {
	return page.evaluate(
		async ({ url, points }) => {
			const bytes: Uint8Array = url.startsWith('data:')
				? Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0))
				: await (window as any).darkroom.fetchBytes(url);
			const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
			const bmp = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
			const c = new OffscreenCanvas(bmp.width, bmp.height);
			const g = c.getContext('2d')!;
			g.drawImage(bmp, 0, 0);
			const d = g.getImageData(0, 0, bmp.width, bmp.height).data;
			const mean = [0, 0, 0, 0];
			for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 4; k++) mean[k] += d[i + k];
			const n = d.length / 4;
			const at: Record<string, number[]> = {};
			for (const [k, [fx, fy]] of Object.entries(points as Record<string, [number, number]>)) {
				const x = Math.min(bmp.width - 1, Math.round(fx * (bmp.width - 1)));
				const y = Math.min(bmp.height - 1, Math.round(fy * (bmp.height - 1)));
				const i = (y * bmp.width + x) * 4;
				at[k] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
			}
			return {
				width: bmp.width,
				height: bmp.height,
				bytes: bytes.length,
				head: hex(bytes.subarray(0, 16)),
				tail: hex(bytes.subarray(bytes.length - 4)),
				mean: mean.map((m) => m / n),
				at
			};
		},
		{ url, points }
	) as Promise<Inspected>;
}

export const SIGNATURE = {
	jpeg: /^ffd8ff/,
	png: /^89504e470d0a1a0a/,
	webp: /^52494646.{8}57454250/,
	avif: /^.{8}6674797061766966/ // ....ftypavif
};

/** Calls window.darkroom.<path>(request) in the page; `$sample` strings become that photo's base64. */
export async function call<T = any>(page: Page, path: string, request: unknown): Promise<T> {
	return page.evaluate(
		async ({ path, request }) => {
			const fn = path.split('.').reduce((o: any, k) => o[k], (window as any).darkroom);
			const owner = path.split('.').slice(0, -1).reduce((o: any, k) => o[k], (window as any).darkroom);
			return fn.call(owner, request);
		},
		{ path, request }
	);
}

/** Like call() but returns the rejection as plain data ({ name, code, status, message, param }). */
export async function callError(page: Page, path: string, request: unknown): Promise<{ name: string; code: string; status: number; message: string; param?: string }> {
	const r = await page.evaluate(
		async ({ path, request }) => {
			const parts = path.split('.');
			const owner = parts.slice(0, -1).reduce((o: any, k) => o[k], (window as any).darkroom);
			try {
				await owner[parts[parts.length - 1]](request);
				return null;
			} catch (e: any) {
				return { name: e?.name, code: e?.code, status: e?.status, message: e?.message, param: e?.param };
			}
		},
		{ path, request }
	);
	expect(r, `${path} should have rejected`).not.toBeNull();
	return r!;
}

/**
 * Counts the pixels that differ between two images of the same size, per quadrant
 * [top-left, top-right, bottom-left, bottom-right]. `threshold` applies to the sum of
 * absolute RGB differences (or to red alone with `redOnly`).
 */
export async function changedQuadrants(page: Page, urlA: string, urlB: string, threshold: number, redOnly = false): Promise<number[]> {
	return page.evaluate(
		async ({ urlA, urlB, threshold, redOnly }) => {
			const load = async (url: string) => {
				const b = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(url)]));
				const c = new OffscreenCanvas(b.width, b.height);
				c.getContext('2d')!.drawImage(b, 0, 0);
				return c.getContext('2d')!.getImageData(0, 0, b.width, b.height);
			};
			const a = await load(urlA);
			const b = await load(urlB);
			const q = [0, 0, 0, 0];
			for (let y = 0; y < a.height; y++)
				for (let x = 0; x < a.width; x++) {
					const i = (y * a.width + x) * 4;
					const d = redOnly
						? Math.abs(a.data[i] - b.data[i])
						: Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
					if (d > threshold) q[(y < a.height / 2 ? 0 : 2) + (x < a.width / 2 ? 0 : 1)]++;
				}
			return q;
		},
		{ urlA, urlB, threshold, redOnly }
	);
}

/** Per-pixel comparison of two same-size PNG results: outside every box must be identical; counts changed pixels inside. */
export async function compareOutside(page: Page, a: string, b: string, boxes: { x: number; y: number; width: number; height: number }[]) {
	return page.evaluate(
		async ({ a, b, boxes }) => {
			const load = async (url: string) => {
				const bmp = await createImageBitmap(new Blob([await (window as any).darkroom.fetchBytes(url)]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				c.getContext('2d')!.drawImage(bmp, 0, 0);
				return c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height);
			};
			const A = await load(a);
			const B = await load(b);
			const inside = new Uint8Array(A.width * A.height);
			for (const r of boxes) for (let y = r.y; y < r.y + r.height; y++) for (let x = r.x; x < r.x + r.width; x++) inside[y * A.width + x] = 1;
			let outsideDiff = 0, insideChanged = 0, insideTotal = 0;
			for (let i = 0; i < inside.length; i++) {
				const d = A.data[i * 4] !== B.data[i * 4] || A.data[i * 4 + 1] !== B.data[i * 4 + 1] || A.data[i * 4 + 2] !== B.data[i * 4 + 2] || A.data[i * 4 + 3] !== B.data[i * 4 + 3];
				if (inside[i]) {
					insideTotal++;
					if (d) insideChanged++;
				} else if (d) outsideDiff++;
			}
			return { outsideDiff, insideChanged, insideTotal, size: [A.width, A.height, B.width, B.height] };
		},
		{ a, b, boxes }
	);
}
