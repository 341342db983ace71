import { Understanding } from '../../language/understanding';

let shared: Understanding | undefined;

/**
 * The understanding models trained from the repository's data, once per test file (training takes a few
 * hundred milliseconds). Tests that teach it examples (`learn`) should load their own.
 */
export function testUnderstanding(): Understanding {
  shared ??= Understanding.load();
  return shared;
}
