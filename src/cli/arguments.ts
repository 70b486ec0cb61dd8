import { DomainError } from '../errors.ts';

/** Parses a whole number in [min, max]; anything else is a one-line user error. */
export function parseWhole(text: string, what: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (value >= min && value <= max) return value;
  const range = `from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
  throw new DomainError(`${what} must be a whole number ${range}, not "${text}"`);
}
