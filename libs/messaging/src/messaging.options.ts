export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** The service name: its consumer group, its inbox consumer and the prefix of its client ids. */
  service: string;
}
