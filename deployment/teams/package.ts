/**
 * Builds the Microsoft Teams app package (`npm run teams:package`): fills manifest.template.json, checks the
 * result offline against the official manifest JSON schema (shipped in @microsoft/app-manifest), checks the
 * icon sizes, and writes <out>/<app name>.zip with manifest.json, color.png and outline.png at its root.
 * The zip's absolute path is the last line printed. Exit code 2 with the reasons when something is wrong.
 *
 *   MicrosoftAppId=<guid> npm run teams:package
 *   npm run teams:package -- --app-id <guid> [--name "Contoso Support"] [--host bot.contoso.com] [--out dir]
 *
 * Inputs: --app-id or MicrosoftAppId (the bot's app registration; also the Teams app id); --name or
 * TEAMS_APP_NAME (at most 30 characters; default "Customer Support"); --host, or the host of PUBLIC_URL, for
 * validDomains; --out (default deployment/teams/build).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { zipSync } from 'fflate';
import { fromRoot } from '../../core/paths';
import { readPngInfo, type PngInfo } from './png';

const TEAMS_DIR = fromRoot('deployment', 'teams');
const DEFAULT_NAME = 'Customer Support';
const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const DOMAIN = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;
const PLACEHOLDER = /\$\{\{(\w+)\}\}/g;
/** Teams shows the colour icon at 192×192 and tints the 32×32 outline icon. */
const ICON_SIZES = { color: 192, outline: 32 } as const;

/** Everything wrong with the inputs or the result; the CLI prints the problems and exits with code 2. */
export class PackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`Cannot build the Teams app package:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackageError';
  }
}

export interface PackageOptions {
  appId: string;
  name: string;
  /** Domain for validDomains (the bot's public host); none when unknown. */
  host?: string;
  outDir: string;
}

/** The manifest fields the packager reads; the schema check guarantees them for every manifest version. */
interface PackagedManifest {
  manifestVersion: string;
  id: string;
  name: { short: string };
  icons: { color: string; outline: string };
}

/** Resolves the options from the command line first, then the environment; throws PackageError. */
export function resolveOptions(argv: string[], env: NodeJS.ProcessEnv): PackageOptions {
  let values: { 'app-id'?: string; name?: string; host?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'app-id': { type: 'string' },
        name: { type: 'string' },
        host: { type: 'string' },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new PackageError([error instanceof Error ? error.message : String(error)]);
  }
  const problems: string[] = [];
  const appId = (values['app-id'] ?? env.MicrosoftAppId ?? '').trim();
  if (appId === '') {
    problems.push(
      'MicrosoftAppId is missing: set MicrosoftAppId to the application (client) id of the bot registration, or pass --app-id <guid>',
    );
  } else if (!GUID.test(appId)) {
    problems.push(
      `MicrosoftAppId "${appId}" is not a GUID (expected the form 00000000-0000-0000-0000-000000000000)`,
    );
  }
  const host = values.host ?? (env.PUBLIC_URL ? hostOf(env.PUBLIC_URL) : undefined);
  if (host !== undefined && !DOMAIN.test(host)) {
    problems.push(
      `host "${host}" is not a public domain name (like bot.contoso.com); pass --host or set PUBLIC_URL`,
    );
  }
  if (problems.length > 0) throw new PackageError(problems);
  return {
    appId: appId.toLowerCase(),
    name: (values.name ?? env.TEAMS_APP_NAME ?? DEFAULT_NAME).trim(),
    ...(host === undefined ? {} : { host: host.toLowerCase() }),
    outDir: path.resolve(values.out ?? path.join(TEAMS_DIR, 'build')),
  };
}

/** A bare domain stays as it is; a URL gives its host name. */
function hostOf(value: string): string {
  return URL.canParse(value) ? new URL(value).hostname : value;
}

/**
 * Replaces every `${{NAME}}` in the strings of a parsed JSON template. A variable set to undefined is
 * optional: an array item consisting of that placeholder alone is dropped. A name missing from `vars`, or an
 * optional one used anywhere else, is a problem.
 */
export function fillTemplate(template: unknown, vars: Record<string, string | undefined>): unknown {
  const problems = new Set<string>();
  const isUnsetItem = (item: unknown): boolean => {
    if (typeof item !== 'string') return false;
    const only = /^\$\{\{(\w+)\}\}$/.exec(item);
    return only?.[1] !== undefined && only[1] in vars && vars[only[1]] === undefined;
  };
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (whole, name: string) => {
        const replacement = vars[name];
        if (replacement === undefined) problems.add(`the template uses ${whole}, which has no value`);
        return replacement ?? whole;
      });
    }
    if (Array.isArray(value)) return value.filter((item) => !isUnsetItem(item)).map(fill);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item)]));
    }
    return value;
  };
  const filled = fill(template);
  if (problems.size > 0) throw new PackageError([...problems]);
  return filled;
}

/** Checks a manifest against the official schema of its manifestVersion, offline; returns it typed. */
export function validateManifest(manifest: unknown): PackagedManifest {
  const version =
    manifest !== null && typeof manifest === 'object' && 'manifestVersion' in manifest
      ? manifest.manifestVersion
      : undefined;
  if (typeof version !== 'string' || !/^\d+\.\d+$/.test(version)) {
    throw new PackageError(['manifest.json has no manifestVersion like "1.17"']);
  }
  const schemaFile = path.join(
    path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
    'build',
    'json-schemas',
    'teams',
    `v${version}`,
    'MicrosoftTeams.schema.json',
  );
  if (!existsSync(schemaFile)) {
    throw new PackageError([`no local schema for manifestVersion ${version} (looked for ${schemaFile})`]);
  }
  const schema: unknown = JSON.parse(readFileSync(schemaFile, 'utf8'));
  if (typeof schema !== 'object' || schema === null) throw new Error(`${schemaFile} is not a JSON schema`);
  // The Teams schemas are draft-04 and use a few keywords Ajv does not know (strict: false ignores them).
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile<PackagedManifest>(schema);
  if (validate(manifest)) return manifest;
  throw new PackageError(
    (validate.errors ?? []).map(
      (e) => `manifest.json${e.instancePath || ''} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
    ),
  );
}

/** Reads an icon next to the template and checks it is a PNG of the size Teams expects. */
function readIcon(kind: keyof typeof ICON_SIZES, file: string): Buffer {
  const size = ICON_SIZES[kind];
  const where = path.join(TEAMS_DIR, file);
  if (!existsSync(where)) {
    throw new PackageError([`the ${kind} icon ${where} is missing (run: npx tsx deployment/teams/icons.ts)`]);
  }
  const png = readFileSync(where);
  let info: PngInfo;
  try {
    info = readPngInfo(png);
  } catch (error) {
    throw new PackageError([`the ${kind} icon ${where}: ${error instanceof Error ? error.message : ''}`]);
  }
  if (info.width !== size || info.height !== size) {
    throw new PackageError([
      `the ${kind} icon ${where} is ${info.width}×${info.height}; Teams needs ${size}×${size}`,
    ]);
  }
  return png;
}

/** File-name friendly form of the app name: "Contoso Support" → "contoso-support". */
function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'teams-app'
  );
}

/** Builds and writes the package; returns the zip's absolute path and the manifest written into it. */
export function buildPackage(options: PackageOptions): { zipPath: string; manifest: PackagedManifest } {
  const template: unknown = JSON.parse(readFileSync(path.join(TEAMS_DIR, 'manifest.template.json'), 'utf8'));
  const pkg: unknown = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8'));
  const version = pkg !== null && typeof pkg === 'object' && 'version' in pkg ? pkg.version : undefined;
  if (typeof version !== 'string') throw new PackageError(['package.json has no version for the manifest']);
  const manifest = validateManifest(
    fillTemplate(template, {
      MicrosoftAppId: options.appId,
      APP_NAME: options.name,
      APP_VERSION: version,
      BOT_DOMAIN: options.host,
    }),
  );
  const color = readIcon('color', manifest.icons.color);
  const outline = readIcon('outline', manifest.icons.outline);
  const zip = zipSync({
    'manifest.json': new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    [manifest.icons.color]: color,
    [manifest.icons.outline]: outline,
  });
  mkdirSync(options.outDir, { recursive: true });
  const zipPath = path.join(options.outDir, `${slug(manifest.name.short)}.zip`);
  writeFileSync(zipPath, zip);
  return { zipPath, manifest };
}

function main(): void {
  try {
    const options = resolveOptions(process.argv.slice(2), process.env);
    const { zipPath, manifest } = buildPackage(options);
    console.log(
      `Teams app "${manifest.name.short}" (id ${manifest.id}, manifest ${manifest.manifestVersion}) ` +
        `is valid against the manifest schema; validDomains: ${options.host ?? '(none)'}`,
    );
    console.log(zipPath);
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}

if (require.main === module) main();
