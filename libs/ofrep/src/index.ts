export { OfrepModule } from './ofrep.module';
export { isOfrepRequest, ofrepErrorResponse } from './ofrep-error';
export { OfrepBulkRoute, OFREP_BULK_PATH } from './ofrep-bulk.route';
export { documentOfrepBulk } from './ofrep.docs';
