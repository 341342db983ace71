import { BoundedMap } from '../../core/boundedMap';

describe('a bounded map', () => {
  it('when it is full, then a new key makes it forget the oldest one, and a known key is only updated', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.set('a', 10);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(10);
    map.set('c', 3);
    expect(map.size).toBe(2);
    expect(map.has('a')).toBe(false);
    expect([map.get('b'), map.get('c')]).toEqual([2, 3]);
    expect(map.delete('b')).toBe(true);
    map.set('d', 4);
    expect([map.get('c'), map.get('d')]).toEqual([3, 4]);
  });
});
