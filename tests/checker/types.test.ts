import { describe, expect, it } from 'vitest';
import type { EnumInfo } from '../../compiler/model.js';
import { describeType, isNamedValueType, isOrdered, sameType, T, typeName, type Type } from '../../compiler/types.js';

const levels: EnumInfo = { name: 'job_level', owner: undefined, members: [], byName: new Map() };
const other: EnumInfo = { name: 'kind', owner: undefined, members: [], byName: new Map() };
const levelType: Type = { kind: 'enum', info: levels };

describe('the type lattice', () => {
  it('compares types structurally, enumerations by identity', () => {
    expect(sameType(T.number, T.number)).toBe(true);
    expect(sameType(T.number, T.text)).toBe(false);
    expect(sameType(T.number, T.percent)).toBe(false);
    expect(sameType(levelType, { kind: 'enum', info: levels })).toBe(true);
    expect(sameType(levelType, { kind: 'enum', info: other })).toBe(false);
    expect(sameType(T.listOfText, { kind: 'list', item: T.text })).toBe(true);
    expect(sameType(T.listOfText, T.text)).toBe(false);
  });

  it('lets the unknown type (after an error) match anything', () => {
    for (const t of [T.number, T.text, levelType, T.listOfText]) {
      expect(sameType(T.unknown, t)).toBe(true);
      expect(sameType(t, T.unknown)).toBe(true);
    }
  });

  it('orders numbers, dates and stages, not texts, booleans or enumerations', () => {
    expect(isOrdered(T.number)).toBe(true);
    expect(isOrdered(T.date)).toBe(true);
    expect(isOrdered(T.stage)).toBe(true);
    expect(isOrdered(T.text)).toBe(false);
    expect(isOrdered(T.bool)).toBe(false);
    expect(isOrdered(levelType)).toBe(false);
    expect(isOrdered(T.content)).toBe(false);
  });

  it('knows which types take bare names as values', () => {
    expect([levelType, T.stage, T.content, T.channel, T.topic].every(isNamedValueType)).toBe(true);
    expect([T.text, T.number, T.bool, T.listOfText].some(isNamedValueType)).toBe(false);
  });

  it('names types for messages', () => {
    expect(typeName(T.listOfText)).toBe('list of text');
    expect(describeType(T.number)).toBe('a number');
    expect(describeType(T.bool)).toBe('a bool');
    expect(describeType(levelType)).toBe('a member of `job_level`');
  });
});
