/**
 * The Remove page (/remove) as a person uses it, on a real photo (face-api's sample1.jpg)
 * with a caption, a "SAMPLE COPY" mark and a logo drawn on it in the page: the text is found
 * and shown as boxes, tools mark other areas, Remove runs repair.image_repair with the mask
 * the page draws, and the downloaded PNG is compared pixel by pixel with the input.
 * REMOVE_LOOK=1 writes the inputs and results to /tmp/remove-check.
 *
 * The excludeKeywords case of watermark_removal.remove on a real photo is covered by
 * api-wmremove.spec.ts ("excludeKeywords keeps that mark byte-identical").
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { b64, openApp, sample } from './helpers';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';

test.describe.configure({ timeout: 240_000 });
// Tall enough that the whole photo is on screen: pointer events go only to what is in view.
test.use({ viewport: { width: 1400, height: 1100 } });

interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}
interface Photo {
	png: Buffer;
	width: number;
	height: number;
	/** Where the page drew each mark (text boxes from measureText, outline included). */
	caption: Rect;
	copy: Rect;
	logo: Rect;
}

const CAPTION = 'SUMMER 2026 PHOTO';
const COPY = 'SAMPLE COPY';
/** The page's default mask growth (DEFAULT_DILATE). */
const DILATE = 3;

/** sample1.jpg at 960 px wide as PNG, optionally with a caption (bottom right), a mark (top left) and a logo (top right). */
async function makePhoto(page: Page, marked: boolean): Promise<Photo> {
	const r = await page.evaluate(
		async ({ data, marked, CAPTION, COPY }) => {
			const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
			const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
			const W = 960;
			const H = Math.round((bmp.height * W) / bmp.width);
			const c = new OffscreenCanvas(W, H);
			const g = c.getContext('2d')!;
			g.drawImage(bmp, 0, 0, W, H);
			const boxes: Record<string, { x: number; y: number; width: number; height: number }> = {};
			if (marked) {
				g.font = 'bold 34px sans-serif';
				g.lineWidth = 3;
				g.strokeStyle = 'rgba(0,0,0,0.8)';
				g.fillStyle = '#fff';
				const text = (name: string, s: string, x: number, y: number) => {
					const m = g.measureText(s);
					g.strokeText(s, x, y);
					g.fillText(s, x, y);
					const x0 = Math.floor(x - m.actualBoundingBoxLeft - 2), y0 = Math.floor(y - m.actualBoundingBoxAscent - 2);
					boxes[name] = { x: x0, y: y0, width: Math.ceil(x + m.actualBoundingBoxRight + 2) - x0, height: Math.ceil(y + m.actualBoundingBoxDescent + 2) - y0 };
				};
				text('caption', CAPTION, W - g.measureText(CAPTION).width - 24, H - 24);
				text('copy', COPY, 24, 52);
				g.fillStyle = '#f0a020';
				g.beginPath();
				g.arc(W - 60, 60, 34, 0, Math.PI * 2);
				g.fill();
				g.fillStyle = '#fff';
				g.beginPath();
				g.moveTo(W - 76, 78);
				g.lineTo(W - 60, 40);
				g.lineTo(W - 44, 78);
				g.closePath();
				g.fill();
				boxes.logo = { x: W - 95, y: 25, width: 70, height: 70 };
			}
			const out = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
			let s = '';
			for (let i = 0; i < out.length; i += 32768) s += String.fromCharCode(...out.subarray(i, i + 32768));
			return { b64: btoa(s), width: W, height: H, boxes };
		},
		{ data: b64(sample(1)), marked, CAPTION, COPY }
	);
	return { png: Buffer.from(r.b64, 'base64'), width: r.width, height: r.height, caption: r.boxes.caption, copy: r.boxes.copy, logo: r.boxes.logo };
}

async function openPhoto(page: Page, photo: Photo, name: string) {
	await page.getByTestId('remove-file-input').setInputFiles({ name, mimeType: 'image/png', buffer: photo.png });
	await expect(page.getByTestId('remove-source')).toBeVisible();
	// Text detection runs on open; wait for it to finish either way.
	await expect(page.getByTestId('remove-detect')).toBeEnabled({ timeout: 180_000 });
	await expect(page.getByTestId('remove-detecting')).toHaveCount(0);
}

/** Screen position of an image pixel on the stage. */
async function at(page: Page, photo: Photo, x: number, y: number): Promise<[number, number]> {
	// The page scrolls the editor into view; a zoomed photo keeps its own scroll position.
	await page.getByTestId('remove-scroller').evaluate((el) => el.scrollIntoView({ block: 'center' }));
	const b = (await page.getByTestId('remove-stage').boundingBox())!;
	return [b.x + (x / photo.width) * b.width, b.y + (y / photo.height) * b.height];
}

async function dragOn(page: Page, photo: Photo, from: [number, number], to: [number, number]) {
	await page.mouse.move(...(await at(page, photo, ...from)));
	await page.mouse.down();
	await page.mouse.move(...(await at(page, photo, ...to)), { steps: 8 });
	await page.mouse.up();
}

async function clickOn(page: Page, photo: Photo, p: [number, number]) {
	await page.mouse.click(...(await at(page, photo, ...p)));
}

/** Runs Remove as PNG and returns the downloaded file. */
async function runAndDownload(page: Page): Promise<Buffer> {
	await page.getByTestId('remove-format').selectOption('png');
	await page.getByTestId('remove-run').click();
	await expect(page.getByTestId('remove-download')).toBeEnabled({ timeout: 180_000 });
	await expect(page.getByTestId('remove-stale')).toHaveCount(0);
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('remove-download').click()]);
	expect(dl.suggestedFilename()).toMatch(/-cleaned\.png$/);
	const buf = readFileSync((await dl.path())!);
	expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
	return buf;
}

function look(name: string, buf: Buffer) {
	if (!process.env.REMOVE_LOOK) return;
	mkdirSync('/tmp/remove-check', { recursive: true });
	writeFileSync(`/tmp/remove-check/${name}.png`, buf);
}

interface Diff {
	/** Changed pixels outside every window. */
	outside: number;
	/** Per window: changed pixels and the bounding box of the changed pixels (null when none). */
	windows: { changed: number; bbox: Rect | null }[];
}

/** Decodes both PNGs in the page and compares every pixel (RGBA, exact). */
async function diff(page: Page, a: Buffer, b: Buffer, windows: Rect[]): Promise<Diff> {
	return page.evaluate(
		async ({ a, b, windows }) => {
			const load = async (s: string) => {
				const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(s), (c) => c.charCodeAt(0))]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				c.getContext('2d')!.drawImage(bmp, 0, 0);
				return c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height);
			};
			const A = await load(a);
			const B = await load(b);
			if (A.width !== B.width || A.height !== B.height) throw new Error(`sizes differ: ${A.width}x${A.height} vs ${B.width}x${B.height}`);
			const res = windows.map(() => ({ changed: 0, x0: Infinity, y0: Infinity, x1: -1, y1: -1 }));
			let outside = 0;
			for (let y = 0; y < A.height; y++)
				for (let x = 0; x < A.width; x++) {
					const i = (y * A.width + x) * 4;
					if (A.data[i] === B.data[i] && A.data[i + 1] === B.data[i + 1] && A.data[i + 2] === B.data[i + 2] && A.data[i + 3] === B.data[i + 3]) continue;
					const k = windows.findIndex((w) => x >= w.x && x < w.x + w.width && y >= w.y && y < w.y + w.height);
					if (k < 0) {
						outside++;
						continue;
					}
					const r = res[k];
					r.changed++;
					r.x0 = Math.min(r.x0, x);
					r.y0 = Math.min(r.y0, y);
					r.x1 = Math.max(r.x1, x);
					r.y1 = Math.max(r.y1, y);
				}
			return {
				outside,
				windows: res.map((r) => ({ changed: r.changed, bbox: r.changed ? { x: r.x0, y: r.y0, width: r.x1 - r.x0 + 1, height: r.y1 - r.y0 + 1 } : null }))
			};
		},
		{ a: a.toString('base64'), b: b.toString('base64'), windows }
	);
}

/**
 * Whether a region looks filled: mean luma gradient inside (edge energy) and the mean luma
 * inside against a ring around it, for the input and the output.
 */
async function texture(page: Page, png: Buffer, r: Rect, ring: number) {
	return page.evaluate(
		async ({ s, r, ring }) => {
			const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(s), (c) => c.charCodeAt(0))]), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
			const c = new OffscreenCanvas(bmp.width, bmp.height);
			c.getContext('2d')!.drawImage(bmp, 0, 0);
			const d = c.getContext('2d')!.getImageData(0, 0, bmp.width, bmp.height).data;
			const W = bmp.width, H = bmp.height;
			const L = (x: number, y: number) => {
				const i = (y * W + x) * 4;
				return 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
			};
			const stats = (inside: (x: number, y: number) => boolean, x0: number, y0: number, x1: number, y1: number) => {
				let e = 0, l = 0, n = 0;
				for (let y = Math.max(0, y0); y < Math.min(H - 1, y1); y++)
					for (let x = Math.max(0, x0); x < Math.min(W - 1, x1); x++) {
						if (!inside(x, y)) continue;
						e += Math.abs(L(x + 1, y) - L(x, y)) + Math.abs(L(x, y + 1) - L(x, y));
						l += L(x, y);
						n++;
					}
				return { edge: e / n, luma: l / n };
			};
			const inBox = (x: number, y: number) => x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
			return {
				inside: stats(inBox, r.x, r.y, r.x + r.width, r.y + r.height),
				ring: stats((x, y) => !inBox(x, y), r.x - ring, r.y - ring, r.x + r.width + ring, r.y + r.height + ring)
			};
		},
		{ s: png.toString('base64'), r, ring }
	);
}

const grow = (r: Rect, m: number): Rect => ({ x: r.x - m, y: r.y - m, width: r.width + 2 * m, height: r.height + 2 * m });
const union = (a: Rect, b: Rect): Rect => {
	const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
	return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
};
const squash = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/** The box around a text outline drawn on the stage (its SVG polygon, in image pixels). */
async function outlineBox(page: Page, index: number): Promise<Rect> {
	const pts = await page.getByTestId('remove-outline-text').nth(index).getAttribute('points');
	const xy = pts!.trim().split(/\s+/).map((p) => p.split(',').map(Number));
	const xs = xy.map((p) => p[0]), ys = xy.map((p) => p[1]);
	const x = Math.floor(Math.min(...xs)), y = Math.floor(Math.min(...ys));
	return { x, y, width: Math.ceil(Math.max(...xs)) - x, height: Math.ceil(Math.max(...ys)) - y };
}

/** The mask overlay's alpha at an image pixel (the canvas is at the image's own scale below 2048 px). */
const maskAlpha = (page: Page, x: number, y: number) =>
	page.getByTestId('remove-mask-canvas').evaluate((c: HTMLCanvasElement, [x, y]) => c.getContext('2d')!.getImageData(x, y, 1, 1).data[3], [x, y]);

test.beforeEach(async ({ page }) => {
	const problems: string[] = [];
	page.on('pageerror', (e) => problems.push(e.message));
	(page as any).__problems = problems;
	await openApp(page, '/remove');
});
test.afterEach(async ({ page }) => {
	expect((page as any).__problems).toEqual([]);
});

test('text is found and shown as boxes; Remove fills the caption, keeps a line turned off and every pixel outside the mask', async ({ page }) => {
	const photo = await makePhoto(page, true);
	look('captioned', photo.png);
	await openPhoto(page, photo, 'captioned.png');

	const labels = page.getByTestId('remove-text-label');
	await expect(labels).toHaveCount(2);
	const texts = (await page.getByTestId('remove-text-item').allTextContents()).map(squash);
	const capIdx = texts.findIndex((t) => t.includes(squash(CAPTION)));
	const copyIdx = texts.findIndex((t) => t.includes(squash(COPY)));
	expect(capIdx, texts.join(' | ')).toBeGreaterThanOrEqual(0);
	expect(copyIdx, texts.join(' | ')).toBeGreaterThanOrEqual(0);
	await expect(page.getByTestId('remove-text-summary')).toHaveText(en['remove.textSummary'].replace('{on}', '2').replace('{n}', '2'));

	// The boxes cover what was drawn (the drawn box has 2 px to spare; the mask grows by DILATE).
	const capBox = await outlineBox(page, capIdx);
	const copyBox = await outlineBox(page, copyIdx);
	const slack = DILATE + 3;
	for (const [found, drawn] of [[capBox, photo.caption], [copyBox, photo.copy]] as const) {
		expect(found.x).toBeLessThanOrEqual(drawn.x + slack);
		expect(found.y).toBeLessThanOrEqual(drawn.y + slack);
		expect(found.x + found.width).toBeGreaterThanOrEqual(drawn.x + drawn.width - slack);
		expect(found.y + found.height).toBeGreaterThanOrEqual(drawn.y + drawn.height - slack);
	}

	// Moving a box (select tool) changes it; undo puts it back.
	await page.getByTestId('remove-tool-select').click();
	await dragOn(page, photo, [capBox.x + capBox.width / 2, capBox.y + capBox.height / 2], [capBox.x + capBox.width / 2 - 60, capBox.y + capBox.height / 2 - 40]);
	const moved = await outlineBox(page, capIdx);
	expect(moved.x).toBeLessThan(capBox.x - 30);
	await page.keyboard.press('Control+z');
	expect(await outlineBox(page, capIdx)).toEqual(capBox);
	// Its west handle resizes it (the east side stays); undo again.
	await clickOn(page, photo, [capBox.x + capBox.width / 2, capBox.y + capBox.height / 2]);
	const hw = (await page.getByTestId('remove-handle-w').boundingBox())!;
	await page.mouse.move(hw.x + hw.width / 2, hw.y + hw.height / 2);
	await page.mouse.down();
	await page.mouse.move(hw.x + hw.width / 2 - 40, hw.y + hw.height / 2, { steps: 5 });
	await page.mouse.up();
	const wider = await outlineBox(page, capIdx);
	expect(wider.x).toBeLessThan(capBox.x - 25);
	expect(Math.abs(wider.x + wider.width - (capBox.x + capBox.width))).toBeLessThanOrEqual(1);
	await page.getByTestId('remove-undo').click();
	expect(await outlineBox(page, capIdx)).toEqual(capBox);

	// "SAMPLE COPY" is kept: turned off from the list (its label on the photo follows).
	await page.getByTestId(`remove-text-toggle-${copyIdx}`).click();
	await expect(page.getByTestId(`remove-text-toggle-${copyIdx}`)).toHaveAttribute('aria-pressed', 'false');
	await expect(labels.nth(copyIdx)).toHaveAttribute('aria-pressed', 'false');
	await expect(page.getByTestId('remove-text-summary')).toHaveText(en['remove.textSummary'].replace('{on}', '1').replace('{n}', '2'));
	// The labels can be hidden (the boxes and the mask stay).
	await page.getByTestId('remove-show-labels').uncheck();
	await expect(labels).toHaveCount(0);
	await expect(page.getByTestId('remove-outline-text')).toHaveCount(2);
	await page.getByTestId('remove-show-labels').check();
	await expect(labels).toHaveCount(2);

	const out = await runAndDownload(page);
	look('captioned-removed', out);
	await expect(page.getByTestId('remove-result-info')).toContainText('960×640');

	const d = await diff(page, photo.png, out, [grow(capBox, DILATE + 1), copyBox]);
	console.log(`caption box ${JSON.stringify(capBox)}: ${d.windows[0].changed} px changed, bbox ${JSON.stringify(d.windows[0].bbox)}; kept line: ${d.windows[1].changed}; outside: ${d.outside}`);
	expect(d.outside).toBe(0); // nothing outside the (grown) caption box changed
	expect(d.windows[1].changed).toBe(0); // the line turned off: byte-identical
	expect(d.windows[0].changed).toBeGreaterThan(0.5 * capBox.width * capBox.height);

	// The caption is gone and the area looks like its surroundings (no text edges left, no blur smear of white).
	const before = await texture(page, photo.png, photo.caption, 14);
	const after = await texture(page, out, photo.caption, 14);
	console.log(`caption edge energy ${before.inside.edge.toFixed(1)} → ${after.inside.edge.toFixed(1)} (surroundings ${after.ring.edge.toFixed(1)}); luma ${before.inside.luma.toFixed(0)} → ${after.inside.luma.toFixed(0)} (surroundings ${after.ring.luma.toFixed(0)})`);
	expect(after.inside.edge).toBeLessThan(before.inside.edge * 0.5);
	expect(after.inside.edge).toBeLessThan(after.ring.edge * 2 + 4);
	expect(Math.abs(after.inside.luma - after.ring.luma)).toBeLessThan(30);
});

test('rectangle, brush, eraser and polygon each mask their own area; undo/redo change the mask; the result can be edited further', async ({ page }) => {
	const photo = await makePhoto(page, false);
	await openPhoto(page, photo, 'plain.png');
	// Whatever text the photo itself holds is kept out of this test.
	if (await page.getByTestId('remove-text-none').count()) await page.getByTestId('remove-text-none').click();
	await expect(page.getByTestId('remove-nothing')).toBeVisible();
	await expect(page.getByTestId('remove-run')).toBeDisabled();

	// A: rectangle over the left face.
	const A: Rect = { x: 280, y: 200, width: 110, height: 110 };
	await page.getByTestId('remove-tool-rect').click();
	await dragOn(page, photo, [A.x, A.y], [A.x + A.width, A.y + A.height]);
	// B: a brush stroke (20 px wide) across the middle, then its right end erased (30 px eraser).
	await page.getByTestId('remove-tool-brush').click();
	await page.getByTestId('remove-brush-size').fill('20');
	await dragOn(page, photo, [400, 470], [560, 470]);
	await page.getByTestId('remove-tool-eraser').click();
	await page.getByTestId('remove-brush-size').fill('30');
	await dragOn(page, photo, [520, 470], [600, 470]);
	// C: a triangle over the right woman's badge, closed by clicking its first point.
	await page.getByTestId('remove-tool-polygon').click();
	const C: [number, number][] = [[740, 330], [850, 350], [790, 450]];
	for (const p of C) await clickOn(page, photo, p);
	await expect(page.getByTestId('remove-draft-poly')).toBeVisible();
	await clickOn(page, photo, C[0]);
	await expect(page.getByTestId('remove-draft-poly')).toHaveCount(0);
	// E: at 200 % zoom (the photo scrolls), a polygon closed with Enter; then back to fit with 0.
	await page.getByTestId('remove-zoom-in').click();
	await page.getByTestId('remove-zoom-in').click();
	await expect(page.getByTestId('remove-zoom-fit')).toHaveText('200%');
	await page.getByTestId('remove-scroller').evaluate((el, [fx, fy]) => {
		el.scrollLeft = fx * el.scrollWidth - el.clientWidth / 2;
		el.scrollTop = fy * el.scrollHeight - el.clientHeight / 2;
	}, [150 / photo.width, 120 / photo.height]);
	const E: [number, number][] = [[100, 80], [200, 90], [150, 160]];
	for (const p of E) await clickOn(page, photo, p);
	await page.keyboard.press('Enter');
	await page.keyboard.press('0');
	await expect(page.getByTestId('remove-zoom-fit')).toHaveText('100%');
	// F: a polygon closed by double-clicking its last point, then undone.
	for (const p of [[600, 100], [680, 100]] as [number, number][]) await clickOn(page, photo, p);
	await page.mouse.dblclick(...(await at(page, photo, 640, 170)));
	const summary = (poly: number) => en['remove.marksSummary'].replace('{rect}', '1').replace('{poly}', String(poly)).replace('{brush}', '1').replace('{erase}', '1');
	await expect(page.getByTestId('remove-marks')).toHaveText(summary(3));
	expect(await maskAlpha(page, 640, 120)).toBeGreaterThan(0);
	await page.keyboard.press('Control+z');
	await expect(page.getByTestId('remove-marks')).toHaveText(summary(2));
	expect(await maskAlpha(page, 640, 120)).toBe(0);
	expect(await maskAlpha(page, A.x + 50, A.y + 50)).toBeGreaterThan(0);
	expect(await maskAlpha(page, 450, 470)).toBeGreaterThan(0);
	expect(await maskAlpha(page, 545, 470)).toBe(0); // erased

	// D: a rectangle drawn, then undone / redone with the keys and the buttons.
	const D: Rect = { x: 100, y: 420, width: 100, height: 100 };
	await page.getByTestId('remove-tool-rect').click();
	await dragOn(page, photo, [D.x, D.y], [D.x + D.width, D.y + D.height]);
	const dOn = () => maskAlpha(page, D.x + 50, D.y + 50);
	expect(await dOn()).toBeGreaterThan(0);
	await page.keyboard.press('Control+z');
	expect(await dOn()).toBe(0);
	await page.keyboard.press('Control+Shift+z');
	expect(await dOn()).toBeGreaterThan(0);
	await page.keyboard.press('Control+z');
	expect(await dOn()).toBe(0);
	await page.keyboard.press('Control+y');
	expect(await dOn()).toBeGreaterThan(0);
	await page.getByTestId('remove-undo').click();
	expect(await dOn()).toBe(0);
	await expect(page.getByTestId('remove-redo')).toBeEnabled();
	await page.getByTestId('remove-redo').click();
	expect(await dOn()).toBeGreaterThan(0);
	await page.getByTestId('remove-undo').click();
	expect(await dOn()).toBe(0);

	const out = await runAndDownload(page);
	look('tools-removed', out);
	const m = DILATE + 2;
	const Bwin: Rect = { x: 380, y: 440, width: 240, height: 60 };
	const Cbox: Rect = { x: 740, y: 330, width: 110, height: 120 };
	const Ebox: Rect = { x: 100, y: 80, width: 100, height: 80 };
	const d = await diff(page, photo.png, out, [grow(A, m), Bwin, grow(Cbox, m), grow(D, m), grow(Ebox, m), { x: 590, y: 90, width: 100, height: 90 }]);
	console.log(`changed bboxes: rect ${JSON.stringify(d.windows[0].bbox)}, brush ${JSON.stringify(d.windows[1].bbox)}, polygon ${JSON.stringify(d.windows[2].bbox)}, undone rect ${d.windows[3].changed} px; outside ${d.outside}`);
	expect(d.outside).toBe(0);
	expect(d.windows[3].changed).toBe(0); // the undone rectangle is not in the mask
	expect(d.windows[5].changed).toBe(0); // nor the undone polygon
	// Each area changed over (nearly) its whole extent, and nowhere beyond its mask + dilation.
	const covers = (got: Rect | null, want: Rect, inward: number) => {
		expect(got).not.toBeNull();
		const g = got!;
		expect(g.x).toBeGreaterThanOrEqual(want.x - m);
		expect(g.y).toBeGreaterThanOrEqual(want.y - m);
		expect(g.x + g.width).toBeLessThanOrEqual(want.x + want.width + m);
		expect(g.y + g.height).toBeLessThanOrEqual(want.y + want.height + m);
		expect(g.x).toBeLessThanOrEqual(want.x + inward);
		expect(g.y).toBeLessThanOrEqual(want.y + inward);
		expect(g.x + g.width).toBeGreaterThanOrEqual(want.x + want.width - inward);
		expect(g.y + g.height).toBeGreaterThanOrEqual(want.y + want.height - inward);
	};
	covers(d.windows[0].bbox, A, 8);
	// The stroke: x 390–570 (radius 10) and y 460–480, minus the eraser's disc of radius 15 from
	// x = 520: it reaches x = 505 on the stroke's centre line and 520 − √(15² − 10²) ≈ 509 at its edges.
	covers(d.windows[1].bbox, { x: 390, y: 460, width: 509 - 390, height: 20 }, 8);
	covers(d.windows[2].bbox, Cbox, 10);
	covers(d.windows[4].bbox, Ebox, 10); // drawn while zoomed: same image coordinates
	expect(d.windows[0].changed).toBeGreaterThan(0.5 * A.width * A.height);

	// Keep going: the result becomes the photo, with no marks, and can be marked again.
	await page.getByTestId('remove-continue').click();
	await expect(page.getByTestId('remove-file')).toContainText('plain-cleaned.png');
	await expect(page.getByTestId('remove-download')).toHaveCount(0);
	await expect(page.getByTestId('remove-marks')).toContainText(en['remove.marksSummary'].replace('{rect}', '0').replace('{poly}', '0').replace('{brush}', '0').replace('{erase}', '0'));
	await expect(page.getByTestId('remove-detect')).toBeEnabled({ timeout: 180_000 });
	await page.getByTestId('remove-tool-rect').click();
	await dragOn(page, photo, [D.x, D.y], [D.x + D.width, D.y + D.height]);
	await expect(page.getByTestId('remove-run')).toBeEnabled();
});

test('EXIF orientation: a photo stored on its side is marked and repaired upright', async ({ page }) => {
	// sample1 at 960×640, stored turned 90° anticlockwise (640×960) with EXIF Orientation 6.
	const stored = await page.evaluate(async (data) => {
		const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]));
		const c = new OffscreenCanvas(640, 960);
		const g = c.getContext('2d')!;
		g.translate(0, 960);
		g.rotate(-Math.PI / 2);
		g.drawImage(bmp, 0, 0, 960, 640);
		const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
		let s = '';
		for (let i = 0; i < bytes.length; i += 32768) s += String.fromCharCode(...bytes.subarray(i, i + 32768));
		return btoa(s);
	}, b64(sample(1)));
	const jpeg = Buffer.from(stored, 'base64');
	// APP1 "Exif", little-endian TIFF, one IFD entry: Orientation (0x0112) SHORT = 6.
	const exif = Buffer.from('ffe10022457869660000' + '49492a0008000000' + '0100' + '120103000100000006000000' + '00000000', 'hex');
	const oriented = Buffer.concat([jpeg.subarray(0, 2), exif, jpeg.subarray(2)]);
	const photo: Photo = { png: oriented, width: 960, height: 640, caption: { x: 0, y: 0, width: 0, height: 0 }, copy: { x: 0, y: 0, width: 0, height: 0 }, logo: { x: 0, y: 0, width: 0, height: 0 } };

	await page.getByTestId('remove-file-input').setInputFiles({ name: 'sideways.jpg', mimeType: 'image/jpeg', buffer: oriented });
	await expect(page.getByTestId('remove-file')).toContainText('960×640');
	await expect(page.getByTestId('remove-detect')).toBeEnabled({ timeout: 180_000 });
	if (await page.getByTestId('remove-text-none').count()) await page.getByTestId('remove-text-none').click();
	const A: Rect = { x: 280, y: 200, width: 110, height: 110 };
	await page.getByTestId('remove-tool-rect').click();
	await dragOn(page, photo, [A.x, A.y], [A.x + A.width, A.y + A.height]);
	const out = await runAndDownload(page);
	// The input as the app decodes it (orientation applied), as PNG, against the result.
	const upright = await page.evaluate(async (data) => {
		const d = (window as any).darkroom;
		const r = await d.image.convert({ image: { base64: data }, format: 'png' });
		const bytes: Uint8Array = await d.fetchBytes(r.image_url);
		let s = '';
		for (let i = 0; i < bytes.length; i += 32768) s += String.fromCharCode(...bytes.subarray(i, i + 32768));
		return btoa(s);
	}, b64(oriented));
	const d = await diff(page, Buffer.from(upright, 'base64'), out, [grow(A, DILATE + 2)]);
	console.log(`sideways photo: changed bbox ${JSON.stringify(d.windows[0].bbox)}, outside ${d.outside}`);
	expect(d.outside).toBe(0);
	const g = d.windows[0].bbox!;
	expect(g.x).toBeLessThanOrEqual(A.x + 8);
	expect(g.y).toBeLessThanOrEqual(A.y + 8);
	expect(g.x + g.width).toBeGreaterThanOrEqual(A.x + A.width - 8);
	expect(g.y + g.height).toBeGreaterThanOrEqual(A.y + A.height - 8);
});

test('a file that is not an image says so, naming the file; nothing can be run', async ({ page }) => {
	await page.getByTestId('remove-file-input').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are not pixels') });
	await expect(page.getByTestId('remove-load-error')).toHaveText(en['remove.notImage'].replace('{name}', 'notes.png'));
	await expect(page.getByTestId('remove-ocr-error')).toContainText('415', { timeout: 120_000 });
	await expect(page.getByTestId('remove-run')).toBeDisabled();
});

test('Chinese interface', async ({ page }) => {
	await page.evaluate(() => localStorage.setItem('darkroom.lang', 'zh'));
	await page.reload();
	await expect(page.locator('h1')).toHaveText(zh['remove.title']);
	await expect(page.getByTestId('nav-remove')).toHaveText(zh['nav.remove']);
	await expect(page.getByTestId('remove-choose')).toContainText(zh['remove.choose']);
	await expect(page.getByTestId('remove-run')).toHaveText(zh['remove.run']);
	const photo = await makePhoto(page, true);
	await page.getByTestId('remove-file-input').setInputFiles({ name: '照片.png', mimeType: 'image/png', buffer: photo.png });
	await expect(page.getByTestId('remove-tool-brush')).toContainText(zh['remove.tool.brush']);
	await expect(page.getByTestId('remove-tool-polygon')).toContainText(zh['remove.tool.polygon']);
	await expect(page.getByTestId('remove-text-label')).toHaveCount(2, { timeout: 180_000 });
	await expect(page.getByTestId('remove-text-summary')).toHaveText(zh['remove.textSummary'].replace('{on}', '2').replace('{n}', '2'));
	await expect(page.getByTestId('remove-stage')).toHaveAttribute('aria-label', zh['remove.stageLabel']);
});
