// Lists, after a run, every test that passed only on a retry, with what failed first, so a retry
// on CI keeps a flake visible instead of hiding it.
import type { Reporter, TestCase } from 'vitest/node';

export default class FlakyReporter implements Reporter {
  private readonly flaky: TestCase[] = [];

  onTestCaseResult(testCase: TestCase): void {
    if (testCase.diagnostic()?.flaky) this.flaky.push(testCase);
  }

  onTestRunEnd(): void {
    if (this.flaky.length === 0) return;
    const lines = [`\n${this.flaky.length} test(s) passed only on a retry (flaky: fix them):`];
    for (const t of this.flaky) {
      lines.push(`  ${t.module.moduleId.replace(`${process.cwd()}/`, '')} > ${t.fullName} (retried ${t.diagnostic()?.retryCount}x)`);
      for (const e of t.result().errors ?? []) lines.push(`    first failure: ${(e.message ?? '').split('\n')[0]}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
