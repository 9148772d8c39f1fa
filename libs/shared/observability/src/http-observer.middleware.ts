import { Injectable, Logger, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every request into the latency histogram (labelled by route pattern, not raw path) and logs it
 * with its request id; the path only, never the query string (it may carry secrets).
 */
@Injectable()
export class HttpObserverMiddleware implements NestMiddleware {
  private readonly logger = new Logger('http');

  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      this.metrics.httpDuration.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      if (req.path !== '/health' && req.path !== '/metrics') {
        this.logger.log(
          {
            requestId: (req as Request & { id?: string }).id,
            method: req.method,
            path: req.path,
            status: res.statusCode,
            ms: Math.round(seconds * 1e4) / 10,
            ip: req.ip,
          },
          'request',
        );
      }
    });
    next();
  }
}
