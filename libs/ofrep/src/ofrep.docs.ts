import {
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
  type OpenAPIObject,
} from '@nestjs/swagger';

// OpenAPI shapes of OFREP's bodies (the protocol's own schema names in the descriptions).

export class OfrepRequestDoc {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { targetingKey: 'user-123', country: 'DE', plan: 'pro' },
    description:
      '`targetingKey` is the user id; other string, number and boolean values are attributes',
  })
  context!: Record<string, unknown>;
}

export class OfrepSuccessDoc {
  @ApiProperty() key!: string;
  @ApiProperty({ description: 'boolean, string, number or object, as the flag type says' })
  value!: unknown;
  @ApiProperty({ enum: ['DISABLED', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'STATIC'] })
  reason!: string;
  @ApiProperty() variant!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    description: 'The flag’s metadata (string, number and boolean values only) and its revision',
  })
  metadata!: Record<string, string | number | boolean>;
}

export class OfrepFailureDoc {
  @ApiPropertyOptional() key?: string;
  @ApiProperty({ enum: ['PARSE_ERROR', 'INVALID_CONTEXT', 'FLAG_NOT_FOUND', 'GENERAL'] })
  errorCode!: string;
  @ApiProperty() errorDetails!: string;
}

/** OFREP 0.3.0 `eventStream` (ADR 0008), as edgeflags fills it. */
export class OfrepEventStreamDoc {
  @ApiProperty({ example: 'sse' }) type!: string;
  @ApiProperty({
    example: { requestUri: '/events/ofrep?token=1764300000.abc' },
    description:
      'Joined to the origin the provider is configured with; the token (only when CLIENT_TOKENS is set) opens the stream for 10-15 minutes',
  })
  endpoint!: { requestUri: string };
}

export class OfrepBulkDoc {
  @ApiProperty({ type: [OfrepSuccessDoc] }) flags!: OfrepSuccessDoc[];
  @ApiProperty({ type: [OfrepEventStreamDoc] }) eventStreams!: OfrepEventStreamDoc[];
}

/**
 * The bulk evaluation's OpenAPI entry. Its route is Fastify's (OfrepBulkRoute), which Nest's
 * document generator does not see; the schemas are registered by OfrepController.
 */
export function documentOfrepBulk(document: OpenAPIObject, path: string): OpenAPIObject {
  const json = (model: { name: string }) => ({
    'application/json': { schema: { $ref: getSchemaPath(model.name) } },
  });
  document.paths[path] = {
    post: {
      operationId: 'OfrepBulkRoute_handle',
      summary:
        'Evaluate every live flag for a context (client-side providers); ETag / If-None-Match',
      tags: ['OpenFeature (OFREP)'],
      security: [{ 'X-API-Key': [] }],
      parameters: [
        { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
      ],
      requestBody: { required: true, content: json(OfrepRequestDoc) },
      responses: {
        '200': {
          description: 'The answers, with the ETag a later If-None-Match sends back',
          headers: { ETag: { schema: { type: 'string' } } },
          content: json(OfrepBulkDoc),
        },
        '304': { description: 'No answer for this context changed since the ETag' },
        '400': { description: 'PARSE_ERROR or INVALID_CONTEXT', content: json(OfrepFailureDoc) },
        '401': { description: 'No body (CLIENT_TOKENS set, no valid token)' },
      },
    },
  };
  return document;
}
