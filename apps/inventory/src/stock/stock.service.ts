import { Injectable } from '@nestjs/common';
import { MessageEnvelope, ReleaseStockMessage, ReserveStockMessage } from '@orderflow/contracts';
import { createMessage, MessageTransactions, originOf, OutgoingMessage } from '@orderflow/messaging';
import { releaseStock, reserveStock, StockOutcome } from './stock-ledger';
import { StockReservationsRepository } from './stock-reservations.repository';

/**
 * Handles the saga's stock commands. Each runs once per message (inbox), and its stock change, its
 * reservation row and its answer (outbox) commit together.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly reservations: StockReservationsRepository,
    private readonly transactions: MessageTransactions,
  ) {}

  async reserve(message: ReserveStockMessage): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      publish(answer(message, await reserveStock(this.reservations.ledger(manager), message.payload)));
    });
  }

  async release(message: ReleaseStockMessage): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      publish(answer(message, await releaseStock(this.reservations.ledger(manager), message.payload)));
    });
  }
}

/** Keyed by the order, at the version of the command it answers. */
function answer(command: MessageEnvelope, outcome: StockOutcome): OutgoingMessage {
  const subject = { aggregateId: outcome.payload.orderId, aggregateVersion: command.aggregateVersion };
  return createMessage(outcome.topic, outcome.payload, subject, originOf(command));
}
