/**
 * The dependency rule is enforced by the lint config; this proves the rule really fires (it silently checked
 * nothing once, while no resolver was configured) by linting forbidden imports as if they were in the tree.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function errorsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the dependency rule', () => {
  const forbidden: [string, string, RegExp][] = [
    ['shared/domain/probe.ts', "import { x } from '../store/createStoreAdapters.js';", /no-restricted-paths/],
    ['shared/domain/probe.ts', "import { TableClient } from '@azure/data-tables';", /no-restricted-imports/],
    ['shared/domain/probe.ts', "import { readFileSync } from 'node:fs';", /no-restricted-imports/],
    [
      'shared/services/probe.ts',
      "import { x } from '../azure/armExtensionsClient.js';",
      /no-restricted-paths/,
    ],
    [
      'shared/services/probe.ts',
      "import { QueueClient } from '@azure/storage-queue';",
      /no-restricted-imports/,
    ],
    [
      'functions/probe.ts',
      "import { x } from '../shared/store/createStoreAdapters.js';",
      /no-restricted-paths/,
    ],
    ['functions/probe.ts', "import { TableClient } from '@azure/data-tables';", /no-restricted-imports/],
    ['emulator/probe.ts', "import { x } from '../shared/domain/policy.js';", /no-restricted-paths/],
  ];
  it.each(forbidden)('%s may not: %s', async (file, line, rule) => {
    const errors = await errorsFor(file, `${line}\nexport const probe = [x];\n`.replace('[x]', '[]'));
    expect(errors.some((e) => rule.test(e))).toBe(true);
  });

  it('allows what the rule allows', async () => {
    expect(
      await errorsFor(
        'shared/services/probe.ts',
        "import { parsePolicy } from '../domain/policy.js';\nexport const p = parsePolicy;\n",
      ),
    ).toEqual([]);
    expect(
      await errorsFor(
        'functions/probe.ts',
        "import { parsePolicy } from '../shared/domain/policy.js';\nexport const p = parsePolicy;\n",
      ),
    ).toEqual([]);
  });
});
