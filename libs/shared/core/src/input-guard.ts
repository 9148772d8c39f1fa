/**
 * Checks on untrusted input made before anything expensive sees it (class-transformer recurses, and
 * class-validator's unknown-field check is quadratic in the number of keys): a linear scan of JSON
 * text for depth and key count, and a walk of a parsed value for keys that would reach an object's
 * prototype and for strings PostgreSQL or the validators cannot take (NUL, lone UTF-16 surrogates).
 * Pure functions; the HTTP edge, the socket gateway and the inventory import share them.
 */
export interface InputLimits {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Object members counted over the whole value. */
  maxKeys: number;
}

export const INPUT_LIMITS: InputLimits = { maxDepth: 32, maxKeys: 1000 };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * One linear pass over JSON text, before `JSON.parse`: returns the first problem with its depth or
 * key count, or null. Text that is not valid JSON is left to the parser.
 */
export function scanJsonText(text: string, limits: InputLimits = INPUT_LIMITS): string | null {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limits.maxDepth) return `body is nested deeper than ${limits.maxDepth} levels`;
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x3a && ++keys > limits.maxKeys) return `body has more than ${limits.maxKeys} keys`;
  }
  return null;
}

/** `true` when the string holds a NUL or a UTF-16 surrogate without its other half. */
function badCharacter(s: string): 'NUL' | 'surrogate' | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return 'NUL';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return 'surrogate';
    } else if (c >= 0xdc00 && c <= 0xdfff) return 'surrogate';
  }
  return null;
}

function stringProblem(s: string, path: string): string | null {
  const bad = badCharacter(s);
  if (bad === 'NUL') return `${path} must not contain NUL characters`;
  if (bad === 'surrogate') return `${path} must be valid Unicode (it holds a lone surrogate)`;
  return null;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${safe}` : safe;
}

/**
 * Walks a parsed value without recursion and lists its problems (at most `max`), each naming the field
 * (`steps[0].team must not contain NUL characters`). `root` names the value itself ('' for a body, whose
 * fields are named bare).
 */
export function inspectValue(value: unknown, root = '', limits: InputLimits = INPUT_LIMITS, max = 10): string[] {
  const problems: string[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  let keys = 0;
  while (stack.length && problems.length < max) {
    const item = stack.pop()!;
    const v = item.value;
    const label = item.path || 'body';
    if (typeof v === 'string') {
      const p = stringProblem(v, label);
      if (p) problems.push(p);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (item.depth >= limits.maxDepth) {
      problems.push(`${label} is nested deeper than ${limits.maxDepth} levels`);
      break;
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: join(item.path, i), depth: item.depth + 1 });
      continue;
    }
    const own = Object.keys(v);
    keys += own.length;
    if (keys > limits.maxKeys) {
      problems.push(`${root || 'body'} has more than ${limits.maxKeys} keys`);
      break;
    }
    for (let i = own.length - 1; i >= 0; i--) {
      const key = own[i];
      const path = join(item.path, key);
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push(`${path}: the key ${key} is not allowed`);
        continue;
      }
      const kp = stringProblem(key, `the key ${JSON.stringify(key.slice(0, 40))} in ${label}`);
      if (kp) {
        problems.push(kp);
        continue;
      }
      stack.push({ value: (v as Record<string, unknown>)[key], path, depth: item.depth + 1 });
    }
  }
  return problems;
}
