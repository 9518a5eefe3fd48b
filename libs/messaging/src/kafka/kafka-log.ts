import { Logger } from '@nestjs/common';
import { logCreator, logLevel } from 'kafkajs';

const logger = new Logger('kafkajs');

/**
 * kafkajs's own lines go through the app's logger (pino: JSON with the service field, the app's
 * LOG_LEVEL) instead of kafkajs's console JSON, which a log pipeline could not tell apart by service.
 */
export const kafkaLogCreator: logCreator =
  () =>
  ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
    const entry = { msg: message, namespace, ...fields };
    if (level === logLevel.ERROR) logger.error(entry);
    else if (level === logLevel.WARN) logger.warn(entry);
    else if (level === logLevel.INFO) logger.log(entry);
    else logger.debug(entry);
  };
