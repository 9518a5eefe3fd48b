/**
 * Jest maps tsconfig.json's paths (`@orderflow/<lib>`) inside the suites only; global setup and
 * teardown reach the libs too, through tools/ (the broker's ACLs come from the topic declaration).
 * tsx's require hook resolves them, as it does for `npm start`. Imported first. (Required rather than
 * imported: tsx types this entry for node16 module resolution only.)
 */
import { createRequire } from 'node:module';

const tsx = createRequire(__filename)('tsx/cjs/api') as { register: () => void };
tsx.register();
