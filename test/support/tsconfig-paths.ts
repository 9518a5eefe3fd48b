/**
 * Jest maps tsconfig.json's paths (`@orderflow/<lib>`) inside the suites only; global setup and
 * teardown reach the libs too, through tools/ (the broker's ACLs come from the topic declaration).
 * tsx's require hook resolves them, as it does for `npm start`. Imported first.
 */
import { register } from 'tsx/cjs/api';

register();
