import { Module } from '@nestjs/common';
import { StockController } from './stock.controller';
import { StockReservationsRepository } from './stock-reservations.repository';
import { StockService } from './stock.service';

@Module({
  controllers: [StockController],
  providers: [StockReservationsRepository, StockService],
})
export class StockModule {}
