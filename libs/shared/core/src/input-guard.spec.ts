import { inspectValue, scanJsonText } from './input-guard';

describe('scanJsonText', () => {
  it('refuses nesting past the limit without parsing, in linear time', () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const started = Date.now();
    expect(scanJsonText(deep)).toMatch(/nested deeper than 32 levels/);
    expect(Date.now() - started).toBeLessThan(200);
    expect(scanJsonText('['.repeat(33) + ']'.repeat(33))).toMatch(/nested/);
    expect(scanJsonText('['.repeat(32) + ']'.repeat(32))).toBeNull();
  });

  it('counts keys, and ignores brackets, colons and escaped quotes inside strings', () => {
    const many = JSON.stringify(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])));
    expect(scanJsonText(many)).toMatch(/more than 1000 keys/);
    expect(scanJsonText(JSON.stringify({ a: '{{{{:::[[[\\"', b: ':'.repeat(5000) }))).toBeNull();
  });
});

describe('inspectValue', () => {
  it('names the field holding a NUL or a lone surrogate', () => {
    expect(inspectValue({ name: 'a\u0000b' })).toEqual(['name must not contain NUL characters']);
    expect(inspectValue({ steps: [{ team: 'x' }, { team: '\ud800' }] })).toEqual([
      'steps[1].team must be valid Unicode (it holds a lone surrogate)',
    ]);
    expect(inspectValue({ a: 'x\udc00' })).toHaveLength(1);
    expect(inspectValue({ ok: 'emoji 😀 pairs are fine' })).toEqual([]);
    expect(inspectValue('a\u0000')).toEqual(['body must not contain NUL characters']);
  });

  it('refuses prototype keys wherever they are', () => {
    expect(inspectValue(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toEqual([
      'a.__proto__: the key __proto__ is not allowed',
    ]);
    expect(inspectValue({ constructor: 1 })).toEqual(['constructor: the key constructor is not allowed']);
    expect(inspectValue([{ prototype: 1 }], 'payload')).toEqual([
      'payload[0].prototype: the key prototype is not allowed',
    ]);
  });

  it('walks deep values without recursion', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = { a: v };
    expect(inspectValue(v)[0]).toMatch(/nested deeper than 32 levels/);
  });
});
