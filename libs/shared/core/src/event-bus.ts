import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * The in-process event bus between bounded contexts: a lib publishes facts (a device changed
 * status, an inventory row changed) and other libs react, so the publisher needs no knowledge of
 * them. Each lib exports its topic names and payload types. Handlers run after the publisher's
 * transaction committed; a failing handler is logged and never breaks the publisher or other handlers.
 */
@Injectable()
export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  private readonly logger = new Logger('event-bus');

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  publish<T>(topic: string, payload: T): void {
    this.emitter.emit(topic, payload);
  }

  subscribe<T>(topic: string, handler: (payload: T) => void | Promise<void>): () => void {
    const wrapped = (payload: T) => {
      try {
        const result = handler(payload);
        if (result instanceof Promise) result.catch((err) => this.logger.error({ err, topic }, 'event handler failed'));
      } catch (err) {
        this.logger.error({ err, topic }, 'event handler failed');
      }
    };
    this.emitter.on(topic, wrapped);
    return () => this.emitter.off(topic, wrapped);
  }
}
