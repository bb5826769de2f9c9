// A Stryker ignorer: leaves the OpenAPI decorators (@ApiProperty, @ApiOkResponse...) unmutated.
// They only describe the API for /docs; the e2e suite checks that document (field names,
// parameters, security), and the unit tests Stryker runs cannot see it, so every mutant in them
// would survive without saying anything about the code.
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'openapi-docs', {
    shouldIgnore(path) {
      if (!path.isDecorator()) return undefined;
      const expression = path.node.expression;
      const callee = expression.type === 'CallExpression' ? expression.callee : expression;
      return callee.type === 'Identifier' && /^Api[A-Z]/.test(callee.name)
        ? 'OpenAPI documentation: checked by the e2e suite through /docs-json'
        : undefined;
    },
  }),
];
