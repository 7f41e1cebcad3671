import { BadRequestException } from '@nestjs/common';
import { decodeSearchCursor, encodeSearchCursor } from './search.cursor';

describe('search cursor', () => {
  it('round-trips the last seq of a page', () => {
    for (const seq of [0, 1, 450, 2_147_483_647]) expect(decodeSearchCursor(encodeSearchCursor(seq))).toBe(seq);
  });
  it('is opaque text safe in a URL', () => {
    expect(encodeSearchCursor(12345)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
  it('refuses anything it did not write: a 400, never a 500', () => {
    const made = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const text of ['', 'not-a-cursor', made({ after_seq: -1 }), made({ after_seq: 1.5 }), made({ after_seq: '7' }), made({ after_seq: 2_147_483_648 }), made([1]), made(null)]) {
      expect(() => decodeSearchCursor(text)).toThrow(BadRequestException);
    }
  });
});
