import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Swagger UI at /docs, the OpenAPI JSON at /docs-json. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Orderflow API')
    .setDescription(
      'Orders, products, customers and notifications. Amounts are integer cents. ' +
        'Every response carries X-Request-Id; a 504 means the request may still take effect. ' +
        'Every route but the probes needs an OpenID Connect bearer token (docs/security.md).',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
}
