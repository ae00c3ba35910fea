/** The pattern syntax: what parses, what does not, and what a parameter accepts. */
import { isPatternProblem, paramAccepts, parsePattern, segmentRank } from './pattern.ts';
import type { SegmentMatcher } from './pattern.ts';

type Param = Extract<SegmentMatcher, { kind: 'param' }>;

describe('parsePattern', () => {
  it.each([
    ['/', [], '/'],
    ['/mtc.js', [{ kind: 'literal', value: 'mtc.js' }], '/=mtc.js'],
    ['/r/{redirectId}', [{ kind: 'literal', value: 'r' }, { kind: 'param', name: 'redirectId', digits: false, suffix: '' }], '/=r/{any}'],
    ['/email/{idHash}.gif', [{ kind: 'literal', value: 'email' }, { kind: 'param', name: 'idHash', digits: false, suffix: '.gif' }], '/=email/{any}.gif'],
    ['/api/emails/{id:digits}/send', [
      { kind: 'literal', value: 'api' }, { kind: 'literal', value: 'emails' },
      { kind: 'param', name: 'id', digits: true, suffix: '' }, { kind: 'literal', value: 'send' },
    ], '/=api/=emails/{digits}/=send'],
  ])('parses %s', (source, segments, shape) => {
    expect(parsePattern(source)).toEqual({ source, segments, shape });
  });

  it('gives two patterns that differ only in parameter names the same shape', () => {
    const a = parsePattern('/r/{redirectId}');
    const b = parsePattern('/r/{id}');
    expect(!isPatternProblem(a) && !isPatternProblem(b) && a.shape === b.shape).toBe(true);
  });

  it.each([
    ['', 'must start with "/"'],
    ['r/{id}', 'must start with "/"'],
    ['/r/', 'segment 2 is empty'],
    ['/r/{id}/{id}', 'uses parameter {id} twice'],
    ['/r/{id}{x}', 'suffix "{x}" has a character outside'],
    ['/r/{1id}', 'is not a literal nor {name}'],
    ['/r/a b', 'has a character outside'],
    ['/r/?x', 'has a character outside'],
  ])('rejects %j', (source, problem) => {
    const parsed = parsePattern(source);
    expect(isPatternProblem(parsed) && parsed.problems.some((p) => p.includes(problem))).toBe(true);
  });

  it('reports every bad segment of one pattern', () => {
    const parsed = parsePattern('/{a}//..');
    expect(isPatternProblem(parsed) ? parsed.problems : []).toEqual([
      'pattern "/{a}//.." segment 1 must be a literal (patterns are indexed by their first segment)',
      'pattern "/{a}//.." segment 2 is empty (no "//" and no trailing "/")',
      'pattern "/{a}//.." segment 3 is a dot segment',
    ]);
  });
});

describe('paramAccepts', () => {
  const any: Param = { kind: 'param', name: 'x', digits: false, suffix: '' };
  const gif: Param = { kind: 'param', name: 'x', digits: false, suffix: '.gif' };
  const digits: Param = { kind: 'param', name: 'x', digits: true, suffix: '' };
  const digitsJs: Param = { kind: 'param', name: 'x', digits: true, suffix: '.js' };

  it.each([
    [any, 'abc', true],
    [any, 'a.b;c=d', true],
    [gif, 'abc.gif', true],
    [gif, '.gif', false], // the value needs at least one character
    [gif, 'a.b.gif', false], // [^/.]+ before .gif, docs/mautic/public-http.md §1.5
    [gif, 'abc.gifx', false],
    [gif, 'abc', false],
    [digits, '0123', true],
    [digits, '12a', false],
    [digits, '-1', false],
    [digitsJs, '12.js', true],
    [digitsJs, 'a.js', false],
  ])('%o accepts %j: %s', (matcher, segment, expected) => {
    expect(paramAccepts(segment, matcher)).toBe(expected);
  });
});

describe('segmentRank', () => {
  it('orders literal < parameter with suffix < digits < any', () => {
    const ranks = [
      { kind: 'literal', value: 'submit' },
      { kind: 'param', name: 'x', digits: true, suffix: '.js' },
      { kind: 'param', name: 'x', digits: false, suffix: '.js' },
      { kind: 'param', name: 'x', digits: true, suffix: '' },
      { kind: 'param', name: 'x', digits: false, suffix: '' },
    ].map((s) => segmentRank(s as SegmentMatcher));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
  });
});
