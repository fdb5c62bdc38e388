import { test, expect, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, sample, SAMPLES } from './helpers';
import { unzip } from '../../src/lib/library/zip';
import { en } from '../../src/lib/i18n/en';
import { zh } from '../../src/lib/i18n/zh';

/** The /batch page over the real batch API: real photos, real workers, real ZIP. */

const photo = (n: number) => ({ name: `sample${n}.jpg`, mimeType: 'image/jpeg', buffer: sample(n) });
const corrupt = { name: 'corrupt.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(sample(2).subarray(0, 3000)) };

async function cleanup(page: Page) {
	await page.evaluate(async () => {
		const d = (window as any).darkroom;
		if (!d) return;
		for (const j of (await d.image.batch.list({ limit: 500 })).items) {
			if (j.status === 'queued' || j.status === 'running') await d.image.batch.cancel({ id: j.id });
		}
		// Give items already running a moment to land, then remove every job this test made.
		await new Promise((r) => setTimeout(r, 300));
		for (const j of (await d.image.batch.list({ limit: 500 })).items) await d.image.batch.delete({ id: j.id }).catch(() => {});
	});
}

async function addStep(page: Page, kind: string) {
	await page.getByTestId('add-step').click();
	await page.getByTestId(`add-step-${kind}`).click();
}

/** Six photos, turned by a free angle, enlarged and saved as AVIF: slow enough to catch mid-run. */
async function startSlowJob(page: Page) {
	await page.getByTestId('batch-file-input').setInputFiles([1, 2, 3, 4, 5, 6].map(photo));
	await addStep(page, 'rotate');
	await page.getByTestId('rotate-degrees').fill('7');
	await addStep(page, 'resize');
	await page.getByTestId('resize-width').fill('1400');
	await page.getByTestId('batch-format').selectOption('avif');
	await page.getByTestId('batch-start').click();
	await expect(page.getByTestId('job')).toBeVisible();
	return (await page.getByTestId('job').locator('.mono').first().textContent())!.trim();
}

const doneCount = (page: Page) => page.locator('[data-testid^="job-item-"][data-status="done"]').count();

test.beforeEach(async ({ page }) => openApp(page, '/batch'));
test.afterEach(async ({ page }) => cleanup(page));

test('three photos and a corrupt one: per-item results, one failure, a ZIP of three, one download, delete', async ({ page }) => {
	test.setTimeout(120_000);
	await page.getByTestId('batch-file-input').setInputFiles([photo(1), photo(2), photo(3), corrupt, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') }]);
	// The text file is set aside with a note; the corrupt JPEG goes in (only decoding can tell).
	await expect(page.getByTestId('batch-skipped')).toContainText('notes.txt');
	await expect(page.getByTestId('batch-files').locator('li')).toHaveCount(4);
	await addStep(page, 'resize');
	await page.getByTestId('resize-width').fill('320');
	await page.getByTestId('batch-start').click();

	const job = page.getByTestId('job');
	await expect(job).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
	await expect(page.getByTestId('job-counts')).toHaveText(en['batchPage.job.counts'].replace('{done}', '3').replace('{failed}', '1').replace('{total}', '4'));
	await expect(page.getByTestId('job-progress')).toHaveAttribute('aria-valuenow', '4');
	for (const i of [0, 1, 2]) {
		const item = page.getByTestId(`job-item-${i}`);
		await expect(item).toHaveAttribute('data-status', 'done');
		await expect(item).toContainText(`sample${i + 1}.jpg`);
		await expect(item).toContainText(/320 × \d+/);
		// The thumbnail is the result itself, decoded by the browser.
		const w = await item.locator('img').evaluate(async (img: HTMLImageElement) => (await img.decode(), img.naturalWidth));
		expect(w).toBe(320);
	}
	const bad = page.getByTestId('job-item-3');
	await expect(bad).toHaveAttribute('data-status', 'failed');
	await expect(bad.getByTestId('job-item-error')).toContainText(/400 invalid_image|415 unsupported_format/);
	// The file picker is free again once the job holds the files.
	await expect(page.getByTestId('batch-files')).toHaveCount(0);

	const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-zip').click()]);
	expect(zip.suggestedFilename()).toMatch(/^darkroom-.*\.zip$/);
	const entries = unzip(new Uint8Array(readFileSync((await zip.path())!)));
	expect(entries.map((e) => e.name)).toEqual(['sample1.jpg', 'sample2.jpg', 'sample3.jpg']);
	for (const e of entries) expect(Buffer.from(e.data.subarray(0, 3)).toString('hex')).toBe('ffd8ff');

	const [one] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-item-1').getByTestId('job-item-download').click()]);
	expect(one.suggestedFilename()).toMatch(/^sample2-320x\d+\.jpg$/);

	// Earlier jobs: this one is listed; deleting asks first, then it is gone.
	const row = page.getByTestId('jobs-row').first();
	await expect(row).toContainText(en['batchPage.status.completed']);
	await row.getByTestId('jobs-delete').click();
	await row.getByTestId('jobs-confirm-delete').click();
	await expect(page.getByTestId('job')).toHaveCount(0);
	await expect(page.getByTestId('jobs-empty')).toBeVisible();
});

test('a picked folder brings its images (sub-folders too) and leaves the rest out', async ({ page }) => {
	const dir = mkdtempSync(join(tmpdir(), 'darkroom-batch-'));
	const root = join(dir, 'holiday');
	mkdirSync(join(root, 'day2'), { recursive: true });
	writeFileSync(join(root, 'a.jpg'), readFileSync(`${SAMPLES}/sample1.jpg`));
	writeFileSync(join(root, 'day2', 'b.jpg'), readFileSync(`${SAMPLES}/sample2.jpg`));
	writeFileSync(join(root, 'readme.md'), '# not an image');
	await page.getByTestId('batch-folder-input').setInputFiles(root);
	await expect(page.getByTestId('batch-files').locator('li')).toHaveCount(2);
	await expect(page.getByTestId('batch-files')).toContainText('holiday/day2/b.jpg');
	await expect(page.getByTestId('batch-skipped')).toContainText('readme.md');
});

test('files dropped on the page are added; nothing starts without files or with a bad webhook', async ({ page }) => {
	await page.getByTestId('batch-start').click();
	await expect(page.getByTestId('batch-need-files')).toBeVisible();
	await expect(page.getByTestId('batch-need-steps')).toBeVisible();
	// A drop as the browser delivers it (a DataTransfer of files).
	const bytes = Array.from(sample(4));
	await page.evaluate(async (bytes) => {
		const dt = new DataTransfer();
		dt.items.add(new File([new Uint8Array(bytes)], 'dropped.jpg', { type: 'image/jpeg' }));
		dt.items.add(new File(['x'], 'dropped.txt', { type: 'text/plain' }));
		window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
		window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
	}, bytes);
	await expect(page.getByTestId('batch-files')).toContainText('dropped.jpg');
	await expect(page.getByTestId('batch-skipped')).toContainText('dropped.txt');
	await addStep(page, 'flip');
	await page.locator('.advanced summary').click();
	await page.getByTestId('batch-webhook').fill('ftp://example.com/hook');
	await page.getByTestId('batch-start').click();
	await expect(page.getByTestId('batch-webhook')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('.advanced .field-error')).toContainText('webhook_url');
	await expect(page.getByTestId('job')).toHaveCount(0);
});

test('a named transformation as the batch, with notifications asked for', async ({ page, context }) => {
	test.setTimeout(90_000);
	const name = `e2e-batch-${Date.now().toString(36)}`;
	await page.evaluate((name) => (window as any).darkroom.image.transformation.create({ name, transform: 'w_150,h_150,c_cover,f_webp,q_70' }), name);
	await context.grantPermissions(['notifications']);
	await page.reload();
	await page.getByTestId('batch-file-input').setInputFiles([photo(1), photo(6)]);
	await page.getByTestId('batch-mode-named').check();
	await page.getByTestId('batch-start').click();
	await expect(page.getByTestId('batch-validation')).toBeVisible();
	await page.getByTestId('batch-named').selectOption(name);
	await expect(page.getByTestId('batch-notify')).toHaveText(en['batchPage.notify.on']);
	await page.getByTestId('batch-start').click();
	await expect(page.getByTestId('job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
	for (const i of [0, 1]) await expect(page.getByTestId(`job-item-${i}`)).toContainText('150 × 150');
	const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-zip').click()]);
	const entries = unzip(new Uint8Array(readFileSync((await zip.path())!)));
	expect(entries.map((e) => e.name)).toEqual(['sample1.webp', 'sample6.webp']);
	// The transformation's own q_70 held (the page sends no quality of its own here): same bytes as a direct call.
	await expect(page.getByTestId('batch-quality')).toBeDisabled();
	const direct = await page.evaluate(
		async ({ name, bytes }) => (await (window as any).darkroom.image.process({ image: new Blob([new Uint8Array(bytes)]), transformation: name })).bytes,
		{ name, bytes: Array.from(sample(1)) }
	);
	expect(entries[0].data.length).toBe(direct);
	await page.evaluate((name) => (window as any).darkroom.image.transformation.delete({ name }), name);
});

test('cancel mid-run keeps the finished results', async ({ page }) => {
	test.setTimeout(200_000);
	await startSlowJob(page);
	await expect.poll(() => doneCount(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(1);
	await page.getByTestId('job-cancel').click();
	await expect(page.getByTestId('job')).toHaveAttribute('data-status', 'cancelled');
	// What was running finishes; nothing new starts.
	await expect(page.locator('[data-testid^="job-item-"][data-status="running"]')).toHaveCount(0, { timeout: 120_000 });
	const done = await doneCount(page);
	const cancelled = await page.locator('[data-testid^="job-item-"][data-status="cancelled"]').count();
	expect(done).toBeGreaterThanOrEqual(1);
	expect(cancelled).toBeGreaterThanOrEqual(1);
	expect(done + cancelled).toBe(6);
	await expect(page.getByTestId('job-cancel')).toHaveCount(0);
	await expect(page.getByTestId('job-zip')).toBeEnabled();
	await expect(page.getByTestId('job-counts')).toContainText(en['batchPage.job.cancelledCount'].replace('{n}', String(cancelled)));
});

test('a reload during a run shows the same job carrying on', async ({ page }) => {
	test.setTimeout(300_000);
	const id = await startSlowJob(page);
	expect(id).toMatch(/^job_[0-9a-f]{20}$/);
	await expect(page).toHaveURL(new RegExp(`job=${id}`));
	await expect.poll(() => doneCount(page), { timeout: 150_000 }).toBeGreaterThanOrEqual(1);
	await page.reload();
	await expect(page.getByTestId('job')).toBeVisible();
	await expect(page.getByTestId('job').locator('.mono').first()).toHaveText(id);
	await expect(page.getByTestId('job')).toHaveAttribute('data-status', 'completed', { timeout: 240_000 });
	expect(await doneCount(page)).toBe(6);
});

test('the page in Chinese', async ({ page }) => {
	await page.evaluate(() => localStorage.setItem('darkroom.lang', 'zh'));
	await openApp(page, '/batch');
	await expect(page.locator('h1')).toHaveText(zh['batchPage.title']);
	await expect(page.getByTestId('batch-add-folder')).toHaveText(zh['batchPage.drop.folder']);
	await expect(page.getByTestId('nav-batch')).toHaveText(zh['nav.batch']);
	await page.getByTestId('batch-file-input').setInputFiles([photo(5), corrupt]);
	await addStep(page, 'flop');
	await page.getByTestId('batch-start').click();
	await expect(page.getByTestId('job')).toHaveAttribute('data-status', 'completed', { timeout: 60_000 });
	await expect(page.getByTestId('job-status')).toHaveText(zh['batchPage.status.completed']);
	await expect(page.getByTestId('job-counts')).toHaveText(zh['batchPage.job.counts'].replace('{done}', '1').replace('{failed}', '1').replace('{total}', '2'));
	// API errors keep their English detail, with a translated headline.
	await expect(page.getByTestId('job-item-1').getByTestId('job-item-error')).toContainText(/图片损坏或不完整|格式/);
	await page.evaluate(() => localStorage.removeItem('darkroom.lang'));
});
