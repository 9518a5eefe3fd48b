import { Injectable } from '@nestjs/common';
import { lockKeyForTransaction } from '@orderflow/persistence';
import { EntityManager } from 'typeorm';
import { Reservation, StockedProduct, StockLedger } from './stock-ledger';

/** The first key of the two-key advisory locks taken per order (its own key space, apart from other locks). */
const ORDER_LOCK_SPACE = 31_020;

/** Plain SQL on the hot path: building TypeORM's queries was a tenth of the app's CPU (issue 21). */
interface ReservationRow {
  order_id: string;
  status: Reservation['status'];
  items: Reservation['items'];
  reason: Reservation['reason'];
  rejected_skus: string[];
  rejected_lines: Reservation['rejectedLines'];
}

function toReservation(row: ReservationRow): Reservation {
  return {
    orderId: row.order_id,
    status: row.status,
    items: row.items,
    reason: row.reason,
    rejectedSkus: row.rejected_skus,
    rejectedLines: row.rejected_lines,
  };
}

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
      lockOrder: (orderId) => lockKeyForTransaction(manager, ORDER_LOCK_SPACE, orderId),
      findReservation: async (orderId) => {
        const rows: ReservationRow[] = await manager.query(
          `SELECT order_id, status, items, reason, rejected_skus, rejected_lines FROM stock_reservation
           WHERE order_id = $1`,
          [orderId],
        );
        return rows.length === 0 ? null : toReservation(rows[0]);
      },
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
        await manager.query(
          `UPDATE product SET stock = stock + change.delta, updated_at = now()
           FROM unnest($1::text[], $2::integer[]) AS change (sku, delta)
           WHERE product.sku = change.sku`,
          [changes.map((change) => change.sku), changes.map((change) => change.delta)],
        );
      },
      insertReservation: async (reservation: Reservation) => {
        await manager.query(
          `INSERT INTO stock_reservation (order_id, status, items, reason, rejected_skus, rejected_lines)
           VALUES ($1, $2, $3::jsonb, $4, $5::text[], $6::jsonb)`,
          [
            reservation.orderId,
            reservation.status,
            JSON.stringify(reservation.items),
            reservation.reason,
            reservation.rejectedSkus,
            reservation.rejectedLines === null ? null : JSON.stringify(reservation.rejectedLines),
          ],
        );
      },
      updateStatus: async (orderId, status) => {
        await manager.query(`UPDATE stock_reservation SET status = $2, updated_at = now() WHERE order_id = $1`, [
          orderId,
          status,
        ]);
      },
    };
  }
}
