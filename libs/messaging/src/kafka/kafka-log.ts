import { Logger } from '@nestjs/common';
import { logCreator, logLevel } from 'kafkajs';

const logger = new Logger('kafkajs');

/**
 * kafkajs warns at every start that limiting the idempotent producer's retries "may invalidate EoS
 * guarantees". We limit them on purpose (kafka-settings.ts): a send that still fails leaves the outbox
 * rows unpublished, the relay sends them again on its next pass, and the consumers' inbox absorbs a
 * duplicate. Known and accepted, so it is logged at debug, not as a warning on every start.
 */
const ACCEPTED_WARNINGS = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/**
 * kafkajs's own lines go through the app's logger (pino: JSON with the service field, the app's
 * LOG_LEVEL) instead of kafkajs's console JSON, which a log pipeline could not tell apart by service.
 * A failed request of one connection ("group coordinator not available" while a fresh broker loads
 * its offsets, a refused connect) is retried by kafkajs: a warning. What fails for good reaches the
 * caller, which logs it as an error.
 */
export const kafkaLogCreator: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
    const entry = { msg: message, namespace, ...fields };
    const retried = namespace === 'Connection' || namespace === 'BrokerPool';
    if (level === logLevel.WARN && ACCEPTED_WARNINGS.has(message)) logger.debug(entry);
    else if (level === logLevel.ERROR && !retried) logger.error(entry);
    else if (level === logLevel.ERROR || level === logLevel.WARN) logger.warn(entry);
    else if (level === logLevel.INFO) logger.log(entry);
    else logger.debug(entry);
  };
