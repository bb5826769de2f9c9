import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { EnvSchema } from './app-config';

/**
 * docs/configuration.md against the schema: every variable the service reads has a row, every
 * row names a variable it reads, and a documented default is the schema's. So the table cannot
 * drift from the code it describes.
 */
const DOC = join(__dirname, '../../../docs/configuration.md');

interface Row {
  names: string[];
  defaults: string;
}

/** The table's rows: first cell lists `VARIABLE`s, second cell their defaults. */
function documentedRows(markdown: string): Row[] {
  const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  return markdown
    .split('\n')
    .filter((line) => /^\|\s*`[A-Z][A-Z0-9_]*`/.test(line))
    .map((line) => {
      const [, names, defaults] = line.split('|');
      return { names: ticked(names), defaults: defaults.trim() };
    });
}

/** Every property of the schema, read from its validation decorators (each has at least one). */
function schemaVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvSchema, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

describe('docs/configuration.md', () => {
  const rows = documentedRows(readFileSync(DOC, 'utf8'));
  const defaults = new EnvSchema() as unknown as Record<string, unknown>;

  it('documents exactly the variables the config schema reads', () => {
    const documented = rows.flatMap((r) => r.names).sort();
    expect(documented).toEqual(schemaVariables().sort());
  });

  it('gives each variable the default the schema has', () => {
    expect(rows.length).toBeGreaterThan(10);
    for (const { names, defaults: cell } of rows) {
      const fromSchema = names.map((n) => defaults[n]);
      const context = `row ${names.join(', ')}: "${cell}"`;
      if (fromSchema.every((d) => d === undefined)) {
        // No default: the service does without (or picks at start); the cell says what happens.
        expect([context, /^(unset|–)/.test(cell)]).toEqual([context, true]);
      } else {
        const documented = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
        expect([context, documented]).toEqual([context, fromSchema.map(String)]);
      }
    }
  });
});
