import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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
