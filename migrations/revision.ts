export { Revision } from '../src/db/migrations/revision.ts';
