// A second entry of libs/contracts (@orderflow/contracts/asyncapi): the documents are for the gateway's
// docs and the generator, not for the services that speak the contracts.
export * from './asyncapi-documents';
export { NestKafkaHeaders } from './asyncapi-messages';
