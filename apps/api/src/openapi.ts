import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentOfrepBulk, OFREP_BULK_PATH } from '@app/ofrep';

/** OpenAPI at /docs (UI) and /docs-json, generated from the controllers and DTOs. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('edgeflags')
    .setDescription(
      'Feature flags answered from an edge cache. Reads are open unless CLIENT_TOKENS is set; ' +
        'every call that changes state needs an admin token (Authorization: Bearer <token>). ' +
        '`_cache` says where an answer came from: hit (a cache), miss (loaded from PostgreSQL), stale (last known data while PostgreSQL is down).',
    )
    .setVersion('1')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKENS / ADMIN_TOKEN' },
      'admin',
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'CLIENT_TOKENS (when set)' },
      'client',
    )
    .build();
  const document = () =>
    documentOfrepBulk(SwaggerModule.createDocument(app, config), OFREP_BULK_PATH);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
  });
}
