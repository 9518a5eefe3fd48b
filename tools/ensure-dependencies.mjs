// Plain JavaScript on purpose: it runs before node_modules exists (npm's pre-scripts of start and test).
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

// Node 20 still runs the system, but it is end of life and not what CI tests: say so once, go on.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
  console.log(
    `Node ${process.versions.node} is older than Orderflow's Node 24 LTS; for Node 24: export PATH="$(tools/node/node24.sh):$PATH"`,
  );
}

const installed = 'node_modules/.package-lock.json';
const isCurrent = existsSync(installed) && statSync(installed).mtimeMs >= statSync('package-lock.json').mtimeMs;
if (!isCurrent) {
  console.log('Installing npm dependencies (npm ci)...');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
