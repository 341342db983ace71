import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { fromRoot, projectRoot } from '../../core/paths';
import { renderIcons } from '../../deployment/teams/icons';
import { fillTemplate, PackageError, validateManifest } from '../../deployment/teams/package';
import { readPngInfo } from '../../deployment/teams/png';

const APP_ID = '8c5f3f0e-1d2b-4c3a-9e4f-5a6b7c8d9e0f';

/** Runs the packager as `npm run teams:package` would, with only the given variables of ours set. */
function runPackager(args: string[], vars: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...vars };
  for (const name of ['MicrosoftAppId', 'PUBLIC_URL', 'TEAMS_APP_NAME']) {
    if (!(name in vars)) delete env[name];
  }
  const result = spawnSync('npx', ['tsx', 'deployment/teams/package.ts', ...args], {
    cwd: projectRoot,
    env,
    encoding: 'utf8',
  });
  const lines = result.stdout.trim().split('\n');
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    lastLine: lines.at(-1) ?? '',
  };
}

function readTemplate(): unknown {
  return JSON.parse(readFileSync(fromRoot('deployment', 'teams', 'manifest.template.json'), 'utf8'));
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof PackageError) return error.problems;
    throw error;
  }
  throw new Error('expected a PackageError');
}

interface ZippedManifest {
  id: string;
  manifestVersion: string;
  validDomains: string[];
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    commandLists: { commands: { title: string }[] }[];
  }[];
}

function isZippedManifest(value: unknown): value is ZippedManifest {
  return value !== null && typeof value === 'object' && 'id' in value && 'bots' in value;
}

describe('Teams app package', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
  });
  afterEach(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('when MicrosoftAppId is set, then the last line is a zip with the filled manifest and both icons at its root', () => {
    const run = runPackager(['--out', outDir, '--host', 'contoso-bot.azurewebsites.net'], {
      MicrosoftAppId: APP_ID,
    });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(path.isAbsolute(run.lastLine)).toBe(true);
    expect(path.dirname(run.lastLine)).toBe(outDir);
    expect(existsSync(run.lastLine)).toBe(true);

    const files = unzipSync(readFileSync(run.lastLine));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest: unknown = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    if (!isZippedManifest(manifest)) throw new Error('manifest.json lacks id or bots');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.validDomains).toEqual(['contoso-bot.azurewebsites.net']);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({
      botId: APP_ID,
      scopes: ['personal', 'team'],
      supportsFiles: false,
    });
    const commands = manifest.bots[0]?.commandLists.flatMap((list) => list.commands.map((c) => c.title));
    expect(commands).toEqual(expect.arrayContaining(['help', 'talk to a human', 'set escalation channel']));

    expect(readPngInfo(files['color.png'] ?? new Uint8Array())).toMatchObject({ width: 192, height: 192 });
    expect(readPngInfo(files['outline.png'] ?? new Uint8Array())).toMatchObject({ width: 32, height: 32 });
  });

  it('when no app id is given, then it exits with 2, names MicrosoftAppId and writes nothing', () => {
    const run = runPackager(['--out', outDir]);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('MicrosoftAppId is missing');
    expect(run.stderr).toContain('--app-id');
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('when the app id is not a GUID, then it exits with 2 and says so', () => {
    const run = runPackager(['--out', outDir, '--app-id', 'my-bot']);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('"my-bot" is not a GUID');
  });

  it('when the app name is longer than Teams allows, then the schema check rejects the manifest', () => {
    const manifest = fillTemplate(readTemplate(), {
      MicrosoftAppId: APP_ID,
      APP_NAME: 'A support assistant with a name far too long',
      APP_VERSION: '1.0.0',
      BOT_DOMAIN: undefined,
    });

    expect(problemsOf(() => validateManifest(manifest))).toEqual([
      expect.stringContaining('manifest.json/name/short must NOT have more than 30 characters'),
    ]);
  });

  it('when the bot domain is unknown, then validDomains is left empty rather than holding a placeholder', () => {
    const manifest = validateManifest(
      fillTemplate(readTemplate(), {
        MicrosoftAppId: APP_ID,
        APP_NAME: 'Support',
        APP_VERSION: '1.0.0',
        BOT_DOMAIN: undefined,
      }),
    );

    expect(manifest).toMatchObject({ id: APP_ID, validDomains: [] });
  });

  it('when the template names a variable nobody provides, then filling it fails', () => {
    expect(problemsOf(() => fillTemplate({ id: '${{Unknown}}' }, {}))).toEqual([
      'the template uses ${{Unknown}}, which has no value',
    ]);
  });

  it('the committed icons are exactly what icons.ts draws', () => {
    const { color, outline } = renderIcons();

    expect(readFileSync(fromRoot('deployment', 'teams', 'color.png')).equals(color)).toBe(true);
    expect(readFileSync(fromRoot('deployment', 'teams', 'outline.png')).equals(outline)).toBe(true);
  });
});

describe('container files', () => {
  const dockerfile = readFileSync(fromRoot('deployment', 'Dockerfile'), 'utf8');
  const compose = readFileSync(fromRoot('deployment', 'docker-compose.yml'), 'utf8');

  it('the image runs as a non-root user, probes /healthz with node and drops dev dependencies', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*node.*\/healthz/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^EXPOSE 3978$/m);
    for (const folder of ['dist', 'locales', 'web', 'cards/templates', 'knowledge/demo', 'node_modules']) {
      expect(dockerfile).toContain(`/app/${folder} ./${folder}`);
    }
  });

  it('compose runs the bot as non-root against a MongoDB replica set that initiates itself', () => {
    expect(compose).toMatch(/user: node/);
    expect(compose).toContain('dockerfile: deployment/Dockerfile');
    expect(compose).toContain('?replicaSet=rs0');
    expect(compose).toMatch(/--replSet', 'rs0'/);
    expect(compose).toContain('rs.initiate(');
    expect(compose).toMatch(/condition: service_healthy/);
    expect(compose.match(/healthcheck:/g)).toHaveLength(2);
    expect(compose).toContain('/healthz');
  });
});
