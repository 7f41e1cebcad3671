/**
 * The Node client's types are generated from the OpenAPI document the server serves
 * (openapi-typescript) and checked in (clients/node/src/generated/openapi.ts): this fails when they
 * are stale. `npm run client:types` writes them anew.
 */
import { execFileSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { startTestApp, TestApp } from '../support/test-app';

const FILE = path.join(__dirname, '..', '..', 'clients', 'node', 'src', 'generated', 'openapi.ts');
const HEADER = '/* Generated from runlog\'s OpenAPI document (/api/docs-json) by openapi-typescript: do not edit; run `npm run client:types`. */\n\n';

describe('Node client types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
  });
  afterAll(async () => t?.close());

  it('match the served OpenAPI document', async () => {
    const document = await (await fetch(`${t.baseUrl}/api/docs-json`)).json();
    // In a process of its own: openapi-typescript's dependencies are ES modules, which jest's CommonJS sandbox cannot load.
    const generate = `const { default: openapiTS, astToString } = require('openapi-typescript');
      let input = ''; process.stdin.on('data', (d) => (input += d)).on('end', async () => process.stdout.write(astToString(await openapiTS(JSON.parse(input)))));`;
    const generated = HEADER + execFileSync(process.execPath, ['-e', generate], { input: JSON.stringify(document), encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
    if (process.env.UPDATE_CLIENT_TYPES === '1') writeFileSync(FILE, generated);
    const checkedIn = readFileSync(FILE, 'utf8');
    if (checkedIn !== generated) throw new Error(`${path.relative(process.cwd(), FILE)} is stale: the OpenAPI document changed; run npm run client:types`);
  });
});
