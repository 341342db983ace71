import { appendFileSync } from 'node:fs';
import fc from 'fast-check';

/**
 * The seed of every property of the fuzz suite. Fixed by default, so CI runs the same requests every time;
 * `FUZZ_SEED=<integer>` replays a run and `FUZZ_SEED=random` explores new ones. The seed is printed at the
 * start; on a failure fast-check also prints the seed and the `path` of the smallest failing case.
 */
export function fuzzSeed(value = process.env.FUZZ_SEED): number {
  if (value === undefined || value === '') return 12_012;
  if (value === 'random') return Date.now() ^ (Math.random() * 0x7fffffff);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FUZZ_SEED must be an integer or "random", not "${value}"`);
  return seed;
}

/**
 * fast-check parameters for one property: the seed, the number of generated cases, and a time limit that only
 * guards against a hung server (when it strikes, fewer requests were sent and the request count fails).
 */
export function runsOf<T>(seed: number, numRuns: number): fc.Parameters<T> {
  return {
    seed,
    numRuns,
    interruptAfterTimeLimit: 20_000,
    endOnFailure: true,
    // fast-check's own report, with huge generated values cut short so it stays readable.
    reporter: (details) => {
      const report = fc.defaultReportMessage(details);
      if (report === undefined) return;
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : '';
      throw new Error(
        `${report}\nCause: ${cause}`.replace(/[^\n]{600,}/g, (line) => `${line.slice(0, 600)}…`),
      );
    },
  };
}

/** One HTTP request as generated. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What came back. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

let sent = 0;

/** Requests sent by the suite so far (the issue asks for at least 500 per run). */
export const requestCount = (): number => sent;

/** Sends a generated request to the app. */
export async function send(base: string, request: FuzzRequest): Promise<Answer> {
  sent++;
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

/**
 * Text that only a server's internals write: stack frames, JavaScript error names, file paths, database
 * messages. The generators never produce these, so any match in a body is a leak.
 */
const INTERNALS: RegExp[] = [
  /\bat [\w$.<>]+ \(/,
  /\bat (Object|async|new|process)\b/,
  /\.(ts|js|mjs|cjs):\d+/,
  /\/(work|home|usr|app|srv)\/|node_modules/,
  /\b(Type|Range|Reference|Syntax|Internal)Error\b/,
  /Maximum call stack/i,
  /Cannot read propert|is not a function|is not iterable|undefined is not/,
  /Mongo\w*Error|E11000|BSON|nedb|embedded store/i,
];

/**
 * Opaque values the server hands out on purpose (tokens, random ids: 24 or more base64url characters, JWT parts
 * joined by dots). They are random, so "nedb" or "at Object" can occur in them by chance; they are blanked
 * before the internal text is looked for.
 */
const OPAQUE = /[A-Za-z0-9_-]{24,}(?:\.[A-Za-z0-9_-]+)*/g;

/** The internal text in a body, if any. */
export function internalTextIn(text: string): string | undefined {
  const readable = text.replace(OPAQUE, '');
  return INTERNALS.map((pattern) => pattern.exec(readable)?.[0]).find((match) => match !== undefined);
}

/**
 * The rule every answer keeps: no 5xx; an error is a JSON `{error, message}` (plus validation `details`);
 * no body carries internal text. Returns the problems (empty when the answer is fine).
 */
export function problemsOf(request: FuzzRequest, answer: Answer): string[] {
  const problems: string[] = [];
  // 501 is how the Bot Framework answers an invoke nobody handles (protocol, not failure; empty body).
  const unhandledInvoke = answer.status === 501 && request.path === '/api/messages';
  if (answer.status >= 500 && !unhandledInvoke) problems.push(`status ${answer.status}`);
  const leak = internalTextIn(answer.text);
  if (leak !== undefined) problems.push(`internal text "${leak}" in the body`);
  if (answer.status >= 400 && !unhandledInvoke) {
    if (!answer.contentType.startsWith('application/json')) problems.push(`error as ${answer.contentType}`);
    const body = parseJson(answer.text);
    const keys = isPlainObject(body) ? Object.keys(body) : [];
    if (
      !isPlainObject(body) ||
      typeof body.error !== 'string' ||
      typeof body.message !== 'string' ||
      keys.some((key) => !['error', 'message', 'details'].includes(key))
    ) {
      problems.push('the error body is not {error, message}');
    }
  }
  return problems;
}

/** Fails the property with the request and the answer when the answer breaks the rule. */
export function expectClean(request: FuzzRequest, answer: Answer, extra: string[] = []): void {
  const problems = [...problemsOf(request, answer), ...extra];
  if (problems.length > 0) {
    // FUZZ_DUMP=<file> keeps every failing request whole (one JSON line each), to replay it by hand.
    if (process.env.FUZZ_DUMP)
      appendFileSync(process.env.FUZZ_DUMP, `${JSON.stringify({ request, problems })}\n`);
    throw new Error(
      `${problems.join('; ')}\n${request.method} ${request.path.slice(0, 300)}\n` +
        `headers ${JSON.stringify(request.headers ?? {}).slice(0, 300)}\n` +
        `body ${(request.body ?? '').slice(0, 300)}\n` +
        `answer ${answer.status}: ${answer.text.slice(0, 500)}`,
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
