import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ProductEntity } from '../products/product.entity';
import { Reservation, StockedProduct, StockLedger } from './stock-ledger';
import { StockReservationEntity } from './stock-reservation.entity';

/** The first key of the two-key advisory locks taken per order (its own key space, apart from other locks). */
const ORDER_LOCK_SPACE = 31_020;

interface ProductRow {
  sku: string;
  price_cents: string;
  stock: number;
}

@Injectable()
export class StockReservationsRepository {
  /** The ledger of one transaction: every query runs on its `manager`. */
  ledger(manager: EntityManager): StockLedger {
    return {
      lockOrder: async (orderId) => {
        await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ORDER_LOCK_SPACE, orderId]);
      },
      findReservation: (orderId) => manager.findOneBy(StockReservationEntity, { orderId }),
      lockProducts: async (skus) => {
        if (skus.length === 0) return [];
        // COLLATE "C": locks are taken in byte order, the same order the callers sort skus in.
        const rows: ProductRow[] = await manager.query(
          `SELECT sku, price_cents, stock FROM product WHERE sku = ANY($1::text[]) ORDER BY sku COLLATE "C" FOR UPDATE`,
          [skus],
        );
        return rows.map(({ sku, stock, price_cents }): StockedProduct => ({
          sku,
          stock,
          priceCents: Number(price_cents),
        }));
      },
      adjustStock: async (changes) => {
        for (const { sku, delta } of changes) {
          await manager.increment(ProductEntity, { sku }, 'stock', delta);
        }
      },
      insertReservation: async (reservation: Reservation) => {
        await manager.insert(StockReservationEntity, reservation);
      },
      updateStatus: async (orderId, status) => {
        await manager.update(StockReservationEntity, { orderId }, { status });
      },
    };
  }
}
