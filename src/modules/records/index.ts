// The records module's public door: any registered record by type and id (title, web route) and the open work
// about it, plus the catalog of domain event types. The registry itself is platform/records.
export { recordsRoutes } from './records.routes.ts';
