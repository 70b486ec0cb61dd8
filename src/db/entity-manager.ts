import { SqlEntityManager } from '@mikro-orm/sql';
import { explainConstraintError } from './constraint-errors.ts';

/**
 * The unit of work. `flush()` commits every pending change in one transaction, or
 * none; a unique-constraint violation comes out as a DomainError that names the
 * field ("username already taken") instead of a driver exception.
 */
export class MicroblogEntityManager extends SqlEntityManager {
  override async flush(): Promise<void> {
    try {
      await super.flush();
    } catch (error) {
      throw explainConstraintError(error);
    }
  }
}
