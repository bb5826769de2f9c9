import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { FlagReader, FlagsError, FlagsErrorCode, FLAG_NAME_PATTERN } from '@app/flags';
import { ofrepContext } from './ofrep-context';
import { OfrepError } from './ofrep-error';
import { ofrepSuccess, OfrepSuccess } from './ofrep.presenter';
import { OfrepBulkDoc, OfrepFailureDoc, OfrepRequestDoc, OfrepSuccessDoc } from './ofrep.docs';

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0): OpenFeature SDKs' OFREP providers
 * evaluate edgeflags' flags through this endpoint and the bulk one (OfrepBulkRoute, served by
 * Fastify alone). A presenter over the same evaluation as the REST reads. Errors take OFREP's
 * shapes (`sendHttpError`, through the app's error filter); reads obey CLIENT_TOKENS (Bearer or
 * X-API-Key).
 */
@Controller('ofrep/v1')
@ApiTags('OpenFeature (OFREP)')
@ApiSecurity('X-API-Key')
// The bulk evaluation's shapes, for its OpenAPI entry: the route is Fastify's (OfrepBulkRoute).
@ApiExtraModels(OfrepFailureDoc, OfrepBulkDoc, OfrepRequestDoc)
export class OfrepController {
  constructor(private readonly reader: FlagReader) {}

  @Post('evaluate/flags/:key')
  @HttpCode(200)
  @ApiOperation({ summary: 'Evaluate one flag for a context (server-side providers)' })
  @ApiBody({ type: OfrepRequestDoc })
  @ApiResponse({ status: 200, type: OfrepSuccessDoc })
  @ApiResponse({
    status: 400,
    type: OfrepFailureDoc,
    description: 'PARSE_ERROR or INVALID_CONTEXT',
  })
  @ApiResponse({ status: 401, description: 'No body (CLIENT_TOKENS set, no valid token)' })
  @ApiResponse({ status: 404, type: OfrepFailureDoc, description: 'FLAG_NOT_FOUND' })
  evaluate(@Param('key') key: string, @Body() body: unknown): OfrepSuccess | Promise<OfrepSuccess> {
    const context = ofrepContext(body, key);
    if (!FLAG_NAME_PATTERN.test(key)) throw OfrepError.notFound(key);
    // From memory when the flag is there at its current revision: no await, as for a REST check.
    const flag = this.reader.peek(key);
    if (flag !== undefined) return ofrepSuccess(flag, context);
    return this.reader.load(key).then(
      ({ flag }) => ofrepSuccess(flag, context),
      (error: unknown) => {
        throw notFoundAsOfrep(error, key);
      },
    );
  }
}

function notFoundAsOfrep(error: unknown, key: string): unknown {
  return error instanceof FlagsError && error.code === FlagsErrorCode.FlagNotFound
    ? OfrepError.notFound(key)
    : error;
}
