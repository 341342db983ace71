import type { Document, WithId } from 'mongodb';
import type { Doc } from '../port';

/* Stored values: the document type, path lookups, the storability check and copies. */

/** A stored document: free-form fields and a string `_id`. */
export type Stored = Document & { _id: string };

/**
 * The value at a dotted path; an array met before the path's end is returned itself, since MongoDB reaches into
 * arrays there ("tags.1" is a position, "items.sku" every element's field): the fast paths leave an array to mingo.
 */
export function valueAt(doc: Document, dottedPath: string): unknown {
  if (!dottedPath.includes('.')) return doc[dottedPath];
  let value: unknown = doc;
  for (const part of dottedPath.split('.')) {
    if (Array.isArray(value)) return value;
    if (!isPlainObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

/**
 * nedb's file format reserves field names starting with `$` and containing `.`, and a datafile line is JSON:
 * refuse those names and values JSON cannot hold (bigint, functions, symbols) up front, so that a bad write
 * fails alone, before it reaches the datafile.
 */
export function assertStorable(value: unknown): void {
  const path = unstorablePath(value);
  if (path === null) return;
  const last = path.pop();
  const where = path.join('.');
  throw new Error(
    last === undefined
      ? `The embedded store cannot store a ${typeof value} value${where ? ` (at "${where}")` : ''}.`
      : `The embedded store cannot store the field name "${last}" (at "${where}").`,
  );
}

/** A copy of a value to store, checked (the copy: a caller's class instance becomes a plain object). */
export function storableCopy(value: unknown): unknown {
  const stored = copy(value);
  assertStorable(stored);
  return stored;
}

/**
 * The path to the first field name that nedb cannot store, or null (allocates nothing when there is none). A
 * value JSON cannot hold ends the path with undefined in place of a field name.
 */
function unstorablePath(value: unknown): (string | undefined)[] | null {
  const kind = typeof value;
  if (kind === 'bigint' || kind === 'function' || kind === 'symbol') return [undefined];
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    for (let i = 0; i < items.length; i++) {
      const inner = unstorablePath(items[i]);
      if (inner) return [String(i), ...inner];
    }
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) {
      if (key.startsWith('$') || key.includes('.')) return [key];
      const inner = unstorablePath(value[key]);
      if (inner) return [key, ...inner];
    }
  }
  return null;
}

/** An object literal's kind: its prototype is Object.prototype, of this realm or another (structuredClone), or null. */
export function isPlainObject(value: unknown): value is Document {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** A deep copy of stored data: plain objects, arrays and Dates (anything else through structuredClone). */
export function copy<V>(value: V): V;
export function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Plain objects first, the commonest; `for…in` is the fastest walk, and a plain object inherits no
  // enumerable field.
  if (isPlainObject(value)) {
    const out: Document = {};
    for (const key in value) {
      const item: unknown = value[key];
      out[key] = copy(item);
    }
    return out;
  }
  if (Array.isArray(value)) {
    const items: unknown[] = value;
    const out: unknown[] = [];
    for (const item of items) out.push(copy(item));
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  return structuredClone(value);
}

/** The store holds untyped documents; each collection's T is the app's statement of their shape. */
export function typed<T extends Doc>(doc: Stored): WithId<T> {
  return doc as WithId<T>;
}
