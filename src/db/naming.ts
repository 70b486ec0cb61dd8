import { UnderscoreNamingStrategy } from '@mikro-orm/core';

type IndexKind = Parameters<UnderscoreNamingStrategy['indexName']>[2];

/**
 * Snake_case tables and columns (MikroORM's default), with indexes named the way
 * Alembic names them (`ix_<table>_<columns>`), so a schema carried over from the
 * Flask Microblog keeps its index names and the migration log reads the same.
 */
export class MicroblogNamingStrategy extends UnderscoreNamingStrategy {
  override indexName(tableName: string, columns: string[], type: IndexKind): string {
    if (type === 'index' || type === 'unique') {
      const table = tableName.split('.').pop() ?? tableName;
      return `ix_${table}_${columns.join('_')}`;
    }
    return super.indexName(tableName, columns, type);
  }
}
