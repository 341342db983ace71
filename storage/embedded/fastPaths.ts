import type { Document } from 'mongodb';
import { isPlainObject, storableCopy, valueAt, type Stored } from './values';

/*
 * Fast paths for the filters and updates of a customer's turn, decided without mingo; anything else falls back
 * to mingo (see store.ts and semantics.ts).
 */

const matchAll = (): boolean => true;

/**
 * A direct test for filters made only of equalities to strings, numbers, booleans or Dates, `$exists` and
 * `$in` over strings,
 * the shape of every query on a customer's turn. The test answers undefined where MongoDB's semantics need
 * mingo (an array at the path or on the way to it, where equality means "contains" and a number is a position); other filters get no direct test at all.
 * With `idMet`, the `_id` clause is known to hold.
 */
export function simpleFilter(
  filter: Document,
  idMet: boolean,
): ((doc: Document) => boolean | undefined) | null {
  const checks: Array<(doc: Document) => boolean | undefined> = [];
  for (const path of Object.keys(filter)) {
    if (path === '_id' && idMet) continue;
    const expected: unknown = filter[path];
    if (path.startsWith('$')) return null;
    if (isPlainObject(expected)) {
      const ops = Object.keys(expected);
      if (ops.length !== 1) return null;
      const inList: unknown = expected.$in;
      if (typeof expected.$exists === 'boolean') {
        const wanted = expected.$exists === true;
        checks.push((doc) => {
          const value = valueAt(doc, path);
          return Array.isArray(value) ? undefined : (value !== undefined) === wanted;
        });
      } else if (Array.isArray(inList) && inList.every((v) => typeof v === 'string')) {
        const wanted = new Set<unknown>(inList);
        checks.push((doc) => {
          const value = valueAt(doc, path);
          return Array.isArray(value) ? undefined : typeof value === 'string' && wanted.has(value);
        });
      } else {
        return null;
      }
    } else if (
      typeof expected === 'string' ||
      typeof expected === 'number' ||
      typeof expected === 'boolean' ||
      expected instanceof Date
    ) {
      const key = expected instanceof Date ? expected.getTime() : expected;
      checks.push((doc) => {
        const value = valueAt(doc, path);
        if (Array.isArray(value)) return undefined;
        return (value instanceof Date ? value.getTime() : value) === key && typeof value === typeof expected;
      });
    } else {
      return null;
    }
  }
  if (checks.length === 0) return matchAll;
  return (doc) => {
    let verdict: boolean | undefined = true;
    for (const check of checks) {
      const result = check(doc);
      if (result === false) return false;
      if (result === undefined) verdict = undefined;
    }
    return verdict;
  };
}

const SIMPLE_UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$max', '$min', '$push']);

/** A simple update step's value that removes the field. */
const UNSET = Symbol('unset');
/** A simple update step's answer where mingo must decide. */
const MINGO = Symbol('mingo');

/** One field written by a simple update: its path and its new value (or UNSET). */
interface SimpleStep {
  readonly parts: string[];
  readonly value: unknown;
}

/**
 * Applies the update operators of a customer's turn ($set, $unset, $inc, $max, $min, $push with $each/$slice)
 * on top-level or dotted object paths, without mingo (whose updater rebuilds its operator tables on every
 * call). Returns the new version of the stored document, copied on write (it shares every object the update
 * does not write with `doc`), or null when nothing changed; undefined for anything else (arrays on the path,
 * positional or numeric paths, `_id`, mixed types, overlapping paths), which mingo then applies with MongoDB's
 * semantics.
 */
export function applySimpleUpdate(doc: Stored, modifier: Document): Stored | null | undefined {
  // Every step is planned against `doc` before any is applied, so that anything for mingo leaves no trace.
  const steps: SimpleStep[] = [];
  for (const op of Object.keys(modifier)) {
    const fields: unknown = modifier[op];
    if (!SIMPLE_UPDATE_OPERATORS.has(op) || !isPlainObject(fields)) return undefined;
    for (const path of Object.keys(fields)) {
      const parts = path.split('.');
      if (!isSimplePath(parts)) return undefined;
      for (const step of steps) if (overlaps(step.parts, parts)) return undefined;
      const current = valueOnObjectPath(doc, parts);
      if (current === MINGO) return undefined;
      const value = simpleStep(op, current, fields[path]);
      if (value === MINGO) return undefined;
      steps.push({ parts, value });
    }
  }
  const next: Stored = { ...doc };
  let changed = false;
  for (const step of steps) changed = applyStep(next, doc, step) || changed;
  return changed ? next : null;
}

/** A path of object fields: not `_id`, no positional `$`, no array index, no empty part. */
function isSimplePath(parts: string[]): boolean {
  if (parts[0] === '_id') return false;
  for (const part of parts) if (part === '' || part.startsWith('$') || /^\d+$/.test(part)) return false;
  return true;
}

/** Whether two paths are the same or one leads into the other (MongoDB refuses such an update). */
function overlaps(a: string[], b: string[]): boolean {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The value at a path whose intermediate fields are objects or missing; MINGO when one is something else. */
function valueOnObjectPath(doc: Document, parts: string[]): unknown {
  let node: Document | undefined = doc;
  const last = parts.length - 1;
  for (let i = 0; i < last && node !== undefined; i++) {
    const child: unknown = node[parts[i] ?? ''];
    if (child !== undefined && !isPlainObject(child)) return MINGO;
    node = child;
  }
  return node?.[parts[last] ?? ''];
}

/**
 * Writes one planned step into `next`, the new version of the stored `doc`: each object on the path that is
 * still `doc`'s own is copied first, and missing ones are created (except to unset). Returns whether it
 * changed anything.
 */
function applyStep(next: Document, doc: Document, { parts, value }: SimpleStep): boolean {
  let node = next;
  let stored: Document | undefined = doc;
  const last = parts.length - 1;
  for (let i = 0; i < last; i++) {
    const part = parts[i] ?? '';
    const original: unknown = stored?.[part];
    stored = isPlainObject(original) ? original : undefined;
    const child: unknown = node[part];
    if (isPlainObject(child)) node = child === original ? (node[part] = { ...child }) : child;
    else if (value === UNSET) return false;
    else node = node[part] = {};
  }
  const key = parts[last] ?? '';
  if (value === UNSET) {
    if (!(key in node)) return false;
    delete node[key];
    return true;
  }
  if (key in node && sameValue(node[key], value)) return false;
  node[key] = value;
  return true;
}

/** The new value of one field under one operator (UNSET removes it), or MINGO where mingo must decide. */
function simpleStep(op: string, current: unknown, value: unknown): unknown {
  switch (op) {
    case '$set':
      return storableCopy(value);
    case '$unset':
      return UNSET;
    case '$inc':
      if (typeof value !== 'number' || (current !== undefined && typeof current !== 'number')) return MINGO;
      return (current ?? 0) + value;
    case '$max':
    case '$min': {
      const stored = storableCopy(value);
      if (current === undefined) return stored;
      const [a, b] = [comparable(current), comparable(value)];
      if (a === undefined || b === undefined || typeof a !== typeof b) return MINGO;
      if (current instanceof Date !== value instanceof Date) return MINGO;
      const replace = op === '$max' ? b > a : b < a;
      return replace ? stored : current;
    }
    case '$push': {
      if (current !== undefined && !Array.isArray(current)) return MINGO;
      const existing: readonly unknown[] = Array.isArray(current) ? (current as readonly unknown[]) : [];
      if (!isPlainObject(value) || !Object.keys(value).some((k) => k.startsWith('$'))) {
        return [...existing, storableCopy(value)];
      }
      const keys = Object.keys(value);
      const each: unknown = value.$each;
      const slice: unknown = value.$slice;
      if (!Array.isArray(each) || keys.some((k) => k !== '$each' && k !== '$slice')) return MINGO;
      if (slice !== undefined && (typeof slice !== 'number' || !Number.isInteger(slice))) return MINGO;
      const all = [...existing, ...each.map((item: unknown) => storableCopy(item))];
      if (slice === undefined) return all;
      return slice >= 0 ? all.slice(0, slice) : slice === 0 ? [] : all.slice(slice);
    }
    default:
      return MINGO;
  }
}

function comparable(value: unknown): number | string | undefined {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

/** Deep equality of stored values (plain objects, arrays, Dates, primitives). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const k of keys) if (!(k in b) || !sameValue(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}
