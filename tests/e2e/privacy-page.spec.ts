import { test, expect, type Page } from '@playwright/test';
import { b64, call, openApp, sample } from './helpers';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';

interface Rect {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** The middle `f` of a rectangle (inside both a face's ellipse and a region's rounded box). */
const inner = (r: Rect, f = 0.5): Rect => ({ x: r.x + (r.width * (1 - f)) / 2, y: r.y + (r.height * (1 - f)) / 2, width: r.width * f, height: r.height * f });

/** A face box grown by 20 % on every side (the page's default margin), as the page sends it. */
const grow = (b: Rect, W: number, H: number, m = 0.2): Rect => {
	const x0 = Math.max(0, Math.floor(b.x - b.width * m));
	const y0 = Math.max(0, Math.floor(b.y - b.height * m));
	const x1 = Math.min(W, Math.ceil(b.x + b.width * (1 + m)));
	const y1 = Math.min(H, Math.ceil(b.y + b.height * (1 + m)));
	return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
};

/**
 * Decodes two images in the page (blob: or data: URLs) and returns, for each rectangle, the
 * share of its pixels whose summed |ΔRGB| is over `threshold`.
 */
async function changedShare(page: Page, urlA: string, urlB: string, rects: Rect[], threshold = 24): Promise<number[]> {
	return page.evaluate(
		async ({ urlA, urlB, rects, threshold }) => {
			const load = async (url: string) => {
				const bmp = await createImageBitmap(await (await fetch(url)).blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
				const c = new OffscreenCanvas(bmp.width, bmp.height);
				const g = c.getContext('2d')!;
				g.drawImage(bmp, 0, 0);
				return g.getImageData(0, 0, bmp.width, bmp.height);
			};
			const a = await load(urlA);
			const b = await load(urlB);
			if (a.width !== b.width || a.height !== b.height) throw new Error(`sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
			return rects.map((r) => {
				let n = 0;
				let changed = 0;
				for (let y = Math.round(r.y); y < Math.round(r.y + r.height); y++)
					for (let x = Math.round(r.x); x < Math.round(r.x + r.width); x++) {
						const i = (y * a.width + x) * 4;
						const d = Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
						n++;
						if (d > threshold) changed++;
					}
				return n ? changed / n : 0;
			});
		},
		{ urlA, urlB, rects, threshold }
	);
}

const src = (page: Page, testid: string) => page.getByTestId(testid).first().evaluate((el: HTMLImageElement) => el.src);

/** Drags on the photo between two points given as fractions of its displayed box. */
async function drag(page: Page, from: [number, number], to: [number, number], opts: { cancel?: boolean } = {}) {
	const box = (await page.getByTestId('privacy-stage').boundingBox())!;
	await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 6 });
	if (opts.cancel) {
		await expect(page.getByTestId('region-draft')).toBeVisible();
		await page.keyboard.press('Escape');
	}
	await page.mouse.up();
}

async function openGroup(page: Page) {
	await page.getByTestId('privacy-file-input').setInputFiles({ name: 'group.jpg', mimeType: 'image/jpeg', buffer: sample(1) });
	await expect(page.getByTestId('privacy-source')).toBeVisible();
	await expect(page.locator('[data-testid^="face-overlay-"]')).toHaveCount(3, { timeout: 120_000 });
}

test('privacy page: toggle faces, draw a region, apply: only the chosen areas change', async ({ page }) => {
	test.setTimeout(300_000);
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(e.message));
	await openApp(page, '/privacy');
	await expect(page.getByTestId('nav-privacy')).toHaveText(en['nav.privacy']);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['privacy.title']);
	await expect(page.getByTestId('privacy-apply')).toBeDisabled();

	// The faces the page will show, in the same (oriented) space, straight from the API.
	const det = await call(page, 'image.detect_faces', { image: { base64: b64(sample(1)) } });
	expect(det.count).toBe(3);
	const W = det.width as number;
	const H = det.height as number;
	const boxes: Rect[] = det.faces.map((f: Rect) => grow(f, W, H));

	await openGroup(page);
	await expect(page.locator('[data-testid^="face-toggle-"]')).toHaveCount(3);
	for (let i = 0; i < 3; i++) {
		await expect(page.getByTestId(`face-overlay-${i}`)).toHaveAttribute('aria-pressed', 'true');
		await expect(page.getByTestId(`face-toggle-${i}`)).toContainText(`Face ${i + 1} · ${Math.round(det.faces[i].score * 100)} %`);
	}
	// The overlay sits on the face: its box (in screen px) matches the expanded face box.
	const stage = (await page.getByTestId('privacy-stage').boundingBox())!;
	const o = (await page.getByTestId('face-overlay-0').boundingBox())!;
	const k = stage.width / W;
	expect(Math.abs(o.x - (stage.x + boxes[0].x * k))).toBeLessThan(3);
	expect(Math.abs(o.y - (stage.y + boxes[0].y * k))).toBeLessThan(3);
	expect(Math.abs(o.width - boxes[0].width * k)).toBeLessThan(3);
	expect(Math.abs(stage.height / stage.width - H / W)).toBeLessThan(0.01);

	// Keep face 2 (index 1) unblurred, from the keyboard on its overlay; the list follows.
	await page.getByTestId('face-overlay-1').focus();
	await page.keyboard.press('Space');
	await expect(page.getByTestId('face-overlay-1')).toHaveAttribute('aria-pressed', 'false');
	await expect(page.getByTestId('face-toggle-1')).toHaveAttribute('aria-pressed', 'false');
	// …and back and forth with the list's toggle and Enter.
	await page.getByTestId('face-toggle-1').click();
	await expect(page.getByTestId('face-overlay-1')).toHaveAttribute('aria-pressed', 'true');
	await page.getByTestId('face-overlay-1').press('Enter');
	await expect(page.getByTestId('face-overlay-1')).toHaveAttribute('aria-pressed', 'false');

	// Blur none disables Apply with a hint; Blur all brings them back; then face 2 off again.
	await page.getByTestId('faces-none').click();
	await expect(page.getByTestId('privacy-apply')).toBeDisabled();
	await expect(page.getByTestId('privacy-nothing')).toHaveText(en['privacy.nothing']);
	await page.getByTestId('faces-all').click();
	await expect(page.getByTestId('privacy-apply')).toBeEnabled();
	await page.getByTestId('face-toggle-1').click();

	// A drag cancelled with Escape adds nothing; a real one adds a region (bottom-left, no faces there).
	await drag(page, [0.04, 0.78], [0.2, 0.95], { cancel: true });
	await expect(page.locator('[data-testid^="region-item-"]')).toHaveCount(0);
	await drag(page, [0.04, 0.78], [0.2, 0.95]);
	await expect(page.locator('[data-testid^="region-item-"]')).toHaveCount(1);
	await expect(page.getByTestId('region-overlay-0')).toBeVisible();
	const m = /(\d+)×(\d+) at (\d+), (\d+)/.exec((await page.getByTestId('region-item-0').textContent())!)!;
	const region: Rect = { width: Number(m[1]), height: Number(m[2]), x: Number(m[3]), y: Number(m[4]) };
	expect(Math.abs(region.x - 0.04 * W)).toBeLessThan(W * 0.01);
	expect(Math.abs(region.y - 0.78 * H)).toBeLessThan(H * 0.01);
	expect(Math.abs(region.width - 0.16 * W)).toBeLessThan(W * 0.01);
	for (const b of boxes) expect(region.x > b.x + b.width || region.y > b.y + b.height || region.x + region.width < b.x).toBe(true);

	// PNG output so that unchanged pixels are exactly the source's.
	await page.getByTestId('privacy-format').selectOption('png');
	await page.getByTestId('privacy-apply').click();
	await expect(page.getByTestId('result-image')).toBeVisible({ timeout: 120_000 });
	await expect(page.getByTestId('privacy-result-info')).toContainText(`${W}×${H}`);
	await expect(page.getByTestId('privacy-result-info')).toContainText('PNG');
	await expect(page.getByTestId('privacy-error')).toHaveCount(0);
	const original = await src(page, 'privacy-source');
	const gaussian = await src(page, 'result-image');
	const [f0, f1, f2, reg, corner] = await changedShare(page, original, gaussian, [inner(boxes[0]), boxes[1], inner(boxes[2]), inner(region, 0.7), { x: W - 200, y: H - 200, width: 200, height: 200 }]);
	expect(f0, 'blurred face 1').toBeGreaterThan(0.3);
	expect(f2, 'blurred face 3').toBeGreaterThan(0.3);
	expect(f1, 'kept face 2').toBe(0);
	expect(corner, 'untouched corner').toBe(0);
	expect(reg, 'drawn region').toBeGreaterThan(0.05);

	// Download: name-blurred.png, and it is the result.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('privacy-download').click()]);
	expect(download.suggestedFilename()).toBe('group-blurred.png');

	// Copy puts the PNG on the clipboard.
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.getByTestId('privacy-copy').click();
	await expect(page.getByTestId('privacy-copy-state')).toHaveText(en['copy.done']);

	// The page frees a result when it makes the next one: keep a copy of this one to compare.
	const gaussianCopy = await page.evaluate(async (u) => URL.createObjectURL(await (await fetch(u)).blob()), gaussian);

	// A change marks the result stale: no download of an out-of-date picture until Apply again.
	await page.getByTestId('style-pixelate').click();
	await expect(page.getByTestId('privacy-stale')).toHaveText(en['privacy.stale']);
	await expect(page.getByTestId('privacy-download')).toBeDisabled();
	await expect(page.getByTestId('privacy-copy')).toBeDisabled();
	await page.getByTestId('privacy-apply').click();
	await expect(page.getByTestId('privacy-stale')).toHaveCount(0, { timeout: 120_000 });
	await expect(page.getByTestId('privacy-download')).toBeEnabled();
	const pixelated = await src(page, 'result-image');
	expect(pixelated).not.toBe(gaussian);
	const [p0, p1, p2] = await changedShare(page, original, pixelated, [inner(boxes[0]), boxes[1], inner(boxes[2])]);
	expect(p0).toBeGreaterThan(0.3);
	expect(p2).toBeGreaterThan(0.3);
	expect(p1).toBe(0);
	// Pixelate and gaussian differ in the blurred faces.
	const [d0] = await changedShare(page, gaussianCopy, pixelated, [inner(boxes[0])], 12);
	expect(d0, 'pixelate vs gaussian').toBeGreaterThan(0.1);

	// Removing the region makes the result stale again.
	await page.getByTestId('region-remove-0').click();
	await expect(page.locator('[data-testid^="region-item-"]')).toHaveCount(0);
	await expect(page.getByTestId('privacy-stale')).toBeVisible();
	expect(errors).toEqual([]);
});

test('privacy page: no faces invites drawing; Add region works from the keyboard', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page, '/privacy');
	// The top-left corner of sample1: a wall, no faces.
	const crop = await call(page, 'image.crop', { image: { base64: b64(sample(1)) }, x: 0, y: 0, width: 400, height: 300, format: 'png' });
	const bytes = await page.evaluate(async (url) => Array.from((await (window as any).darkroom.fetchBytes(url)) as Uint8Array), crop.image_url);
	await page.getByTestId('privacy-file-input').setInputFiles({ name: 'wall.png', mimeType: 'image/png', buffer: Buffer.from(bytes) });
	await expect(page.getByTestId('privacy-no-faces')).toHaveText(en['privacy.noFaces'], { timeout: 120_000 });
	await expect(page.locator('[data-testid^="face-overlay-"]')).toHaveCount(0);
	await expect(page.getByTestId('privacy-apply')).toBeDisabled();
	await expect(page.getByTestId('privacy-nothing')).toBeVisible();

	await page.getByTestId('region-add').click();
	const overlay = page.getByTestId('region-overlay-0');
	await expect(overlay).toBeFocused();
	await expect(page.getByTestId('region-item-0')).toContainText('75×75 at 163, 113');
	await page.keyboard.press('ArrowRight');
	await expect(page.getByTestId('region-item-0')).toContainText('at 166, 113');
	await page.keyboard.press('Shift+ArrowDown');
	await expect(page.getByTestId('region-item-0')).toContainText('at 166, 143');
	await page.keyboard.press('Alt+ArrowRight');
	await expect(page.getByTestId('region-item-0')).toContainText('78×75');
	await expect(page.getByTestId('privacy-apply')).toBeEnabled();

	await page.getByTestId('style-box').click();
	await page.getByTestId('privacy-color').fill('#ff00ff');
	await page.getByTestId('privacy-apply').click();
	await expect(page.getByTestId('result-image')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('privacy-result-info')).toContainText('PNG'); // same as the original
	const out = await src(page, 'result-image');
	const centre = await page.evaluate(async (url) => {
		const bmp = await createImageBitmap(await (await fetch(url)).blob());
		const c = new OffscreenCanvas(bmp.width, bmp.height);
		const g = c.getContext('2d')!;
		g.drawImage(bmp, 0, 0);
		return Array.from(g.getImageData(166 + 39, 143 + 37, 1, 1).data);
	}, out);
	expect(centre).toEqual([255, 0, 255, 255]);

	// Delete removes the focused region.
	await overlay.focus();
	await page.keyboard.press('Delete');
	await expect(page.locator('[data-testid^="region-item-"]')).toHaveCount(0);
	await expect(page.getByTestId('privacy-apply')).toBeDisabled();
});

test('privacy page: Chinese labels, and a file that is not an image is an error', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page, '/privacy');
	await page.evaluate(() => localStorage.setItem('darkroom.lang', 'zh'));
	await page.reload();
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
	await expect(page.getByTestId('nav-privacy')).toHaveText(zh['nav.privacy']);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh['privacy.title']);
	await expect(page.getByTestId('privacy-apply')).toHaveText(zh['privacy.apply']);
	await expect(page.getByTestId('style-pixelate')).toHaveText(zh['privacy.style.pixelate']);
	await expect(page.getByTestId('privacy-choose')).toContainText(zh['privacy.choose']);

	await openGroup(page);
	await expect(page.getByTestId('face-toggle-0')).toContainText('人脸 1 ·');
	await expect(page.getByTestId('faces-none')).toHaveText(zh['privacy.none']);
	await expect(page.getByTestId('region-add')).toContainText(zh['privacy.addRegion']);

	await page.getByTestId('privacy-file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image at all') });
	const alert = page.getByTestId('privacy-error');
	await expect(alert).toBeVisible({ timeout: 60_000 });
	await expect(alert).toHaveClass(/alert/);
	await expect(page.locator('[data-testid^="face-overlay-"]')).toHaveCount(0);
	await expect(page.getByTestId('privacy-apply')).toBeDisabled();
});
