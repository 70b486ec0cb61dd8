/** Splits MikroORM's generated SQL into statements, keeping `;` inside string literals. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let buffer = '';
  for (const chunk of sql.split(/;\n/)) {
    buffer += (buffer ? ';\n' : '') + chunk;
    if (buffer.split("'").length % 2 === 0) continue;
    const statement = buffer.trim();
    if (statement) statements.push(statement.endsWith(';') ? statement : `${statement};`);
    buffer = '';
  }
  return statements;
}
