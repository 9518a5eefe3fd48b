/**
 * Lints texts as if they were files of this repository, with its eslint.config.mjs, through ESLint's
 * Node API: reads `[{ filePath, text }]` (paths from the repository root; the file need not exist) as
 * JSON on stdin and writes, for each, `[{ ruleId, message }]` as JSON on stdout. A process of its own,
 * because ESLint loads its config with `import()`, which Jest's module sandbox refuses.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { text } from 'node:stream/consumers';

const root = path.join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });
const results = [];
for (const { filePath, text: code } of JSON.parse(await text(process.stdin))) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(results));
