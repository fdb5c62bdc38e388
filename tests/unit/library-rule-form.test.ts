import { describe, expect, it } from 'vitest';
import { cleanFolder, fieldOfError, folderTreeWith, rulesRequest } from '../../src/lib/ui/library/rule-form';

const asset = (key: string) => {
	const i = key.lastIndexOf('/');
	return { id: key, key, name: key.slice(i + 1), folder: i < 0 ? '' : key.slice(0, i), tags: [] };
};

describe('library folder-rules form', () => {
	it('sends non-blank rows trimmed and remembers which row each rule came from', () => {
		const r = rulesRequest([
			{ fileid: ' ${InputName}-400.webp ', rule: 'imageMogr2/thumbnail/400x/format/webp ' },
			{ fileid: '', rule: '  ' },
			{ fileid: 'sq.jpg', rule: '' }
		]);
		expect(r.pic_operations.rules).toEqual([
			{ fileid: '${InputName}-400.webp', rule: 'imageMogr2/thumbnail/400x/format/webp' },
			{ fileid: 'sq.jpg', rule: '' }
		]);
		expect(r.sent).toEqual([0, 2]);
	});
	it('places an API error at the row and field it names', () => {
		expect(fieldOfError('pic_operations.rules[1].rule', [0, 2])).toEqual({ row: 2, field: 'rule' });
		expect(fieldOfError('pic_operations.rules[0].fileid', [3])).toEqual({ row: 3, field: 'fileid' });
		expect(fieldOfError('pic_operations.rules', [0])).toBeNull();
		expect(fieldOfError('pic_operations.rules[4].rule', [0])).toBeNull();
		expect(fieldOfError(undefined, [0])).toBeNull();
	});
	it('adds folders without assets (and their parents) to the tree', () => {
		const tree = folderTreeWith([asset('people/cat.jpg'), asset('top.jpg')], ['inbox/new', 'people', '']);
		expect(tree).toEqual([
			{ path: 'inbox', name: 'inbox', depth: 0, count: 0 },
			{ path: 'inbox/new', name: 'new', depth: 1, count: 0 },
			{ path: 'people', name: 'people', depth: 0, count: 1 }
		]);
	});
	it('cleans a typed folder path', () => {
		expect(cleanFolder(' /inbox/2026/ ')).toBe('inbox/2026');
		expect(cleanFolder('a/../b')).toBe('');
		expect(cleanFolder('a//b')).toBe('');
		expect(cleanFolder('   ')).toBe('');
	});
});
