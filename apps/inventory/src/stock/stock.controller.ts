import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { ReleaseStockMessage, ReserveStockMessage, Topics } from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { StockService } from './stock.service';

@Controller()
export class StockController {
  constructor(private readonly stock: StockService) {}

  @EventPattern(Topics.InventoryReserve)
  reserve(@ValidPayload() message: ReserveStockMessage): Promise<void> {
    return this.stock.reserve(message);
  }

  @EventPattern(Topics.InventoryRelease)
  release(@ValidPayload() message: ReleaseStockMessage): Promise<void> {
    return this.stock.release(message);
  }
}
