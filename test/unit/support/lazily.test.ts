// lazily(): a property's factory runs at its first read, once; unread properties are never built.
import { describe, expect, it } from 'vitest';
import { lazily } from '../../../lib/support/lazily.ts';

describe('lazily', () => {
  it('builds each property at its first read, once, and never the ones not read', () => {
    const built: string[] = [];
    const object = lazily<{ a: { n: number }; b: number }>({
      a: () => {
        built.push('a');
        return { n: 1 };
      },
      b: () => {
        built.push('b');
        return 2;
      },
    });
    expect(built).toEqual([]);
    const first = object.a;
    expect(object.a).toBe(first);
    expect(built).toEqual(['a']);
  });

  it('tries again after a factory throws (nothing half-built is kept)', () => {
    let calls = 0;
    const object = lazily<{ value: number }>({
      value: () => {
        calls += 1;
        if (calls === 1) throw new Error('not yet');
        return 7;
      },
    });
    expect(() => object.value).toThrow('not yet');
    expect(object.value).toBe(7);
  });
});
