import { readFileSync } from 'node:fs';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { SAMPLES, SIGNATURE, b64, openApp } from './helpers';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';

/**
 * The pages as a person uses them: the toolbox (open, build steps, run, compare, download),
 * the language switch and the API console, all through the UI with a real photo
 * (sample1.jpg: 1920×1280, SONY ILCE-7M2 EXIF).
 */

const PHOTO = `${SAMPLES}/sample1.jpg`;
/** Every page in the header's navigation (the benchmark page is a tool, not part of the app). */
const PAGES = ['/', '/idphoto', '/remove', '/batch', '/transformations', '/console'];
const PHOTO_BYTES = readFileSync(PHOTO);

// ---------------------------------------------------------------------------------------------
// No console errors and no uncaught exceptions in any of these flows.
//
// Known benign messages: none. Every flow below runs without a single console error, so the
// list is empty on purpose; add an entry only with the reason it is harmless, e.g.
//   /Failed to load resource: net::ERR_INTERNET_DISCONNECTED/ — Chromium's own line for a
//   request made while a test has switched the network off (no test here does).
// ---------------------------------------------------------------------------------------------
const BENIGN: RegExp[] = [];

const problems = new WeakMap<Page, string[]>();

test.beforeEach(async ({ page }) => {
	const list: string[] = [];
	problems.set(page, list);
	page.on('pageerror', (e) => list.push(`pageerror: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		const text = `${m.text()} ${m.location()?.url ?? ''}`;
		if (!BENIGN.some((re) => re.test(text))) list.push(`console.error: ${text}`);
	});
});

test.afterEach(async ({ page }) => {
	expect(problems.get(page) ?? [], 'console errors or uncaught page errors').toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// helpers

async function openPhoto(page: Page, files: string | string[] = PHOTO) {
	await page.getByTestId('file-input').setInputFiles(files);
	await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');
}

async function addStep(page: Page, kind: string) {
	await page.getByTestId('add-step').click();
	await page.getByTestId(`add-step-${kind}`).click();
}

const steps = (page: Page) => page.getByTestId('step-list').locator(':scope > li');
async function stepOrder(page: Page): Promise<string[]> {
	return steps(page).evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.op ?? '?'));
}

const hex = (b: Buffer) => b.toString('hex');

async function naturalSize(img: Locator): Promise<[number, number]> {
	await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
	return img.evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight] as [number, number]);
}

/** Builds a File from the photo's bytes inside the page (for paste and drop). */
async function photoDataTransfer(page: Page, name: string) {
	return page.evaluateHandle(
		({ data, name }) => {
			const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
			const dt = new DataTransfer();
			dt.items.add(new File([bytes], name, { type: 'image/jpeg' }));
			return dt;
		},
		{ data: b64(PHOTO_BYTES), name }
	);
}

// ---------------------------------------------------------------------------------------------

test.describe('toolbox', () => {
	test.beforeEach(async ({ page }) => openApp(page, '/'));

	test('open a photo, resize + watermark to WebP, see and download the result', async ({ page }) => {
		await expect(page.getByTestId('empty-state')).toBeVisible();
		await openPhoto(page);
		await expect(page.getByTestId('meta-format')).toHaveText('JPEG');
		await expect(page.getByTestId('meta-camera')).toContainText(/SONY/i);
		await expect(page.getByTestId('meta-camera')).toContainText('ILCE-7M2');
		await expect(page.getByTestId('original-image')).toBeVisible();

		await addStep(page, 'resize');
		// The new step's first field has focus; its default is half the photo's width.
		await expect(page.getByTestId('resize-width')).toBeFocused();
		await expect(page.getByTestId('resize-width')).toHaveValue('960');
		await page.getByTestId('resize-width').fill('800');
		await addStep(page, 'watermark');
		await page.getByTestId('watermark-text').fill('© Darkroom test');
		await page.getByTestId('format').selectOption('webp');
		expect(await stepOrder(page)).toEqual(['resize', 'watermark']);

		await page.getByTestId('run').click();
		const info = page.getByTestId('result-info');
		await expect(info).toContainText('800 × 533');
		await expect(info).toContainText('WEBP');
		await expect(page.getByTestId('result-bytes')).toHaveText(/^\d+(\.\d+)? (B|KB|MB)$/);
		expect(await naturalSize(page.getByTestId('result-image'))).toEqual([800, 533]);
		await expect(page.getByTestId('run-error')).toHaveCount(0);

		const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
		expect(download.suggestedFilename()).toMatch(/\.webp$/);
		expect(download.suggestedFilename()).toBe('sample1-800x533.webp');
		const bytes = readFileSync((await download.path())!);
		expect(hex(bytes.subarray(0, 12))).toMatch(SIGNATURE.webp);
		expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
		expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');

		// Changing a setting marks the result as out of date until it runs again.
		await page.getByTestId('resize-width').fill('640');
		await expect(page.getByTestId('result-stale')).toBeVisible();
		await page.getByTestId('run').click();
		await expect(info).toContainText('640 × 427');
		await expect(page.getByTestId('result-stale')).toHaveCount(0);
	});

	test('AI steps: smart crop to 1:1 around the faces, then blur them; the first run shows model download progress', async ({ page }) => {
		test.setTimeout(180_000);
		await openPhoto(page);
		await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');
		await page.getByTestId('add-step').click();
		await expect(page.getByTestId('add-step-face_blur')).toContainText('AI');
		await page.getByTestId('add-step-smart_crop').click();
		await expect(page.getByTestId('smart_crop-aspect')).toHaveValue('1:1');
		await addStep(page, 'face_blur');
		await page.getByTestId('face_blur-style').selectOption('pixelate');
		await page.route('**/models/blazeface-back-256.onnx', async (route) => {
			await new Promise((r) => setTimeout(r, 1200));
			await route.continue();
		});
		await page.getByTestId('run').click();
		await expect(page.getByTestId('model-progress')).toBeVisible();
		await expect(page.getByTestId('result-info')).toContainText('1280 × 1280', { timeout: 150_000 });
		await expect(page.getByTestId('run-error')).toHaveCount(0);
		await expect(page.getByTestId('model-progress')).toHaveCount(0);
		expect(await naturalSize(page.getByTestId('result-image'))).toEqual([1280, 1280]);
	});

	test('steps reorder with the up/down buttons and Alt+arrows, and can be removed', async ({ page }) => {
		await openPhoto(page);
		await addStep(page, 'resize');
		await addStep(page, 'flip');
		await addStep(page, 'watermark');
		expect(await stepOrder(page)).toEqual(['resize', 'flip', 'watermark']);

		// First step cannot go up, last cannot go down.
		await expect(page.getByTestId('step-0').getByTestId('step-up')).toBeDisabled();
		await expect(page.getByTestId('step-2').getByTestId('step-down')).toBeDisabled();

		await page.getByTestId('step-2').getByTestId('step-up').click();
		expect(await stepOrder(page)).toEqual(['resize', 'watermark', 'flip']);
		await page.getByTestId('step-0').getByTestId('step-down').click();
		expect(await stepOrder(page)).toEqual(['watermark', 'resize', 'flip']);
		// Focus follows the moved step, so a second press keeps moving it.
		await expect(page.getByTestId('step-1').getByTestId('step-down')).toBeFocused();
		await page.keyboard.press('Enter');
		expect(await stepOrder(page)).toEqual(['watermark', 'flip', 'resize']);

		// Keyboard: Alt+↑ / Alt+↓ from a field inside the step.
		await page.getByTestId('step-2').getByTestId('resize-width').focus();
		await page.keyboard.press('Alt+ArrowUp');
		expect(await stepOrder(page)).toEqual(['watermark', 'resize', 'flip']);
		await expect(page.getByTestId('resize-width')).toBeFocused();
		await page.keyboard.press('Alt+ArrowUp');
		expect(await stepOrder(page)).toEqual(['resize', 'watermark', 'flip']);
		await page.keyboard.press('Alt+ArrowUp'); // already first: nothing happens
		expect(await stepOrder(page)).toEqual(['resize', 'watermark', 'flip']);
		await page.getByTestId('watermark-text').focus();
		await page.keyboard.press('Alt+ArrowDown');
		expect(await stepOrder(page)).toEqual(['resize', 'flip', 'watermark']);

		// Remove, with the mouse and the keyboard.
		await page.getByTestId('step-1').getByTestId('step-remove').click();
		expect(await stepOrder(page)).toEqual(['resize', 'watermark']);
		await expect(page.getByTestId('step-1').getByTestId('step-remove')).toBeFocused();
		await page.keyboard.press('Enter');
		expect(await stepOrder(page)).toEqual(['resize']);
		await page.getByTestId('step-0').getByTestId('step-remove').click();
		await expect(page.getByTestId('steps-empty')).toBeVisible();
		await expect(page.getByTestId('add-step')).toBeFocused();
	});

	test('an invalid field shows its error and nothing runs', async ({ page }) => {
		await openPhoto(page);
		// Count the calls the page makes to the API.
		await page.evaluate(() => {
			const img = (window as any).darkroom.image;
			const orig = img.process;
			(window as any).__processCalls = 0;
			img.process = function (...a: unknown[]) {
				(window as any).__processCalls++;
				return orig.apply(this, a);
			};
		});
		await addStep(page, 'resize');
		await page.getByTestId('resize-width').fill('-5');
		await expect(page.getByTestId('resize-width-error')).toBeVisible();
		await expect(page.getByTestId('resize-width-error')).toHaveText(/1/);
		await expect(page.getByTestId('resize-width')).toHaveAttribute('aria-invalid', 'true');
		await page.getByTestId('run').click();
		await expect(page.getByTestId('validation-error')).toBeVisible();
		await expect(page.getByTestId('resize-width')).toBeFocused();
		await page.waitForTimeout(300);
		await expect(page.getByTestId('result-info')).toHaveCount(0);
		await expect(page.getByTestId('progress')).toHaveCount(0);
		expect(await page.evaluate(() => (window as any).__processCalls)).toBe(0);

		// Other bad values get their own messages.
		await page.getByTestId('resize-width').fill('12px');
		await expect(page.getByTestId('resize-width-error')).toHaveText(en['validate.number']);
		await page.getByTestId('resize-width').fill('1.5');
		await expect(page.getByTestId('resize-width-error')).toHaveText(en['validate.integer']);

		// Fixing it clears the error and runs.
		await page.getByTestId('resize-width').fill('400');
		await expect(page.getByTestId('resize-width-error')).toHaveCount(0);
		await page.getByTestId('run').click();
		await expect(page.getByTestId('result-info')).toContainText('400 × 267');
		await expect(page.getByTestId('validation-error')).toHaveCount(0);
		expect(await page.evaluate(() => (window as any).__processCalls)).toBe(1);
	});

	test('an API error (crop outside the image) is shown at the step and as the run error', async ({ page }) => {
		await openPhoto(page);
		await addStep(page, 'crop');
		await page.getByTestId('crop-x').fill('1800');
		await page.getByTestId('crop-y').fill('0');
		await page.getByTestId('crop-width').fill('400');
		await page.getByTestId('crop-height').fill('300');
		await page.getByTestId('run').click();
		const runError = page.getByTestId('run-error');
		await expect(runError).toBeVisible();
		// "400 invalid_parameter <message>": the code and the message are separate words.
		await expect(runError).toHaveText(/^400 invalid_parameter \S/);
		await expect(page.getByTestId('result-info')).toHaveCount(0);
		// The step that caused it says so, and the field it names is marked; the message box
		// points there instead of saying it twice.
		const step = page.getByTestId('step-0');
		await expect(step.getByTestId('step-api-error')).toBeVisible();
		await expect(step.getByTestId('step-api-error')).toContainText(/outside|bounds|exceeds|within/i);
		await expect(runError).toContainText(/highlighted field/);
		await expect(runError).not.toContainText(/outside|bounds|exceeds|within/i);
		await expect(step.locator('[aria-invalid="true"]')).not.toHaveCount(0);
		// …and has the focus, so the user can fix it right away.
		await expect(step.locator('[aria-invalid="true"]').first()).toBeFocused();

		// Fixing it clears the error.
		await page.getByTestId('crop-x').fill('100');
		await expect(step.getByTestId('step-api-error')).toHaveCount(0);
		// The old error no longer describes these settings: it goes before the next run.
		await expect(runError).toHaveCount(0);
		await page.getByTestId('run').click();
		await expect(page.getByTestId('result-info')).toContainText('400 × 300');
		await expect(runError).toHaveCount(0);
	});

	test('several files at once: thumbnails, run on all, one download per file', async ({ page }) => {
		const files = [1, 2, 3].map((n) => `${SAMPLES}/sample${n}.jpg`);
		await page.getByTestId('file-input').setInputFiles(files);
		for (let i = 0; i < 3; i++) await expect(page.getByTestId(`thumb-${i}`)).toBeVisible();
		await expect(page.getByTestId('thumb-0')).toHaveAttribute('aria-pressed', 'true');
		await page.getByTestId('thumb-0').click();
		await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');
		await addStep(page, 'resize');
		await page.getByTestId('resize-width').fill('320');
		await page.getByTestId('format').selectOption('jpeg');
		await expect(page.getByTestId('run-all')).toContainText('3');
		await page.getByTestId('run-all').click();
		await expect(page.getByTestId('batch')).toBeVisible();
		for (let i = 0; i < 3; i++) {
			await expect(page.getByTestId(`batch-row-${i}`)).toBeVisible();
			await expect(page.getByTestId(`download-${i}`)).toBeVisible();
		}
		await expect(page.getByTestId('run-all')).toBeEnabled();

		// Each row's own link downloads that file.
		const [one] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-1').click()]);
		expect(one.suggestedFilename()).toMatch(/^sample2-320x\d+\.jpg$/);

		const names: string[] = [];
		const got = new Promise<void>((resolve) => {
			page.on('download', async (d) => {
				names.push(d.suggestedFilename());
				const bytes = readFileSync((await d.path())!);
				expect(hex(bytes.subarray(0, 3))).toMatch(SIGNATURE.jpeg);
				if (names.length === 3) resolve();
			});
		});
		await page.getByTestId('download-all').click();
		await got;
		expect(names.sort()).toEqual([expect.stringMatching(/^sample1-320x213\.jpg$/), expect.stringMatching(/^sample2-320x\d+\.jpg$/), expect.stringMatching(/^sample3-320x\d+\.jpg$/)]);
	});

	test('pasting an image opens it', async ({ page }) => {
		const dt = await photoDataTransfer(page, 'image.png');
		await page.evaluate((dt) => {
			const e = new ClipboardEvent('paste', { clipboardData: dt as DataTransfer, bubbles: true, cancelable: true });
			document.body.dispatchEvent(e);
		}, dt);
		await expect(page.getByTestId('thumb-0')).toBeVisible();
		await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');
		// A pasted "image.png" gets a name worth keeping.
		await expect(page.getByTestId('metadata')).toContainText(/pasted-\d{4}-\d\d-\d\dT/);
	});

	test('dropping a file opens it', async ({ page }) => {
		const dt = await photoDataTransfer(page, 'dropped.jpg');
		await page.dispatchEvent('body', 'dragenter', { dataTransfer: dt });
		await expect(page.getByTestId('drop-overlay')).toBeVisible();
		await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
		await page.dispatchEvent('body', 'drop', { dataTransfer: dt });
		await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
		await expect(page.getByTestId('thumb-0')).toBeVisible();
		await expect(page.getByTestId('thumb-0')).toHaveAttribute('title', 'dropped.jpg');
		await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');
	});

	test('compare slider moves with the arrow keys; zoom buttons change the zoom level', async ({ page }) => {
		await openPhoto(page);
		await addStep(page, 'resize');
		await page.getByTestId('resize-width').fill('800');
		await page.getByTestId('run').click();
		await expect(page.getByTestId('result-info')).toContainText('800 × 533');

		const slider = page.getByTestId('compare-slider');
		await expect(slider).toHaveAttribute('aria-valuenow', '50');
		await slider.focus();
		await page.keyboard.press('ArrowRight');
		await expect(slider).toHaveAttribute('aria-valuenow', '51');
		await page.keyboard.press('Shift+ArrowRight');
		await expect(slider).toHaveAttribute('aria-valuenow', '61');
		await page.keyboard.press('ArrowLeft');
		await expect(slider).toHaveAttribute('aria-valuenow', '60');
		await page.keyboard.press('Home');
		await expect(slider).toHaveAttribute('aria-valuenow', '0');
		await page.keyboard.press('End');
		await expect(slider).toHaveAttribute('aria-valuenow', '100');
		await expect(slider).toHaveAttribute('aria-valuetext', /100% original, 0% result/);
		// The result layer is clipped at the split.
		const clip = await page.getByTestId('result-image').evaluate((img) => (img.closest('.layer') as HTMLElement).style.clipPath);
		expect(clip).toContain('100%');

		const level = page.getByTestId('zoom-level');
		const pct = async () => Number((await level.textContent())!.replace('%', ''));
		await expect(page.getByTestId('zoom-fit')).toHaveAttribute('aria-pressed', 'true');
		const fit = await pct();
		expect(fit).toBeGreaterThan(0);
		await page.getByTestId('zoom-in').click();
		await expect.poll(pct).toBe(Math.round(fit * 1.25));
		await page.getByTestId('zoom-in').click();
		await expect.poll(pct).toBeGreaterThan(Math.round(fit * 1.25));
		await expect(page.getByTestId('zoom-fit')).toHaveAttribute('aria-pressed', 'false');
		await page.getByTestId('zoom-100').click();
		await expect(level).toHaveText('100%');
		await expect(page.getByTestId('zoom-100')).toHaveAttribute('aria-pressed', 'true');
		await page.getByTestId('zoom-out').click();
		await expect(level).toHaveText('80%');
		await page.getByTestId('zoom-fit').click();
		await expect.poll(pct).toBe(fit);
	});

	test('keyboard only: Tab reaches Run and Enter runs it', async ({ page }) => {
		// Open the file picker from the keyboard: Tab to "Choose images", Enter.
		const chooser = page.waitForEvent('filechooser');
		let reached = false;
		for (let i = 0; i < 15 && !reached; i++) {
			await page.keyboard.press('Tab');
			reached = await page.getByTestId('open-files').evaluate((b) => b === document.activeElement);
		}
		expect(reached, 'Tab reaches the "Choose images" button').toBe(true);
		await page.keyboard.press('Enter');
		await (await chooser).setFiles(PHOTO);
		await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');

		// Tab through the workspace to Run.
		await page.locator('body').focus();
		const visited: string[] = [];
		reached = false;
		for (let i = 0; i < 40 && !reached; i++) {
			await page.keyboard.press('Tab');
			const info = await page.evaluate(() => {
				const a = document.activeElement as HTMLElement | null;
				return { tid: a?.dataset.testid ?? a?.tagName ?? '', visible: !!a && a.getBoundingClientRect().width > 0 };
			});
			visited.push(info.tid);
			if (info.tid === 'run') reached = true;
		}
		expect(reached, `Tab reaches Run (visited: ${visited.join(', ')})`).toBe(true);
		await expect(page.getByTestId('run')).toBeFocused();
		// Focus is visible on it.
		const outline = await page.getByTestId('run').evaluate((b) => getComputedStyle(b).outlineStyle);
		expect(outline).not.toBe('none');
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('result-info')).toContainText('1920 × 1280');

		// Ctrl+Enter runs from anywhere.
		await page.getByTestId('format').selectOption('png');
		await page.keyboard.press('Control+Enter');
		await expect(page.getByTestId('result-info')).toContainText('PNG');
	});
});

test.describe('keyboard focus is never hidden behind the sticky Run bar or header', () => {
	for (const viewport of [
		{ width: 1440, height: 900 },
		{ width: 390, height: 844 }
	]) {
		test(`${viewport.width}×${viewport.height}`, async ({ page }) => {
			await page.setViewportSize(viewport);
			await openApp(page, '/');
			await openPhoto(page, [PHOTO, `${SAMPLES}/sample2.jpg`]); // two files: the Run bar also has "Run on all"
			for (const kind of ['resize', 'crop', 'rotate', 'watermark', 'compress']) await addStep(page, kind);
			await page.getByTestId('resize-width').fill('800');
			for (const [f, v] of [['x', '0'], ['y', '0'], ['width', '400'], ['height', '300']]) await page.getByTestId(`crop-${f}`).fill(v);
			await page.getByTestId('run').click();
			await expect(page.getByTestId('result-info')).toBeVisible();
			await page.evaluate(() => window.scrollTo(0, 0));
			await page.locator('body').focus();

			const hidden: string[] = [];
			let stops = 0;
			let first: string | undefined;
			for (let i = 0; i < 120; i++) {
				await page.keyboard.press('Tab');
				const r = await page.evaluate(() => {
					const a = document.activeElement as HTMLElement | null;
					if (!a || a === document.body) return null;
					const box = a.getBoundingClientRect();
					const name = a.dataset.testid ?? a.getAttribute('aria-label') ?? a.id ?? a.tagName;
					if (box.width === 0 || box.height === 0) return { name, problem: '' }; // e.g. a visually hidden input
					const x = Math.min(innerWidth - 1, Math.max(0, box.left + box.width / 2));
					const y = Math.min(innerHeight - 1, Math.max(0, box.top + box.height / 2));
					if (box.bottom <= 0 || box.top >= innerHeight) return { name, problem: 'out of view' };
					const hit = document.elementFromPoint(x, y);
					const ok = !!hit && (a === hit || a.contains(hit) || hit.contains(a) || [...((a as HTMLInputElement).labels ?? [])].some((l) => l.contains(hit)));
					return { name, problem: ok ? '' : `covered by ${hit?.closest('[data-testid],section,header')?.getAttribute('data-testid') ?? hit?.closest('section,header')?.className ?? hit?.tagName}` };
				});
				if (!r) continue;
				if (stops > 5 && r.name === first) break; // wrapped around
				first ??= r.name;
				stops++;
				if (r.problem) hidden.push(`${r.name}: ${r.problem}`);
			}
			expect(stops).toBeGreaterThan(30);
			expect(hidden).toEqual([]);
		});
	}
});

test('console on a phone: the response is brought into view after Run', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 844 });
	await openApp(page, '/console');
	await page.getByTestId('console-method').selectOption('image.resize');
	await page.getByTestId('console-file').setInputFiles(PHOTO);
	await page.getByTestId('console-request').fill(JSON.stringify({ image: '$file', width: 320 }));
	await page.getByTestId('console-run').click();
	await expect(page.getByTestId('console-status')).toHaveText('200 OK');
	await expect(page.getByTestId('console-status')).toBeInViewport();
	// An error too.
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.getByTestId('console-request').fill(JSON.stringify({ image: '$file', width: -1 }));
	await page.getByTestId('console-run').click();
	await expect(page.getByTestId('console-status')).toHaveText(/^400/);
	await expect(page.getByTestId('console-status')).toBeInViewport();
});

// ---------------------------------------------------------------------------------------------

/** English UI strings that must not be on screen in Chinese: every message whose Chinese differs. */
function englishOnlyStrings(): { key: string; re: RegExp }[] {
	const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return (Object.keys(en) as (keyof typeof en)[])
		// (units such as "px" and "mm" may stay as they are, so two-letter lowercase tokens are left out)
		// and so are templates that are nothing but placeholders and punctuation.
		.filter((k) => en[k] !== zh[k] && /[A-Za-z]{2}/.test(en[k].replace(/\{\w+\}/g, '')) && !/^[a-z]{1,2}$/.test(en[k]))
		.map((k) => ({ key: k, re: new RegExp(`^${esc(en[k]).replace(/\\\{\w+\\\}/g, '.+?')}$`) }));
}

/** Every visible text (element own text nodes) and the accessible text attributes on the page. */
async function screenTexts(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const out: string[] = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const el = n.parentElement;
			if (!el || el.closest('script,style,[hidden]')) continue;
			const text = n.textContent!.replace(/\s+/g, ' ').trim();
			if (text) out.push(text);
		}
		for (const el of document.querySelectorAll<HTMLElement>('[aria-label],[title],[placeholder],[alt],[aria-valuetext]'))
			for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext']) {
				const v = el.getAttribute(a);
				if (v) out.push(v.trim());
			}
		// Whole-element texts too, for messages that are split over several text nodes.
		for (const el of document.querySelectorAll<HTMLElement>('body *')) {
			const t = el.innerText?.replace(/\s+/g, ' ').trim();
			if (t && t.length < 300 && el.children.length <= 4) out.push(t);
		}
		out.push(document.title);
		return out;
	});
}

const CJK = '\u3000-\u303f\u4e00-\u9fff\uff00-\uffef';
/** Half-width , : ; ( ) against a Chinese character: Chinese text takes full-width ，：；（）. */
const HALF_WIDTH_IN_CHINESE = new RegExp(`[${CJK}][,:;()]|[,:;(][${CJK}]`);

async function expectNoEnglish(page: Page, where: string) {
	const texts = await screenTexts(page);
	const english = englishOnlyStrings();
	const leftovers = texts.flatMap((t) => english.filter((e) => e.re.test(t)).map((e) => `${e.key}: "${t}"`));
	expect([...new Set(leftovers)], `English UI text left on ${where} in Chinese`).toEqual([]);
	const punctuation = texts.filter((t) => HALF_WIDTH_IN_CHINESE.test(t));
	expect([...new Set(punctuation)], `half-width punctuation in Chinese text on ${where}`).toEqual([]);
}

test.describe('language', () => {
	test('switching to 中文 translates the UI, sets <html lang> and persists across reloads', async ({ page }) => {
		await openApp(page, '/');
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await expect(page.getByTestId('nav-toolbox')).toHaveText(en['nav.toolbox']);
		await page.getByTestId('lang-switch').selectOption('zh');
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await expect(page.getByTestId('nav-toolbox')).toHaveText(zh['nav.toolbox']);
		await expect(page.getByTestId('nav-console')).toHaveText(zh['nav.console']);
		await expect(page.getByTestId('nav-idphoto')).toHaveText(zh['nav.idphoto']);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh['empty.title']);
		await expect(page.getByTestId('open-files')).toHaveText(zh['empty.choose']);
		await expect(page).toHaveTitle(`${zh['toolbox.title']} · Darkroom`);
		await expectNoEnglish(page, 'the empty toolbox');

		await page.reload();
		await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
		await expect(page.getByTestId('lang-switch')).toHaveValue('zh');
		await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
		await expect(page.getByTestId('open-files')).toHaveText(zh['empty.choose']);

		// The choice holds on the other page too, and switching back restores English.
		await page.getByTestId('nav-console').click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh['console.title']);
		await page.getByTestId('lang-switch').selectOption('en');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['console.title']);
		await expect(page.locator('html')).toHaveAttribute('lang', 'en');
		await page.reload();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(en['console.title']);
	});

	test('in Chinese no English UI label is left: toolbox with a result, errors, batch; console', async ({ page }) => {
		await openApp(page, '/');
		await page.getByTestId('lang-switch').selectOption('zh');
		await page.getByTestId('file-input').setInputFiles([PHOTO, `${SAMPLES}/sample2.jpg`]);
		await page.getByTestId('thumb-0').click();
		await expect(page.getByTestId('meta-dimensions')).toHaveText('1920 × 1280');
		for (const kind of ['resize', 'crop', 'rotate', 'flip', 'flop', 'watermark', 'compress']) await addStep(page, kind);
		// Values that fit both photos (the crop's default is sized for the first one).
		await page.getByTestId('resize-width').fill('800');
		for (const [f, v] of [['x', '0'], ['y', '0'], ['width', '400'], ['height', '300']]) await page.getByTestId(`crop-${f}`).fill(v);
		await page.getByTestId('format').selectOption('webp');
		await page.getByTestId('run-all').click();
		await expect(page.getByTestId('download-1')).toBeVisible();
		await page.getByTestId('thumb-0').click();
		await expect(page.getByTestId('result-info')).toBeVisible();

		// Key elements, one by one.
		const expected: [string, string][] = [
			['nav-toolbox', zh['nav.toolbox']],
			['nav-console', zh['nav.console']],
			['add-step', zh['steps.add']],
			['run', zh['run.button']],
			['run-all', zh['run.all'].replace('{n}', '2')],
			['download', zh['result.download']],
			['copy', zh['result.copy']],
			['download-all', zh['batch.downloadAll']],
			['zoom-fit', zh['viewer.fit']]
		];
		for (const [tid, text] of expected) await expect(page.getByTestId(tid)).toHaveText(text);
		await expect(page.getByTestId('result-info')).toContainText('为原图的');
		await expect(page.getByTestId('metadata')).toContainText(zh['meta.title']);
		await expect(page.getByTestId('metadata')).toContainText(zh['meta.dimensions']);
		await expect(page.getByTestId('metadata')).toContainText(zh['meta.camera']);
		await expect(page.getByTestId('compare-slider')).toHaveAttribute('aria-label', zh['viewer.split']);
		await expect(page.getByTestId('step-0').getByTestId('step-up')).toHaveAttribute('aria-label', /上移/);
		await expectNoEnglish(page, 'the toolbox');

		// The step menu and a validation message.
		await page.getByTestId('add-step').click();
		await expect(page.getByTestId('add-step-resize')).toContainText(zh['op.resize']);
		await expectNoEnglish(page, 'the add-step menu');
		await page.keyboard.press('Escape');
		await page.getByTestId('resize-width').fill('-5');
		await page.getByTestId('run').click();
		await expect(page.getByTestId('validation-error')).toHaveText(zh['validate.summary']);
		await expect(page.getByTestId('resize-width-error')).toHaveText(/应在|至少/);
		await expectNoEnglish(page, 'the toolbox with errors');
		// An error from the API: its code gets a Chinese headline, and the box points at the field.
		await page.getByTestId('resize-width').fill('800');
		await page.getByTestId('crop-x').fill('5000');
		await page.getByTestId('run').click();
		await expect(page.getByTestId('run-error')).toHaveText(`400 invalid_parameter ${zh['error.invalid_parameter']} ${zh['run.errorAtField']}`);

		// The ID photo page, with a preset and with a custom size.
		await page.getByTestId('nav-idphoto').click();
		await expect(page.getByTestId('idphoto-make')).toBeVisible();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(zh['idp.title']);
		await expectNoEnglish(page, 'the ID photo page');
		await page.getByTestId('idphoto-preset').selectOption('custom');
		await expect(page.getByTestId('idphoto-custom')).toBeVisible();
		await expect(page.locator('label[for="idp-w"]')).toHaveText('宽度（像素）');
		await expectNoEnglish(page, 'the ID photo page with a custom size');

		// The console, before and after a call.
		await page.getByTestId('nav-console').click();
		await expect(page.getByTestId('console-run')).toHaveText(zh['console.run']);
		await expect(page.getByTestId('console-response')).toHaveText(zh['console.noResponse']);
		await expectNoEnglish(page, 'the console');
		await page.getByTestId('console-method').selectOption('image.resize');
		await page.getByTestId('console-file').setInputFiles(PHOTO);
		await page.getByTestId('console-run').click();
		await expect(page.getByTestId('console-status')).toHaveText('200 OK');
		await expectNoEnglish(page, 'the console with a response');
	});
});

// ---------------------------------------------------------------------------------------------

test.describe('API console', () => {
	test.beforeEach(async ({ page }) => openApp(page, '/console'));

	const setRequest = async (page: Page, value: unknown) => page.getByTestId('console-request').fill(JSON.stringify(value, null, 2));
	const responseJSON = async (page: Page) => JSON.parse((await page.getByTestId('console-response').textContent())!);

	test('image.resize with an attached file: 200, width 320, the image is shown', async ({ page }) => {
		await page.getByTestId('console-method').selectOption('image.resize');
		await page.getByTestId('console-file').setInputFiles(PHOTO);
		await expect(page.getByTestId('console-file-name')).toContainText('sample1.jpg');
		await setRequest(page, { image: '$file', width: 320 });
		await page.getByTestId('console-run').click();
		await expect(page.getByTestId('console-status')).toHaveText('200 OK');
		const r = await responseJSON(page);
		expect(r).toMatchObject({ width: 320, height: 213, mime: 'image/jpeg' });
		expect(r.image_url).toMatch(/^blob:/);
		await expect(page.getByTestId('console-image')).toBeVisible();
		expect(await naturalSize(page.getByTestId('console-image'))).toEqual([320, 213]);

		// Ctrl+Enter in the editor runs too.
		await setRequest(page, { image: '$file', width: 200, format: 'webp' });
		await page.getByTestId('console-request').press('Control+Enter');
		await expect.poll(async () => (await responseJSON(page)).width).toBe(200);
		expect((await responseJSON(page)).mime).toBe('image/webp');
	});

	test('an invalid request shows 400 and the message', async ({ page }) => {
		await page.getByTestId('console-method').selectOption('image.resize');
		await page.getByTestId('console-file').setInputFiles(PHOTO);
		await setRequest(page, { image: '$file', width: -1 });
		await page.getByTestId('console-run').click();
		await expect(page.getByTestId('console-status')).toHaveText(/^400\b/);
		await expect(page.getByTestId('console-status')).toContainText('invalid_parameter');
		const r = await responseJSON(page);
		expect(r).toMatchObject({ name: 'DarkroomError', status: 400, code: 'invalid_parameter' });
		expect(r.message).toMatch(/width/);
		await expect(page.getByTestId('console-response')).toContainText(r.message);
		await expect(page.getByTestId('console-image')).toHaveCount(0);

		// Broken JSON is caught before calling.
		await page.getByTestId('console-request').fill('{ "image": "$file", ');
		await page.getByTestId('console-run').click();
		await expect(page.getByTestId('console-parse-error')).toBeVisible();
		await expect(page.getByTestId('console-request')).toHaveAttribute('aria-invalid', 'true');
	});

	test('a library call runs from the console without a file', async ({ page }) => {
		await page.getByTestId('console-method').selectOption('image.transformation.list');
		await expect(page.getByTestId('console-planned')).toHaveCount(0);
		await page.getByTestId('console-run').click();
		await expect(page.getByTestId('console-status')).toHaveText('200 OK');
		expect(Array.isArray((await responseJSON(page)).items)).toBe(true);
	});

	test('a request that uses "$file" without a file says so', async ({ page }) => {
		await page.getByTestId('console-method').selectOption('image.metadata');
		await page.getByTestId('console-run').click();
		await expect(page.getByTestId('console-parse-error')).toHaveText(en['console.needFile']);
	});
});

test('window.darkroom exists on every page', async ({ page }) => {
	for (const path of PAGES) {
		await openApp(page, path);
		const api = await page.evaluate(() => {
			const d = (window as any).darkroom;
			return { process: typeof d?.image?.process, metadata: typeof d?.image?.metadata, setKb: typeof d?.idphoto?.set_kb, limits: typeof d?.limits };
		});
		expect(api, path).toEqual({ process: 'function', metadata: 'function', setKb: 'function', limits: 'function' });
	}
	// After client-side navigation as well.
	await page.getByTestId('nav-toolbox').click();
	await expect(page).toHaveURL(/\/$/);
	expect(await page.evaluate(() => typeof (window as any).darkroom?.image?.process)).toBe('function');
});
