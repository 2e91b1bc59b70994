import { runSuite } from './harness';

export function run(): Promise<void> {
  return runSuite('nested', ['nested.spec.js']);
}
