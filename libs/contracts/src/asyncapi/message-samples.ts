import inventoryReservedV1 from '../samples/inventory.reserved.v1.json';
import orderCancelledV1 from '../samples/order.cancelled.v1.json';
import orderConfirmedV1 from '../samples/order.confirmed.v1.json';
import orderCreatedV1 from '../samples/order.created.v1.json';

export interface MessageSample {
  /** The file under libs/contracts/src/samples. */
  file: string;
  message: { eventId: string; type: string; correlationId: string; [field: string]: unknown };
}

/**
 * The shared sample messages (samples/README.md), imported rather than read from disk so that they
 * travel with the build; a spec fails when a sample file is missing here.
 */
export const messageSamples: readonly MessageSample[] = [
  { file: 'inventory.reserved.v1.json', message: inventoryReservedV1 },
  { file: 'order.cancelled.v1.json', message: orderCancelledV1 },
  { file: 'order.confirmed.v1.json', message: orderConfirmedV1 },
  { file: 'order.created.v1.json', message: orderCreatedV1 },
];
