import { Injectable } from '@nestjs/common';
import { ReleaseStockMessage, ReserveStockMessage } from '@orderflow/contracts';
import { answerCommand, MessageTransactions } from '@orderflow/messaging';
import { releaseStock, reserveStock } from './stock-ledger';
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
      publish(answerCommand(message, await reserveStock(this.reservations.ledger(manager), message.payload)));
    });
  }

  async release(message: ReleaseStockMessage): Promise<void> {
    await this.transactions.runOnce(message, async ({ manager, publish }) => {
      publish(answerCommand(message, await releaseStock(this.reservations.ledger(manager), message.payload)));
    });
  }
}
