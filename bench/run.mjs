#!/usr/bin/env node
/**
 * npm run bench — builds the app if needed, serves it with `vite preview` (cross-origin
 * isolated), opens the hidden /bench page in Chromium, hands it the sample photo and
 * waits for window.__benchResult. Writes bench/results/bench-<date>.json and latest.json.
 *
 * Options: --reps N (timed runs per measurement, default 5), --budget MS (per measurement),
 * --avif12-max MS, --build (force a rebuild), --no-build, --port N, --headed,
 * --skip-models (no face detection / matting / ID photo, AI enlarge, AI calls or inpaint sections),
 * --only core,models,superres,ai,inpaint,library (run only these sections; core = decode, resize, zone plate, encode;
 *   inpaint = repair.image_repair per hole MP and image.ocr per image, through window.darkroom),
 * --summary FILE (print the summary of a saved result and exit).
 * Env: CHROMIUM_PATH (default /usr/bin/chromium); DARKROOM_KIT_DIR / DARKROOM_BUILD_DIR (the build
 * to use or make, as in svelte.config.js; default .svelte-kit / build); DARKROOM_PORT (first port tried).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PHOTO = join(ROOT, 'node_modules/@vladmandic/face-api/demo/sample1.jpg');
// The models section: face detection on all six, matting and the ID photo on a crop of sample6.
const MODEL_PHOTOS = [1, 2, 3, 4, 5, 6].map((i) => join(ROOT, `node_modules/@vladmandic/face-api/demo/sample${i}.jpg`));
const RESULTS = join(ROOT, 'bench/results');
// svelte.config.js reads DARKROOM_KIT_DIR too, so the build and `vite preview` (our children) use the same folder.
const KIT_DIR = process.env.DARKROOM_KIT_DIR ?? '.svelte-kit';
const CLIENT = join(ROOT, KIT_DIR, 'output/client');
const BENCH_PAGE = join(ROOT, KIT_DIR, 'output/prerendered/pages/bench.html');
const SECTIONS = ['core', 'models', 'superres', 'ai', 'inpaint', 'library'];
const MODEL_SECTIONS = ['models', 'superres', 'ai', 'inpaint', 'library'];
const TIMEOUT_MS = 15 * 60_000;
// Ports fetch refuses to talk to (a few near ours); 4190 is one of them.
const BLOCKED_PORTS = new Set([4190, 6000, 6665, 6666, 6667, 6668, 6669, 6697]);

function parseArgs(argv) {
	const o = { reps: undefined, budget: undefined, avif12Max: undefined, build: 'auto', port: Number(process.env.DARKROOM_PORT) || 4180, headed: false, skipModels: false, only: undefined };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const num = () => {
			const v = Number(argv[++i]);
			if (!Number.isFinite(v) || v <= 0) throw new Error(`Expected positive number for ${a} but received ${argv[i]}`);
			return v;
		};
		if (a === '--reps') o.reps = Math.round(num());
		else if (a === '--budget') o.budget = num();
		else if (a === '--avif12-max') o.avif12Max = num();
		else if (a === '--build') o.build = 'always';
		else if (a === '--no-build') o.build = 'never';
		else if (a === '--port') o.port = Math.round(num());
		else if (a === '--headed') o.headed = true;
		else if (a === '--skip-models') o.skipModels = true;
		else if (a === '--only') {
			o.only = String(argv[++i] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
			const bad = o.only.filter((x) => !SECTIONS.includes(x));
			if (!o.only.length || bad.length) throw new Error(`--only takes a comma-separated list of ${SECTIONS.join(', ')} (got ${argv[i]})`);
		}
		else if (a === '--summary') o.summary = argv[++i];
		else throw new Error(`Unknown option ${a} (see the header of bench/run.mjs)`);
	}
	return o;
}

function newestMtime(dir) {
	let newest = 0;
	for (const name of readdirSync(dir)) {
		const full = join(dir, name);
		const st = statSync(full);
		newest = Math.max(newest, st.isDirectory() ? newestMtime(full) : st.mtimeMs);
	}
	return newest;
}

/** True when the build is missing, lacks the bench page, or is older than the sources. */
function buildIsStale() {
	if (!existsSync(CLIENT) || !existsSync(BENCH_PAGE)) return 'no build with a /bench page';
	const built = statSync(BENCH_PAGE).mtimeMs;
	const src = newestMtime(join(ROOT, 'src'));
	if (src > built) return 'sources changed since the last build';
	return '';
}

function run(cmd, args, opts = {}) {
	return new Promise((resolve, reject) => {
		const p = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
		p.on('error', reject);
		p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
	});
}

function portIsFree(port) {
	return new Promise((resolve) => {
		const s = createServer();
		s.once('error', () => resolve(false));
		s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
	});
}

async function freePort(from) {
	for (let p = from; p < from + 100; p++) if (!BLOCKED_PORTS.has(p) && (await portIsFree(p))) return p;
	throw new Error(`no free port in ${from}..${from + 99}`);
}

async function startPreview(port) {
	const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
	// Own process group, so the server and anything it spawns are ended together by our pid.
	const child = spawn(process.execPath, [vite, 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	let output = '';
	child.stdout.on('data', (d) => (output += d));
	child.stderr.on('data', (d) => (output += d));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${output}`);
		try {
			const res = await fetch(`${url}/bench`);
			if (res.ok) {
				const coop = res.headers.get('cross-origin-opener-policy');
				const coep = res.headers.get('cross-origin-embedder-policy');
				return { child, url, headers: { coop, coep } };
			}
			if (res.status === 404) throw new Error('/bench is not in the build (rebuild with --build)');
		} catch (e) {
			if (e instanceof Error && e.message.includes('/bench')) {
				stopPreview(child);
				throw e;
			}
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	stopPreview(child);
	throw new Error(`vite preview did not answer on ${url} within 30 s:\n${output}`);
}

function stopPreview(child) {
	if (!child || child.exitCode !== null) return;
	try {
		process.kill(-child.pid, 'SIGTERM');
	} catch {
		try {
			child.kill('SIGTERM');
		} catch {
			/* already gone */
		}
	}
}

const f = (x, d = 1) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');
const pad = (s, n) => String(s).padStart(n);

function summary(r) {
	const out = [];
	const m = r.machine;
	out.push(`Darkroom bench — ${m.hardwareConcurrency} threads, crossOriginIsolated=${m.crossOriginIsolated}, ${(r.total_ms / 1000).toFixed(0)} s`);
	if (r.runner) out.push(`load average before/after: ${r.runner.loadavg_before?.[0]} / ${r.runner.loadavg_after?.[0]} on ${r.runner.cpus} CPUs`);
	const core = !r.config?.sections || r.config.sections.includes('core');
	if (core) out.push(`source: ${r.source.photo_width}×${r.source.photo_height} photo → ${r.source.width}×${r.source.height}, JPEG q90 ${(r.source.jpeg_bytes / 1e6).toFixed(2)} MB`);
	if (!core) out.push('', `core sections (decode, resize, zone plate, encode): not run (sections ${r.config.sections.join(', ')})`);
	else {
		out.push('');
		out.push('decode 12 MP JPEG        median    min');
		for (const k of ['darkroom', 'native', 'jsquash_codec_only']) {
			const s = r.decode[k];
			if (s) out.push(`  ${k.padEnd(22)}${pad(f(s.median_ms), 7)}${pad(f(s.min_ms), 7)} ms`);
		}
		out.push(`  darkroom/native ${f(r.ratios['decode.darkroom_vs_native'], 2)}× (min/min ${f(r.ratios_min?.['decode.darkroom_vs_native'], 2)}×), agreement ${f(r.decode.agreement_psnr_db)} dB${r.decode.error ? `  ERROR ${r.decode.error}` : ''}`);
		for (const [size, methods] of Object.entries(r.resize)) {
			out.push('');
			out.push(`resize 4000×3000 → ${size.padEnd(10)}median    min  sharp  PSNR/area  PSNR/dr  dr/x (median, min)`);
			for (const [name, e] of Object.entries(methods)) {
				if (e.error) {
					out.push(`  ${name.padEnd(22)}ERROR ${e.error}`);
					continue;
				}
				const k = `resize.${size}.darkroom_vs_${name}`;
				const ratio = name === 'darkroom' || name === 'area_reference' ? '' : `${f(r.ratios[k], 2)}, ${f(r.ratios_min?.[k], 2)}`;
				out.push(`  ${name.padEnd(22)}${pad(f(e.median_ms), 7)}${pad(f(e.min_ms), 7)}${pad(f(e.sharpness, 2), 7)}${pad(f(e.psnr_vs_area_db, 2), 11)}${pad(f(e.psnr_vs_darkroom_db, 2), 9)}${pad(ratio, 14)}`);
			}
		}
		out.push('');
		out.push(`zone plate ${r.zone_plate.size}   alias  far-alias  passband-gain  mean-offset`);
		for (const [name, z] of Object.entries(r.zone_plate.methods)) {
			out.push(
				z.error
					? `  ${name.padEnd(22)}ERROR ${z.error}`
					: `  ${name.padEnd(22)}${pad(f(z.alias_rms, 2), 6)}${pad(f(z.alias_far_rms, 2), 11)}${pad(f(z.passband_gain, 3), 15)}${pad(f(z.alias_band_mean_offset, 2), 13)}`
			);
		}
		for (const [size, codecs] of Object.entries(r.encode)) {
			out.push('');
			out.push(`encode ${size.padEnd(18)}median      bytes    bpp   PSNR  same-bytes`);
			for (const [name, c] of Object.entries(codecs)) {
				if (c.skipped) out.push(`  ${name.padEnd(22)}skipped: ${c.skipped}`);
				else if (c.error) out.push(`  ${name.padEnd(22)}ERROR ${c.error}`);
				else out.push(`  ${name.padEnd(22)}${pad(f(c.median_ms, 0), 7)}${pad(c.bytes, 11)}${pad(f(c.bits_per_pixel, 2), 7)}${pad(f(c.psnr_db, 2), 7)}${pad(c.deterministic === undefined ? '' : c.deterministic ? 'yes' : 'NO', 12)}`);
			}
		}
	}
	const md = r.models;
	if (md && md.skipped) out.push('', `models: skipped (${md.skipped})`);
	else if (md) {
		const cold = (c) => (c ? `${f(c.total_ms, 0)} ms (runtime ${f(c.runtime_ms, 0)}, sessions ${Object.entries(c.sessions_ms).map(([k, v]) => `${k} ${f(v, 0)}`).join(', ')}, first call ${f(c.first_call_ms, 0)})` : '—');
		out.push('');
		out.push(`models (${md.backend ?? '?'}, ${md.wasm_threads ?? '?'} threads)${md.error ? `  ERROR ${md.error}` : ''}`);
		if (md.faces) {
			out.push(`  face detection cold: ${cold(md.faces.cold)}${md.faces.error ? `  ERROR ${md.faces.error}` : ''}`);
			out.push('  detectFaces (warm)            size   median    min  faces');
			for (const p of md.faces.photos) {
				const name = p.photo.split('/').pop();
				out.push(p.error ? `    ${name.padEnd(22)}ERROR ${p.error}` : `    ${name.padEnd(22)}${pad(`${p.width}×${p.height}`, 10)}${pad(f(p.median_ms), 9)}${pad(f(p.min_ms), 7)}${pad(p.faces, 7)}`);
			}
		}
		if (md.matting) {
			const mt = md.matting;
			out.push(`  matting on ${mt.input.photo.split('/').pop()} crop ${mt.input.crop.width}×${mt.input.crop.height}+${mt.input.crop.x}+${mt.input.crop.y}${mt.error ? `  ERROR ${mt.error}` : ''}`);
			out.push(`    cold (quality): ${cold(mt.cold)}`);
			out.push('    warm                  median    min   network (med/min)   refine (med/min)');
			for (const mode of ['quality', 'fast']) {
				const e = mt[mode];
				if (e) out.push(`    ${mode.padEnd(20)}${pad(f(e.median_ms, 0), 8)}${pad(f(e.min_ms, 0), 7)}${pad(`${f(e.network?.median_ms, 0)} / ${f(e.network?.min_ms, 0)}`, 20)}${pad(`${f(e.refine?.median_ms, 0)} / ${f(e.refine?.min_ms, 0)}`, 19)}`);
			}
			out.push(`    fast/quality ${f(r.ratios['models.matting_fast_vs_quality'], 2)}× (min/min ${f(r.ratios_min?.['models.matting_fast_vs_quality'], 2)}×)`);
		}
		if (md.idphoto) {
			const id = md.idphoto;
			out.push(id.error ? `  makeIdPhoto 1-inch: ERROR ${id.error}` : `  makeIdPhoto 1-inch (warm): median ${f(id.median_ms, 0)} ms, min ${f(id.min_ms, 0)} ms, ${id.runs} runs; standard ${id.standard}, hd ${id.hd ?? '—'}, roll ${f(id.roll_degrees, 2)}°`);
		}
	}
	const sr = r.superres;
	if (sr) {
		out.push('');
		out.push(`superres: restore a downscaled photo (PSNR dB / SSIM vs the original; ms per output MP)${sr.error ? `  ERROR ${sr.error}` : ''}`);
		for (const e of sr.entries ?? []) {
			const name = e.photo.split('/').pop();
			if (e.error) {
				out.push(`  ${name} ÷${e.factor}: ERROR ${e.error}`);
				continue;
			}
			const cols = Object.entries(e.methods).map(([k, m]) => `${m.model && k === 'ai' ? `ai(${m.model})` : k} ${f(m.psnr_db, 2)}/${f(m.ssim, 4)}${m.ms_per_output_mp !== undefined && k !== 'lanczos3' ? ` ${f(m.ms_per_output_mp, 0)} ms/MP` : ''}`);
			out.push(`  ${name} ${e.input}→${e.original} ×${e.factor}: ${cols.join('   ')}`);
		}
	}
	const ai = r.ai;
	if (ai) {
		const coldOf = (c) => (c ? `cold ${f(c.total_ms, 0)} ms (${[c.runtime_ms !== undefined ? `runtime ${f(c.runtime_ms, 0)}` : '', ...Object.entries(c.sessions_ms).map(([k, v]) => `${k} ${f(v, 0)}`), `first call ${f(c.first_call_ms, 0)}`].filter(Boolean).join(', ')})` : '');
		out.push('');
		out.push(`AI calls, time per image (${ai.backend ?? '?'}, ${ai.wasm_threads ?? '?'} threads)${ai.error ? `  ERROR ${ai.error}` : ''}`);
		for (const [key, call] of Object.entries(ai.calls ?? {})) {
			out.push(`  ${key}${call.cold ? `  ${coldOf(call.cold)}` : ''}${call.error ? `  ERROR ${call.error}` : ''}`);
			for (const p of call.photos) {
				const name = p.photo.split('/').pop();
				const extra = p.faces !== undefined ? `  faces ${p.faces}` : '';
				out.push(p.error ? `    ${name.padEnd(14)}ERROR ${p.error}` : `    ${name.padEnd(14)}${pad(`${p.width}×${p.height}`, 10)}  median ${pad(f(p.median_ms, 0), 6)}  min ${pad(f(p.min_ms, 0), 6)} ms  (${p.runs} runs)${extra}`);
			}
		}
		const sc = ai.smartcrop_compare;
		if (sc) {
			out.push('');
			out.push(`smart crop vs smartcrop.js (windows x,y w×h; IoU; ✓ = every face inside; * = the faces cannot all fit; ms)${sc.error ? `  ERROR ${sc.error}` : ''}`);
			const w = (x) => (x ? `${x.x},${x.y} ${x.width}×${x.height}` : '—');
			for (const e of sc.entries ?? []) {
				const name = e.photo.split('/').pop();
				if (e.error) {
					out.push(`  ${name}: ERROR ${e.error}`);
					continue;
				}
				out.push(`  ${name} ${e.width}×${e.height}, ${e.faces} faces; face detect+crop ${f(e.shared_ms.face_detect_and_crop, 0)} ms, ISNet ${f(e.shared_ms.isnet_network, 0)} ms`);
				for (const [label, a] of Object.entries(e.aspects)) {
					const meths = Object.keys(a.windows);
					out.push(`    ${label.padEnd(5)}${a.faces_fit === false ? '*' : ' '}${meths.map((k) => `${k} ${w(a.windows[k])}${a.faces_kept ? (a.faces_kept[k] ? ' ✓' : ' ✗') : ''}`).join(' | ')}`);
					out.push(`          IoU ${Object.entries(a.iou).map(([k, v]) => `${k} ${f(v, 2)}`).join(', ')}; ms saliency ${f(a.ms.saliency, 1)}, smartcrop.js ${f(a.ms.smartcrop_js, 1)}`);
				}
			}
			const s = sc.summary;
			if (s) {
				out.push(`  mean IoU: ${Object.entries(s.mean_iou).map(([k, v]) => `${k} ${f(v, 2)}`).join(', ')}`);
				out.push(`  all faces kept (${s.cases_with_faces} cases): ${Object.entries(s.faces_kept_rate).map(([k, v]) => `${k} ${f(v * 100, 0)} %`).join(', ')}`);
				if (s.faces_kept_rate_where_fit) out.push(`  … where all faces fit in the window (${s.cases_faces_fit} cases): ${Object.entries(s.faces_kept_rate_where_fit).map(([k, v]) => `${k} ${f(v * 100, 0)} %`).join(', ')}`);
				out.push(`  time ours-saliency/smartcrop.js ${f(s.time_ratio_saliency_vs_smartcropjs, 2)}× (min/min ${f(s.time_ratio_saliency_vs_smartcropjs_min, 2)}×); mean ms per window (1:1): ${Object.entries(s.mean_ms).map(([k, v]) => `${k} ${f(v, 0)}`).join(', ')}`);
			}
		}
	}
	const ip = r.inpaint;
	if (ip) {
		out.push('');
		out.push(`inpainting: repair.image_repair (PatchMatch) per hole megapixel; cold first call ${f(ip.repair.cold_first_call_ms, 0)} ms${ip.repair.error ? `  ERROR ${ip.repair.error}` : ''}`);
		out.push('  photo          hole                     fill med   ms/MP    API med   ms/MP  diffusion  fill/diff');
		for (const e of ip.repair.entries) {
			const name = e.photo.split('/').pop();
			const hole = `${e.hole.w}×${e.hole.h} (${e.hole.mp} MP)`;
			out.push(e.error ? `  ${name.padEnd(15)}${hole.padEnd(25)}ERROR ${e.error}` : `  ${name.padEnd(15)}${hole.padEnd(25)}${pad(f(e.fill?.median_ms, 0), 8)}${pad(f(e.fill_ms_per_hole_mp, 0), 8)}${pad(f(e.api?.median_ms, 0), 11)}${pad(f(e.api_ms_per_hole_mp, 0), 8)}${pad(f(e.diffusion?.median_ms, 0), 11)}${pad(f(e.fill_vs_diffusion, 1), 11)}`);
		}
		const oc = ip.ocr;
		out.push('');
		out.push(`OCR: image.ocr per image (${oc.backend ?? '?'}); cold first call ${f(oc.cold?.ms, 0)} ms (worker ${f(oc.cold?.worker_ms, 0)} ms) on ${oc.cold?.image ?? '—'}${oc.error ? `  ERROR ${oc.error}` : ''}`);
		for (const e of oc.entries) {
			const t = e.timings ? `det ${f(e.timings.det, 0)} cls ${f(e.timings.cls, 0)} rec ${f(e.timings.rec, 0)}` : '';
			out.push(e.error ? `  ${e.image}: ERROR ${e.error}` : `  ${e.image.padEnd(40)}${pad(`${e.width}×${e.height}`, 10)}  median ${pad(f(e.median_ms, 0), 6)}  min ${pad(f(e.min_ms, 0), 6)} ms  worker ${f(e.worker_ms, 0)} ms (${t})  ${e.lines} lines`);
		}
	}
	const lib = r.library;
	if (lib) {
		out.push('');
		out.push(`library: image.upload median ${f(lib.upload.per_photo.median_ms, 0)} ms per photo (${lib.upload.photos} photos, mean ${f(lib.upload.mean_bytes / 1024, 0)} KB)`);
		out.push(`  delivery ${lib.delivery.transform}: first render median ${f(lib.delivery.render.median_ms, 0)} ms, cache hit median ${f(lib.delivery.cache_hit.median_ms, 1)} ms → render/hit ${f(lib.delivery.render_vs_hit, 0)}×`);
		out.push(`  batch of ${lib.batch.items} (${lib.batch.lanes} at a time): ${lib.batch.batch_ms} ms vs ${lib.batch.sequential_ms} ms as sequential image.process calls → ${f(lib.batch.batch_vs_sequential, 2)}×`);
	}
	if (r.notes.length) out.push('', 'notes:', ...r.notes.map((n) => `  - ${n}`));
	if (r.errors.length) out.push('', 'ERRORS:', ...r.errors.map((n) => `  - ${n}`));
	return out.join('\n');
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.summary) {
		console.log(summary(JSON.parse(readFileSync(args.summary, 'utf8'))));
		return;
	}
	if (!existsSync(PHOTO)) throw new Error(`sample photo missing: ${PHOTO} (npm ci installs it with @vladmandic/face-api)`);
	const stale = args.build === 'always' ? 'forced' : args.build === 'never' ? '' : buildIsStale();
	if (stale) {
		console.log(`bench: building (${stale}) …`);
		await run('npm', ['run', 'build']);
	}
	if (!existsSync(BENCH_PAGE)) throw new Error('the build has no /bench page');

	const port = await freePort(args.port);
	const t0 = Date.now();
	const { child, url, headers } = await startPreview(port);
	let browser;
	try {
		console.log(`bench: serving ${url} (COOP ${headers.coop}, COEP ${headers.coep})`);
		browser = await chromium.launch({
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			headless: !args.headed,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
		});
		// No service worker: its precaching would compete with the measurements for the CPU.
		const context = await browser.newContext({ serviceWorkers: 'block' });
		const page = await context.newPage();
		page.on('console', (msg) => {
			const text = msg.text();
			if (text.startsWith('[bench]')) console.log(`  ${text.slice(8)}`);
			// onnxruntime's graph-optimisation warnings (unused initializers) arrive as console errors: noise.
			else if (msg.type() === 'error' && !text.includes('[W:onnxruntime:')) console.log(`  page error: ${text}`);
		});
		page.on('pageerror', (e) => console.log(`  page exception: ${e.message}`));
		await page.goto(`${url}/bench`, { waitUntil: 'load' });
		await page.waitForFunction(() => typeof window.__benchStart === 'function', null, { timeout: 30_000 });

		const b64 = readFileSync(PHOTO).toString('base64');
		const loadBefore = loadavg();
		if (loadBefore[0] > cpus().length * 0.5) {
			console.log(`bench: warning: load average ${loadBefore[0].toFixed(1)} on ${cpus().length} CPUs — other work will inflate the times (ratios are interleaved, so they suffer less)`);
		}
		const config = {};
		if (args.reps) config.reps = args.reps;
		if (args.budget) config.budgetMs = args.budget;
		if (args.avif12Max) config.avif12MaxMs = args.avif12Max;
		if (args.only) config.sections = args.only;
		const modelPhotos = [];
		const wantsModels = !args.skipModels && MODEL_SECTIONS.some((x) => !args.only || args.only.includes(x));
		if (args.skipModels && args.only) config.sections = args.only.filter((x) => !MODEL_SECTIONS.includes(x));
		if (wantsModels) {
			for (const p of MODEL_PHOTOS) {
				if (!existsSync(p)) throw new Error(`sample photo missing: ${p} (or run with --skip-models)`);
				modelPhotos.push({ name: relative(ROOT, p), b64: readFileSync(p).toString('base64') });
			}
			const models = await fetch(`${url}/models/manifest.json`).catch((e) => e);
			if (!(models instanceof Response) || !models.ok) {
				throw new Error(`the preview does not serve /models/manifest.json (${models instanceof Response ? `HTTP ${models.status}` : models}): build with the models (npm run build runs scripts/prepare-models.mjs) or use --skip-models`);
			}
		}
		await page.evaluate(
			([photo, cfg, name, mphotos]) => {
				void window.__benchStart(photo, cfg, name, mphotos).catch(() => {});
			},
			[b64, config, relative(ROOT, PHOTO), modelPhotos]
		);
		await page.waitForFunction(() => window.__benchResult || window.__benchError, null, { timeout: TIMEOUT_MS, polling: 1000 });
		const error = await page.evaluate(() => window.__benchError);
		if (error) throw new Error(`the benchmark failed in the page: ${error}`);
		const result = await page.evaluate(() => window.__benchResult);
		result.runner = {
			wall_ms: Date.now() - t0,
			node: process.version,
			platform: `${process.platform} ${process.arch}`,
			browser: browser.version(),
			url,
			server_headers: headers,
			cpus: cpus().length,
			cpu_model: cpus()[0]?.model,
			total_mem_gb: Math.round(totalmem() / 2 ** 30),
			loadavg_before: loadBefore.map((x) => Math.round(x * 100) / 100),
			loadavg_after: loadavg().map((x) => Math.round(x * 100) / 100)
		};

		mkdirSync(RESULTS, { recursive: true });
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		const json = JSON.stringify(result, null, 2);
		writeFileSync(join(RESULTS, `bench-${stamp}.json`), json);
		writeFileSync(join(RESULTS, 'latest.json'), json);
		console.log('');
		console.log(summary(result));
		console.log('');
		console.log(`bench: wrote bench/results/bench-${stamp}.json and latest.json`);
		if (result.errors.length) {
			process.exitCode = 1;
			console.error(`bench: ${result.errors.length} measurement(s) failed`);
		}
	} finally {
		await browser?.close().catch(() => {});
		stopPreview(child);
	}
}

main().catch((e) => {
	console.error(`bench: ${e instanceof Error ? e.stack || e.message : e}`);
	process.exitCode = 1;
});
