import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, unzip, zipBlob, zipParts, ZipError } from '../../src/lib/library/zip';

const enc = new TextEncoder();
const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer());
const photo = readFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg');

function hasPython(): boolean {
	try {
		execFileSync('python3', ['-c', 'import zipfile'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

describe('crc32', () => {
	it('matches the standard check value', () => {
		expect(crc32(enc.encode('123456789'))).toBe(0xcbf43926);
		expect(crc32(new Uint8Array())).toBe(0);
	});
	it('can be computed in pieces', () => {
		const a = enc.encode('hello, ');
		const b = enc.encode('world');
		expect(crc32(b, crc32(a))).toBe(crc32(enc.encode('hello, world')));
	});
});

describe('zip (stored entries)', () => {
	const entries = [
		{ name: 'manifest.json', data: enc.encode('{"a":1}') },
		{ name: 'originals/photos/2024/猫.jpg', data: new Uint8Array(photo), modified: new Date('2024-05-06T07:08:10Z') },
		{ name: 'empty.bin', data: new Uint8Array() }
	];

	it('round-trips names (UTF-8) and bytes exactly', async () => {
		const out = unzip(await bytesOf(zipBlob(entries)));
		expect(out.map((e) => e.name)).toEqual(entries.map((e) => e.name));
		out.forEach((e, i) => expect(Buffer.from(e.data).equals(Buffer.from(entries[i].data))).toBe(true));
	});

	it('is deterministic: the same entries give the same bytes', async () => {
		expect(Buffer.from(await bytesOf(zipBlob(entries))).equals(Buffer.from(await bytesOf(zipBlob(entries))))).toBe(true);
	});

	it.skipIf(!hasPython())('is read by another implementation (Python zipfile) with the same content and dates', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'dr-zip-'));
		const file = join(dir, 'x.zip');
		writeFileSync(file, await bytesOf(zipBlob(entries)));
		const py = `import zipfile,hashlib,json,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps([[i.filename,i.file_size,hashlib.sha256(z.read(i)).hexdigest(),list(i.date_time)] for i in z.infolist()]))`;
		const listed = JSON.parse(execFileSync('python3', ['-c', py, file]).toString());
		const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
		expect(listed.map((l: unknown[]) => l.slice(0, 3))).toEqual(entries.map((e) => [e.name, e.data.length, sha(e.data)]));
		expect(listed[1][3]).toEqual([2024, 5, 6, 7, 8, 10]);
	});

	it.skipIf(!hasPython())('reads a stored ZIP written by Python', () => {
		const dir = mkdtempSync(join(tmpdir(), 'dr-zip-'));
		const file = join(dir, 'y.zip');
		execFileSync('python3', ['-c', `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_STORED)\nz.writestr('a/b.txt','hello')\nz.writestr('dir/','')\nz.close()`, file]);
		const out = unzip(new Uint8Array(readFileSync(file)));
		expect(out.map((e) => [e.name, new TextDecoder().decode(e.data)])).toEqual([['a/b.txt', 'hello']]);
	});

	it('refuses a damaged entry by its CRC', async () => {
		const z = await bytesOf(zipBlob(entries));
		const at = 30 + 'manifest.json'.length + 40 + 30 + enc.encode(entries[1].name).length + 1000; // inside the photo's data
		z[at] ^= 0xff;
		expect(() => unzip(z)).toThrow(/originals\/photos\/2024\/猫\.jpg.*CRC-32/);
	});

	it('refuses a truncated file and a non-ZIP clearly', async () => {
		const z = await bytesOf(zipBlob(entries));
		expect(() => unzip(z.subarray(0, z.length - 30))).toThrow(ZipError);
		expect(() => unzip(enc.encode('not a zip at all, just some text'))).toThrow(/Not a ZIP file/);
	});

	it('refuses compressed entries by name instead of misreading them', async () => {
		const parts = zipParts([{ name: 'a.txt', data: enc.encode('hello') }]);
		const z = await bytesOf(new Blob(parts as Uint8Array<ArrayBuffer>[]));
		// method field: local header offset 8, central directory entry offset 10
		const cd = z.length - 22 - (46 + 5);
		z[8] = 8;
		z[cd + 10] = 8;
		expect(() => unzip(z)).toThrow(/"a\.txt" is compressed \(method 8\)/);
	});

	it('refuses duplicate names when writing', () => {
		expect(() => zipParts([{ name: 'a', data: new Uint8Array() }, { name: 'a', data: new Uint8Array() }])).toThrow(/Duplicate/);
	});
});
