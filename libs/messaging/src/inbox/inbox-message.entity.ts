import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A message a consumer has handled; recorded in the same transaction as the handler's effect. */
@Entity({ name: 'inbox_message' })
export class InboxMessageEntity {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @PrimaryColumn({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ name: 'handled_at', type: 'timestamptz' })
  handledAt: Date;
}
