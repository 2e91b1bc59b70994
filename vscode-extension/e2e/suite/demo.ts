import { runSuite } from './harness';

export function run(): Promise<void> {
  return runSuite('demo', ['demo.spec.js']);
}
