import { describe, expect, it, vi } from 'vitest';

// Count the real encoder calls the size searches make.
vi.mock('../../src/lib/codecs/encode', async (importOriginal) => {
	const m = await importOriginal<typeof import('../../src/lib/codecs/encode')>();
	return { ...m, encode: vi.fn(m.encode), encodeJpeg: vi.fn(m.encodeJpeg) };
});

import { encode, encodeJpeg } from '../../src/lib/codecs/encode';
import { encodeToTargetBytes } from '../../src/lib/codecs/target-size';
import { setKb } from '../../src/lib/codecs/set-kb';
import { gradient } from './codecs-fixtures';

describe('size searches stay cheap', () => {
	it('encodeToTargetBytes uses at most 8 encodes per size', async () => {
		const img = gradient(96, 64);
		for (const target of [700, 1500, 4000, 1_000_000]) {
			vi.mocked(encode).mockClear();
			const r = await encodeToTargetBytes(img, { format: 'jpeg', targetBytes: target });
			expect(r.bytes.length).toBeLessThanOrEqual(target);
			const calls = vi.mocked(encode).mock.calls.length;
			expect(calls, `target ${target}`).toBeGreaterThan(0);
			expect(calls, `target ${target}`).toBeLessThanOrEqual(8);
		}
	});

	it('setKb uses at most 10 encodes', async () => {
		const img = gradient(96, 64);
		for (const kb of [2, 5, 40]) {
			vi.mocked(encodeJpeg).mockClear();
			expect((await setKb(img, kb)).length).toBe(kb * 1024);
			const calls = vi.mocked(encodeJpeg).mock.calls.length;
			expect(calls, `kb ${kb}`).toBeGreaterThan(0);
			expect(calls, `kb ${kb}`).toBeLessThanOrEqual(10);
		}
	});
});
