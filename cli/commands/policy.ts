/** `osm-fleet policy apply|list|show|delete`. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { ctxOf, limitOf, printList, printJson } from '../context.js';
import { UsageError } from '../errors.js';
import { table, when } from '../format/table.js';
import type { PolicyView } from '../types.js';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const policyPath = (name: string) => `/policies/${encodeURIComponent(name)}`;

/** Reads a policy from a JSON or YAML file (`-` is stdin); JSON by extension or content, YAML otherwise. */
export function readPolicyFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `-f ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let body: unknown;
  const json = extname(file).toLowerCase() === '.json' || /^\s*\{/.test(text);
  try {
    body = json ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new UsageError(`-f ${file}: ${syntaxError(text, e, json)}`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new UsageError(`-f ${file}: must hold one policy object`);
  return body as Record<string, unknown>;
}

/** "not valid YAML at line 4, column 1: <why>" and the line itself with a caret under the column. */
export function syntaxError(text: string, e: unknown, json: boolean): string {
  const err = e as { message?: string; linePos?: { line: number; col: number }[] };
  const why = (err.message ?? String(e)).split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
  let pos = err.linePos?.[0];
  if (!pos && json) pos = yamlPosition(text); // JSON is YAML: its parser says where JSON.parse stopped
  const offset = /position (\d+)/.exec(err.message ?? '')?.[1];
  if (!pos && offset !== undefined) {
    const before = text.slice(0, Number(offset)).split('\n');
    pos = { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
  }
  const kind = json ? 'JSON' : 'YAML';
  if (!pos) return `not valid ${kind}: ${why}`;
  const line = text.split('\n')[pos.line - 1] ?? '';
  const gutter = `${pos.line} | `;
  return (
    `not valid ${kind} at line ${pos.line}, column ${pos.col}: ${why}\n` +
    `  ${gutter}${line}\n  ${' '.repeat(gutter.length)}${' '.repeat(Math.max(0, pos.col - 1))}^`
  );
}

function yamlPosition(text: string): { line: number; col: number } | undefined {
  try {
    parseYaml(text);
  } catch (e) {
    return (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
  }
  return undefined;
}

function policyName(body: Record<string, unknown>, flag: string | undefined, file: string): string {
  const name = flag ?? (typeof body.name === 'string' ? body.name : undefined);
  if (!name) throw new UsageError(`-f ${file}: the policy has no "name": add one or pass --name`);
  if (!NAME.test(name)) throw new UsageError(`policy name "${name}": must match ${NAME.source}`);
  return name;
}

function policyTable(items: PolicyView[]): string {
  return table(
    ['NAME', 'VERSION', 'WAVES', 'AUTO-ONBOARD', 'UPDATED', 'DESCRIPTION'],
    items.map((p) => [
      p.name,
      p.osm.version,
      (p.rollout?.waves ?? []).map((w) => w.name).join(','),
      p.autoOnboard ? 'yes' : 'no',
      when(p.updatedAt),
      p.description,
    ]),
  );
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('create, read and delete rollout policies');

  policy
    .command('apply')
    .description('create or replace a policy from a JSON or YAML file')
    .requiredOption('-f, --file <file>', 'policy file (.json, .yaml; - for stdin)')
    .option('--name <name>', 'policy name (default: the file\'s "name")')
    .option('--if-match <etag>', 'replace only this version of the policy')
    .action(async (o: { file: string; name?: string; ifMatch?: string }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const body = readPolicyFile(o.file);
      const name = policyName(body, o.name, o.file);
      const res = await ctx.client.request<PolicyView>('PUT', policyPath(name), body, {}, o.ifMatch);
      if (ctx.json) return printJson(res.body);
      console.log(
        `policy ${name} ${res.status === 201 ? 'created' : 'configured'} (OSM ${res.body.osm.version})`,
      );
    });

  policy
    .command('list')
    .description('list policies')
    .option('--top <n>', 'show at most n policies (default 100)')
    .option('--all', 'follow every page')
    .action(async (o: { top?: string; all?: boolean }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      printList(
        ctx,
        await ctx.client.list<PolicyView>('/policies', {}, limitOf(o)),
        policyTable,
        'no policies',
      );
    });

  policy
    .command('show')
    .description('show a policy (YAML; --output json for JSON)')
    .argument('<name>', 'policy name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const view = await ctx.client.get<PolicyView>(policyPath(name));
      if (ctx.json) return printJson(view);
      process.stdout.write(toYaml(view));
    });

  policy
    .command('delete')
    .description('delete a policy (refused while a rollout of it is active)')
    .argument('<name>', 'policy name')
    .option('--if-match <etag>', 'delete only this version of the policy')
    .action(async (name: string, o: { ifMatch?: string }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      await ctx.client.request('DELETE', policyPath(name), undefined, {}, o.ifMatch);
      if (ctx.json) return printJson({ name, deleted: true });
      console.log(`policy ${name} deleted`);
    });
}
