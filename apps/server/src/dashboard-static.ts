import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Paths the dashboard never answers: the API, probes, Prometheus and socket.io. */
const NOT_DASHBOARD = /^\/(api|health|metrics|socket\.io)(\/|$)/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NetDesk</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>NetDesk is running</h1>
<p>The dashboard has not been built. Run <code>npm run build</code> (or <code>npm run build:dashboard</code>)
in the NetDesk folder and reload this page.</p>
<p>The API is at <a href="/api/docs">/api/docs</a>.</p>
</body></html>`;

/**
 * Where `vite build` put the dashboard: `apps/dashboard/dist` at the repository root, found from this
 * file whether it runs compiled (`dist/apps/server/src`) or from source (ts-jest, `apps/server/src`).
 */
export function dashboardDistDir(): string {
  const candidates = [
    path.resolve(__dirname, '../../../../apps/dashboard/dist'),
    path.resolve(__dirname, '../../dashboard/dist'),
  ];
  return candidates.find((d) => fs.existsSync(d)) ?? candidates[0];
}

/**
 * Serves the built dashboard at `/`: hashed assets cached for good, `index.html` never cached, and
 * every other page path (a GET outside /api, /health, /metrics, /socket.io, without a file extension)
 * answered with `index.html` so the client-side router can take it.
 */
export function serveDashboard(app: NestExpressApplication, dir = dashboardDistDir()): void {
  const index = path.join(dir, 'index.html');
  app.useStaticAssets(dir, {
    index: false,
    redirect: false,
    setHeaders: (res, file) =>
      res.setHeader(
        'Cache-Control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_DASHBOARD.test(req.path) || path.extname(req.path)) {
      return next();
    }
    res.setHeader('Cache-Control', 'no-cache');
    if (!fs.existsSync(index)) {
      res.status(200).type('html').send(NOT_BUILT);
      return;
    }
    res.sendFile(index, (err) => err && next(err));
  });
}
