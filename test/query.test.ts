// parseQuery keeps one zod object per set of field schemas (routes pass a fresh literal on every
// request): a kept object must never validate a query against another route's schemas.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { asOfParam, limitParam, parseQuery, QueryError } from '../web/query.js';

const rejects = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(QueryError);
    return (e as QueryError).json().status === 400 ? 'rejected' : 'other';
  }
  return 'accepted';
};

describe('parseQuery', () => {
  it('validates each call against its own schemas, though the field names are the same', () => {
    const asDate = () => ({ x: asOfParam });
    const asLimit = () => ({ x: limitParam });
    for (let i = 0; i < 3; i++) {
      expect(parseQuery({ x: '2024-01-31' }, asDate())).toEqual({ x: '2024-01-31' });
      expect(rejects(() => parseQuery({ x: '2024-01-31' }, asLimit()))).toBe('rejected');
      expect(parseQuery({ x: '5' }, asLimit())).toEqual({ x: 5 });
      expect(rejects(() => parseQuery({ x: '5' }, asDate()))).toBe('rejected');
    }
    // A schema built inline on every call is still applied.
    expect(rejects(() => parseQuery({ x: 'a' }, { x: z.string().min(2).optional() }))).toBe('rejected');
    expect(parseQuery({ x: 'ab' }, { x: z.string().min(2).optional() })).toEqual({ x: 'ab' });
  });

  it('names an unknown parameter in strict mode, ignores it otherwise, and treats an empty value as not given', () => {
    expect(rejects(() => parseQuery({ y: '1' }, { x: limitParam }, 'strict'))).toBe('rejected');
    expect(parseQuery({ y: '1', x: '2' }, { x: limitParam })).toEqual({ x: 2 });
    expect(parseQuery({ x: '' }, { x: limitParam })).toEqual({});
  });
});
