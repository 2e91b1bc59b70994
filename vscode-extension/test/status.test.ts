import * as assert from 'assert';
import { clientStateStatus, formatStatus } from '../src/status';

describe('status: sffi/status formatting', () => {
  it('shows indexing progress', () => {
    const v = formatStatus({ state: 'indexing', done: 120, total: 5000 });
    assert.strictEqual(v.text, '$(sync~spin) SFFI indexing 120/5000');
    assert.strictEqual(v.severity, undefined);
  });

  it('shows indexing without counts', () => {
    assert.strictEqual(formatStatus({ state: 'indexing' }).text, '$(sync~spin) SFFI indexing');
    assert.strictEqual(formatStatus({ state: 'indexing', done: 3, total: 0 }).text, '$(sync~spin) SFFI indexing');
  });

  it('shows ready', () => {
    const v = formatStatus({ state: 'ready', errors: 0 });
    assert.strictEqual(v.text, '$(check) SFFI');
    assert.strictEqual(v.severity, undefined);
  });

  it('shows errors with their count', () => {
    assert.strictEqual(formatStatus({ state: 'error', errors: 3 }).text, '$(error) SFFI 3');
    assert.strictEqual(formatStatus({ state: 'error', errors: 3 }).severity, 'error');
    assert.strictEqual(formatStatus({ state: 'ready', errors: 3 }).text, '$(error) SFFI 3');
    assert.strictEqual(formatStatus({ state: 'error' }).text, '$(error) SFFI');
  });

  it('puts the message in the tooltip', () => {
    const v = formatStatus({ state: 'error', errors: 1, message: 'libtorch.so: bad ELF' });
    assert.match(v.tooltip, /libtorch\.so: bad ELF/);
  });

  it('survives malformed params', () => {
    assert.strictEqual(formatStatus(undefined).text, '$(circle-outline) SFFI');
    assert.strictEqual(formatStatus({ state: 'indexing', done: -1, total: Number.NaN }).text, '$(sync~spin) SFFI indexing');
    assert.strictEqual(formatStatus({ state: 'bogus' as never }).text, '$(circle-outline) SFFI');
  });

  it('has client-state texts', () => {
    assert.strictEqual(clientStateStatus('failed', 'x').text, '$(error) SFFI');
    assert.strictEqual(clientStateStatus('starting').text, '$(sync~spin) SFFI');
  });
});
