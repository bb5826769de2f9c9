export { OfrepModule } from './ofrep.module';
export { isOfrepRequest, ofrepErrorResponse } from './ofrep-error';
