import { INestApplication } from '@nestjs/common';
import helmet from 'helmet';

/**
 * The security headers of every gateway answer (helmet): no MIME sniffing, no framing by other sites,
 * no referrer, HSTS, and a Content-Security-Policy that lets a page load only from the gateway itself.
 * Swagger UI at /docs works under it (its scripts and stylesheet are files of the gateway); the pages
 * with inline code of their own (the dashboard, the AsyncAPI page) send a stricter policy of their own,
 * which replaces this one.
 */
export function setUpSecurityHeaders(app: INestApplication): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // TLS ends before the gateway (the Ingress): an upgrade would break plain-HTTP development.
          upgradeInsecureRequests: null,
          frameAncestors: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
    }),
  );
}
