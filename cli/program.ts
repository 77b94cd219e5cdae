/** The `osm-fleet` command tree (commander) and the run loop that maps errors to exit codes. */
import { Command, CommanderError, Option } from 'commander';
import { ApiError } from './apiClient.js';
import { registerClusters } from './commands/clusters.js';
import { registerCompliance } from './commands/compliance.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerPlan } from './commands/plan.js';
import { registerPolicy } from './commands/policy.js';
import { registerRollout } from './commands/rollout.js';
import { EXIT, ExitWith, UsageError } from './errors.js';

export const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('osm-fleet')
    .description(
      `Roll Open Service Mesh out to Azure Arc clusters through the osm-fleet HTTP API (v${VERSION}; -V prints it)`,
    )
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .option('--endpoint <url>', 'API base URL (env OSM_FLEET_ENDPOINT; default http://127.0.0.1:7071/api)')
    .option('--key <key>', 'function key, sent as x-functions-key (env OSM_FLEET_KEY)')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'),
    )
    .option('--timeout <seconds>', 'per-request timeout', '30');
  registerPolicy(program);
  registerPlan(program);
  registerRollout(program);
  registerClusters(program);
  registerCompliance(program);
  registerConfig(program);
  registerCompletion(program);
  return program;
}

/** Runs the CLI on `argv` (user arguments only) and returns the exit code; never prints a stack. */
export async function run(argv: readonly string[]): Promise<number> {
  // No commander .version(): its global --version would swallow `clusters list|install --version`.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    console.log(VERSION);
    return EXIT.ok;
  }
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    return report(e);
  }
}

function report(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander printed it
  if (e instanceof ExitWith) return e.code;
  if (e instanceof UsageError) {
    console.error(`error: ${e.message}`);
    return EXIT.usage;
  }
  if (e instanceof ApiError) {
    console.error(`${e.code}: ${e.message}`);
    const details = e.details.map((d) => `${d.path}: ${d.message}`);
    if (details.length > 1 || (details[0] !== undefined && details[0] !== e.message))
      for (const d of details) console.error(`  - ${d}`);
    return EXIT.failed;
  }
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT.failed;
}
