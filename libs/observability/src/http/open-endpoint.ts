import { SetMetadata } from '@nestjs/common';

/**
 * Marks an HTTP route or controller that needs no credentials where an app checks them (the gateway's
 * bearer-token guard reads this key): the probes, which orchestrators call without a token.
 */
export const OPEN_ENDPOINT = 'orderflow:open-endpoint';

export const OpenEndpoint = (): ClassDecorator & MethodDecorator => SetMetadata(OPEN_ENDPOINT, true);
