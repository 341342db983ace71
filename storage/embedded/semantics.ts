import { update as applyOperators } from 'mingo';
import type { Document } from 'mongodb';
import type { Sort } from '../port';
import { applySimpleUpdate } from './fastPaths';
import { assertStorable, copy, isPlainObject, valueAt, type Stored } from './values';

// ---- MongoDB semantics that mingo leaves to the caller ----

/**
 * The document after applying MongoDB update operators, or null when nothing changed. `$setOnInsert` applies
 * only when inserting; `_id` is immutable once stored.
 */
export function updated(doc: Stored, filter: Document, update: Document, inserting: boolean): Stored | null {
  const operators = Object.keys(update);
  if (operators.length === 0 || operators.some((op) => !op.startsWith('$'))) {
    throw new Error('Update document requires atomic operators.');
  }
  let modifier: Document = update;
  if ('$setOnInsert' in update) {
    const { $setOnInsert, ...rest }: Document = update;
    modifier = rest;
    if (inserting && isPlainObject($setOnInsert)) {
      const set: Document = isPlainObject(modifier.$set) ? modifier.$set : {};
      const clash = Object.keys($setOnInsert).find((field) => field in set);
      if (clash !== undefined)
        throw new Error(`Updating the path '${clash}' would create a conflict at '${clash}'.`);
      modifier.$set = { ...set, ...$setOnInsert };
    }
    if (Object.keys(modifier).length === 0) return null;
  }
  // applySimpleUpdate checks the paths and the values it writes: the rest of the document was stored before.
  const simple = applySimpleUpdate(doc, modifier);
  if (simple !== undefined) return simple;
  const next = copy(doc);
  // mingo ignores $push modifiers ($slice, $sort) when the array does not exist yet; MongoDB starts from [].
  if (isPlainObject(modifier.$push)) {
    const missing = Object.keys(modifier.$push).filter(
      (p) => !p.includes('$') && valueAt(next, p) === undefined,
    );
    if (missing.length > 0) applyOperators(next, { $set: Object.fromEntries(missing.map((p) => [p, []])) });
  }
  // The filter locates the positional `$` element; an inserted document need not match it, and without a
  // positional path mingo need not compile it.
  const condition = inserting || !usesPositional(modifier) ? undefined : filter;
  const changed = applyOperators(next, modifier, undefined, condition, {
    cloneMode: 'deep',
  });
  if (changed.length === 0) return null;
  if (!inserting && next._id !== doc._id) {
    throw new Error("Performing an update on the path '_id' would modify the immutable field '_id'.");
  }
  assertStorable(next);
  return next;
}

/** The fields an upsert copies from its filter: top-level equalities, `$eq` and those inside `$and`. */
export function equalityFields(filter: Document): Stored {
  const set: Document = {};
  collectEqualities(filter, set);
  // `_id: ''` stands for "none yet": the caller assigns one unless the filter or update did.
  const { _id: id, ...fields } = set;
  const seed: Stored = { _id: typeof id === 'string' ? id : '' };
  if (Object.keys(fields).length > 0)
    applyOperators(seed, { $set: fields }, undefined, undefined, { cloneMode: 'deep' });
  return seed;
}

/** The fields a filter clause (and its `$and` parts) sets by equality, into `set`. */
function collectEqualities(clause: Document, set: Document): void {
  for (const [field, condition] of Object.entries<unknown>(clause)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const part of condition) if (isPlainObject(part)) collectEqualities(part, set);
    } else if (!field.startsWith('$') && !(condition instanceof RegExp)) {
      if (!isPlainObject(condition) || !Object.keys(condition).some((k) => k.startsWith('$'))) {
        set[field] = condition;
      } else if ('$eq' in condition) {
        const value: unknown = condition.$eq;
        set[field] = value;
      }
    }
  }
}

/** The `_id`s a filter is limited to (equality or `$in` on `_id`), so the lookup skips the scan. */
export function idsOf(filter: Document): string[] | null {
  const id: unknown = filter._id;
  if (typeof id === 'string') return [id];
  if (!isPlainObject(id)) return null;
  const keys = Object.keys(id);
  if (keys.length === 1 && typeof id.$eq === 'string') return [id.$eq];
  if (keys.length === 1 && Array.isArray(id.$in) && id.$in.every((v) => typeof v === 'string')) {
    return [...new Set<string>(id.$in)];
  }
  return null;
}

/** The driver's many sort shapes as a `{field: 1 | -1}` document. */
export function toSortSpec(sort: Sort): Record<string, 1 | -1> {
  const direction = (value: unknown): 1 | -1 => {
    if (value === 1 || value === 'asc' || value === 'ascending') return 1;
    if (value === -1 || value === 'desc' || value === 'descending') return -1;
    throw new Error(`Unsupported sort direction ${JSON.stringify(value)}.`);
  };
  const isDirection = (value: unknown): boolean =>
    [1, -1, 'asc', 'desc', 'ascending', 'descending'].some((d) => d === value);
  let pairs: [string, unknown][];
  if (typeof sort === 'string') pairs = [[sort, 1]];
  else if (
    typeof sort === 'number' ||
    (!Array.isArray(sort) && !(sort instanceof Map) && !isPlainObject(sort))
  ) {
    throw new Error('A sort needs a field name.');
  } else if (sort instanceof Map)
    pairs = Array.from(sort, ([field, dir]: [unknown, unknown]) => [String(field), dir]);
  else if (Array.isArray(sort)) {
    const items: unknown[] = sort;
    const [first, second] = items;
    if (items.length === 2 && typeof first === 'string' && isDirection(second)) pairs = [[first, second]];
    else pairs = items.map((item) => (typeof item === 'string' ? [item, 1] : pairOf(item)));
  } else pairs = Object.entries(sort);
  return Object.fromEntries(pairs.map(([field, dir]) => [field, direction(dir)]));
}

function pairOf(item: unknown): [string, unknown] {
  if (Array.isArray(item) && typeof item[0] === 'string') return [item[0], item[1]];
  throw new Error(`Unsupported sort ${JSON.stringify(item)}.`);
}

/**
 * mingo's $bucket puts a value equal to a boundary into the bucket below it; MongoDB's own definition of
 * $bucket as $group on a $switch is exact, so run that instead (also inside $facet).
 */
export function withBucketAsGroup(stage: Document): Document[] {
  if (isPlainObject(stage.$facet)) {
    const facets = Object.entries<unknown>(stage.$facet).map(([name, pipeline]): [string, unknown] => {
      if (!Array.isArray(pipeline)) return [name, pipeline];
      const stages: unknown[] = pipeline;
      return [name, stages.flatMap((inner) => (isPlainObject(inner) ? withBucketAsGroup(inner) : [inner]))];
    });
    return [{ $facet: Object.fromEntries(facets) }];
  }
  const bucket: unknown = stage.$bucket;
  if (!isPlainObject(bucket) || !Array.isArray(bucket.boundaries)) return [stage];
  const bounds: unknown[] = bucket.boundaries;
  const groupBy: unknown = bucket.groupBy;
  const output: unknown = bucket.output ?? { count: { $sum: 1 } };
  const branches = bounds.slice(0, -1).map((lower, i) => ({
    case: { $and: [{ $gte: [groupBy, lower] }, { $lt: [groupBy, bounds[i + 1]] }] },
    then: lower,
  }));
  const fallbackValue: unknown = bucket.default;
  const fallback: Document = 'default' in bucket ? { default: fallbackValue } : {};
  const id = { $switch: { branches, ...fallback } };
  return [{ $group: { _id: id, ...(isPlainObject(output) ? output : {}) } }, { $sort: { _id: 1 } }];
}

export function isMatchStage(stage: Document): stage is { $match: Document } {
  return Object.keys(stage).length === 1 && isPlainObject(stage.$match);
}

/** Whether an update names a positional path (`a.$.b`), the only case where mingo needs the filter. */
function usesPositional(modifier: Document): boolean {
  return Object.values(modifier).some(
    (fields) => isPlainObject(fields) && Object.keys(fields).some((path) => path.split('.').includes('$')),
  );
}
