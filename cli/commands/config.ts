/** `osm-fleet config set|unset|show|path`: the defaults file under the user's home. */
import type { Command } from 'commander';
import { CONFIG_KEYS, configPath, isConfigKey, resolveSettings, writeConfigValue } from '../config.js';
import { printJson } from '../context.js';
import type { GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import { keyValues } from '../format/table.js';

function keyArg(key: string): (typeof CONFIG_KEYS)[number] {
  if (!isConfigKey(key)) throw new UsageError(`config key "${key}": one of ${CONFIG_KEYS.join(', ')}`);
  return key;
}

export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description(
      `defaults for --endpoint and --key, in ${configPath().replace(process.env.HOME ?? '\0', '~')}`,
    );

  config
    .command('set')
    .description(`set a default (${CONFIG_KEYS.join(', ')})`)
    .argument('<key>', CONFIG_KEYS.join(' | '))
    .argument('<value>')
    .action((key: string, value: string) => {
      const path = configPath();
      writeConfigValue(path, keyArg(key), value);
      console.log(`${key} set in ${path}`);
    });

  config
    .command('unset')
    .description('remove a default')
    .argument('<key>', CONFIG_KEYS.join(' | '))
    .action((key: string) => {
      const path = configPath();
      writeConfigValue(path, keyArg(key), undefined);
      console.log(`${key} removed from ${path}`);
    });

  config
    .command('show')
    .description('the endpoint and key in effect, and where each comes from (the key is masked)')
    .action((_o: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals<GlobalOptions>();
      const s = resolveSettings({ endpoint: o.endpoint, key: o.key });
      const key = s.key ? `${'*'.repeat(8)}${s.key.length > 12 ? s.key.slice(-4) : ''}` : '(none)';
      if (o.output === 'json')
        return printJson({
          endpoint: s.endpoint,
          key: s.key ? 'set' : null,
          sources: s.sources,
          file: s.file,
        });
      console.log(
        keyValues([
          ['endpoint', `${s.endpoint} (${s.sources.endpoint})`],
          ['key', s.key ? `${key} (${s.sources.key})` : '(none)'],
          ['file', s.file],
        ]),
      );
    });

  config
    .command('path')
    .description('print the config file path')
    .action(() => console.log(configPath()));
}
