/**
 * RFC 9651 (Structured Field Values for HTTP) parsing, table-driven. The cases follow the
 * structure of the httpwg structured-field-tests corpus (https://github.com/httpwg/structured-field-tests):
 * one row per behaviour the RFC's parsing algorithms (§4.2) pin down, written from the RFC text.
 * A `FAIL` row must not parse; a row whose result the RFC leaves to the parser (a SHOULD) says
 * which choice is made here. Several field lines are joined with ", " before parsing, as
 * `getHeader` does.
 */
import { describe, expect, it } from 'vitest'
import {
  parseStructuredDictionary,
  parseStructuredItem,
  parseStructuredList,
  type SfBareItem,
  type SfMember,
} from './parseStructuredField.ts'

type Plain = unknown
const FAIL = 'FAIL' as const

const dec = (value: number) => ({ decimal: value })
const token = (value: string) => ({ token: value })
const bytes = (hex: string) => ({ bytes: hex })
const date = (seconds: number) => ({ date: seconds })
const display = (value: string) => ({ display: value })

/**
 * The corpus's JSON shape: an item is [bare, params], an inner list [[items], params], params
 * [[key, bare]]. Unlike the corpus, a decimal is told from an integer (`{ decimal: 1 }` vs `1`).
 */
function plainBare(item: SfBareItem): Plain {
  switch (item.kind) {
    case 'integer':
    case 'string':
    case 'boolean':
      return item.value
    case 'decimal':
      return dec(item.value)
    case 'token':
      return token(item.value)
    case 'bytes':
      return bytes(Array.from(item.value, (b) => b.toString(16).padStart(2, '0')).join(''))
    case 'date':
      return date(item.value)
    case 'displayString':
      return display(item.value)
  }
}

function plainParams(params: ReadonlyMap<string, SfBareItem>): Plain {
  return Array.from(params, ([key, value]) => [key, plainBare(value)])
}

function plainMember(member: SfMember): Plain {
  return member.kind === 'item'
    ? [plainBare(member.item), plainParams(member.params)]
    : [member.items.map(plainMember), plainParams(member.params)]
}

type Row = readonly [name: string, raw: string | readonly string[], expected: Plain]

const joined = (raw: string | readonly string[]): string => (typeof raw === 'string' ? raw : raw.join(', '))

function checkItem([, raw, expected]: Row): void {
  const parsed = parseStructuredItem(joined(raw))
  if (expected === FAIL) expect(parsed).toBeUndefined()
  else expect(parsed && plainMember(parsed)).toEqual(expected)
}

function checkList([, raw, expected]: Row): void {
  const parsed = parseStructuredList(joined(raw))
  if (expected === FAIL) expect(parsed).toBeUndefined()
  else expect(parsed?.map(plainMember)).toEqual(expected)
}

function checkDictionary([, raw, expected]: Row): void {
  const parsed = parseStructuredDictionary(joined(raw))
  if (expected === FAIL) expect(parsed).toBeUndefined()
  else expect(parsed && Array.from(parsed, ([key, member]) => [key, plainMember(member)])).toEqual(expected)
}

describe('RFC 9651 §4.2.3 items: whitespace around a top-level item', () => {
  it.each<Row>([
    ['empty item', '', FAIL],
    ['leading tab', ' \t 1', FAIL],
    ['trailing tab', '1 \t ', FAIL],
    ['spaces around', '  1  ', [1, []]],
    ['two items', '1, 2', FAIL],
    [
      'parameters',
      '1; a; b=?0',
      [
        1,
        [
          ['a', true],
          ['b', false],
        ],
      ],
    ],
    ['string parameter', '2; foourl="https://foo.example.com/"', [2, [['foourl', 'https://foo.example.com/']]]],
    ['parameter key starting with *', '1;*x=2', [1, [['*x', 2]]]],
    ['parameter key with every key character', '1;a0_-.*=2', [1, [['a0_-.*', 2]]]],
    ['upper-case parameter key', '1;A=2', FAIL],
    ['parameter key starting with a digit', '1;0a=2', FAIL],
    ['space before a parameter', '1 ;a=2', FAIL],
    ['a parameter without a key', '1;', FAIL],
    ['a parameter whose value does not parse', '1;a=?', FAIL],
    ['a character that starts no bare item', '!"foo"', FAIL],
    ['an integer then a decimal point and no digit', '7;a=1.', FAIL],
  ])('%s', (...row) => checkItem(row))
})

describe('RFC 9651 §4.2.4 integers and decimals', () => {
  it.each<Row>([
    ['basic integer', '42', [42, []]],
    ['zero', '0', [0, []]],
    ['negative zero', '-0', [0, []]],
    ['double negative', '--0', FAIL],
    ['negative integer', '-42', [-42, []]],
    ['leading zero', '042', [42, []]],
    ['leading zero, negative', '-042', [-42, []]],
    ['comma', '2,3', FAIL],
    ['negative, non-digit first', '-a23', FAIL],
    ['sign out of place', '4-2', FAIL],
    ['space after sign', '- 42', FAIL],
    ['15 digits', '123456789012345', [123456789012345, []]],
    ['15 digits, negative', '-123456789012345', [-123456789012345, []]],
    ['16 digits', '1234567890123456', FAIL],
    ['16 digits, negative', '-1234567890123456', FAIL],
    ['simple decimal', '1.23', [dec(1.23), []]],
    ['negative decimal', '-1.23', [dec(-1.23), []]],
    ['space after the point', '1. 23', FAIL],
    ['space before the point', '1 .23', FAIL],
    ['12 integer digits', '123456789012.1', [dec(123456789012.1), []]],
    ['13 integer digits', '1234567890123.0', FAIL],
    ['13 integer digits, negative', '-1234567890123.0', FAIL],
    ['two points', '1.5.4', FAIL],
    ['adjacent points', '1..4', FAIL],
    ['three fraction digits', '1.123', [dec(1.123), []]],
    ['three fraction digits, negative', '-1.123', [dec(-1.123), []]],
    ['no fraction digit', '1.', FAIL],
    ['four fraction digits', '1.1234', FAIL],
    ['a point first', '.5', FAIL],
    ['a point after the sign', '-.5', FAIL],
    ['insignificant zeros', '1.200', [dec(1.2), []]],
  ])('%s', (...row) => checkItem(row))

  it.each<Row>([
    [
      '15 digits followed by a comma',
      '123456789012345, 1',
      [
        [123456789012345, []],
        [1, []],
      ],
    ],
    ['16 digits followed by a comma', '1234567890123456, 1', FAIL],
    [
      'a long decimal followed by a comma',
      '123456789012.123, 1.1',
      [
        [dec(123456789012.123), []],
        [dec(1.1), []],
      ],
    ],
  ])('%s', (...row) => checkList(row))
})

describe('RFC 9651 §4.2.5 strings', () => {
  it.each<Row>([
    ['basic string', '"foo bar"', ['foo bar', []]],
    ['empty string', '""', ['', []]],
    ['spaces only', '"   "', ['   ', []]],
    ['non-ASCII', '"füü"', FAIL],
    ['a tab', '"\t"', FAIL],
    ['a newline', '" \n "', FAIL],
    ['a DEL', '"\u007f"', FAIL],
    ['single quotes', "'foo'", FAIL],
    ['unbalanced', '"foo', FAIL],
    ['escaped quote and backslash', '"foo \\"bar\\" \\\\ baz"', ['foo "bar" \\ baz', []]],
    ['any other escape', '"foo \\,"', FAIL],
    ['an escaped closing quote', '"foo \\"', FAIL],
    ['a backslash at the end', '"foo \\', FAIL],
    ['two field lines', ['"foo', 'bar"'], ['foo, bar', []]],
  ])('%s', (...row) => checkItem(row))
})

describe('RFC 9651 §4.2.6 tokens and §4.2.8 booleans', () => {
  it.each<Row>([
    ['every token character', "a_b-c.d3:f%00/*!#$&'+^`|~", [token("a_b-c.d3:f%00/*!#$&'+^`|~"), []]],
    ['capitals', 'FooBar', [token('FooBar'), []]],
    ['starting with *', '*foo', [token('*foo'), []]],
    ['a character outside tchar', 'foo"bar', FAIL],
    ['true', '?1', [true, []]],
    ['false', '?0', [false, []]],
    ['unknown boolean', '?Q', FAIL],
    ['space after ?', '? 1', FAIL],
    ['spelled out', '?True', FAIL],
    ['prefix only', '?', FAIL],
  ])('%s', (...row) => checkItem(row))
})

describe('RFC 9651 §4.2.7 byte sequences (issue 14, defect 9)', () => {
  it.each<Row>([
    ['basic', ':aGVsbG8=:', [bytes('68656c6c6f'), []]],
    ['empty', '::', [bytes(''), []]],
    ['two padding characters', ':aGk=:', [bytes('6869'), []]],
    ['a whole quantum', ':aGVs:', [bytes('68656c'), []]],
    ['padding first', ':=aGVsbG8=:', FAIL],
    ['padding in the middle', ':a=GVsbG8=:', FAIL],
    ['padding alone', ':=:', FAIL],
    ['too much padding', ':aGVsbG8==:', FAIL],
    ['padding that does not complete the quantum', ':aGVsbA=:', FAIL],
    ['one character', ':a:', FAIL],
    // RFC 9651 §4.2.7: parsers SHOULD NOT fail when "=" padding is missing; accepted here.
    ['missing padding', ':aGVsbG8:', [bytes('68656c6c6f'), []]],
    // …nor on non-zero pad bits; accepted here, the extra bits dropped.
    ['non-zero pad bits', ':iZ==:', [bytes('89'), []]],
    ['a dot', ':aGVsbG8.:', FAIL],
    ['no end delimiter', ':aGVsbG8=', FAIL],
    ['inner space', ':aGVsb G8=:', FAIL],
    ['spaces only', ':    :', FAIL],
    ['a character outside base64', ':aGVsbG!8=:', FAIL],
    ['a character after the padding', ':aGVsbG8=!:', FAIL],
    ['the whole alphabet', ':/+Ah:', [bytes('ffe021'), []]],
    ['base64url', ':_-Ah:', FAIL],
    ['prefix only', ':', FAIL],
  ])('%s', (...row) => checkItem(row))
})

describe('RFC 9651 §4.2.9 dates (issue 14, defect 9)', () => {
  it.each<Row>([
    ['the epoch', '@0', [date(0), []]],
    ['2022-08-04', '@1659578233', [date(1659578233), []]],
    ['before the epoch', '@-1659578233', [date(-1659578233), []]],
    ['past 2^32', '@4294967296', [date(4294967296), []]],
    ['the largest 15 digits', '@999999999999999', [date(999999999999999), []]],
    ['16 digits', '@1000000000000000', FAIL],
    ['16 digits, negative', '@-1000000000000000', FAIL],
    ['negative zero', '@-0', [date(0), []]],
    ['a decimal', '@1659578233.12', FAIL],
    ['empty', '@', FAIL],
    ['sign only', '@-', FAIL],
    ['a space', '@ 12345678', FAIL],
    ['not a number', '@abc', FAIL],
    ['with parameters', '@1700000000;tz=utc', [date(1700000000), [['tz', token('utc')]]]],
  ])('%s', (...row) => checkItem(row))
})

describe('RFC 9651 §4.2.10 display strings (issue 14, defect 9)', () => {
  it.each<Row>([
    ['ASCII', '%"foo bar"', [display('foo bar'), []]],
    [
      'every printable ASCII character',
      '%" !%22#$%25&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"',
      [
        display(' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'),
        [],
      ],
    ],
    ['lower-case escapes of UTF-8', '%"f%c3%bc%c3%bc"', [display('füü'), []]],
    ['upper-case escapes', '%"f%C3%BC%C3%BC"', FAIL],
    ['unescaped non-ASCII', '%"füü"', FAIL],
    ['a tab', '%"\t"', FAIL],
    ['a newline', '%"\n"', FAIL],
    ['single quotes', "%'foo'", FAIL],
    ['no quotes', '%foo', FAIL],
    ['no opening quote', '%foo"', FAIL],
    ['unbalanced', '%"foo', FAIL],
    ['a backslash is a plain character', '%"foo %22bar%22 \\ baz"', [display('foo "bar" \\ baz'), []]],
    ['an escape cut short', '%"foo %a', FAIL],
    ['an escape of one digit', '%"%a"', FAIL],
    ['an escape of no digit', '%"%"', FAIL],
    ['not hex', '%"%g0%1w"', FAIL],
    ['invalid 2-byte UTF-8', '%"%c3%28"', FAIL],
    ['a continuation byte first', '%"%a0%a1"', FAIL],
    ['invalid 3-byte UTF-8', '%"%e2%28%a1"', FAIL],
    ['invalid 4-byte UTF-8', '%"%f0%28%8c%28"', FAIL],
    ['an over-long encoding', '%"%c0%af"', FAIL],
    ['a byte order mark inside', '%"BOM: %ef%bb%bf"', [display('BOM: \ufeff'), []]],
    ['a byte order mark first, kept', '%"%ef%bb%bfx"', [display('\ufeffx'), []]],
    ['an ASCII character escaped', '%"%61"', [display('a'), []]],
    ['two field lines', ['%"foo', 'bar"'], [display('foo, bar'), []]],
  ])('%s', (...row) => checkItem(row))
})

describe('RFC 9651 §4.2.1 lists', () => {
  it.each<Row>([
    [
      'basic',
      '1, 42',
      [
        [1, []],
        [42, []],
      ],
    ],
    ['empty', '', []],
    ['spaces only', '   ', []],
    [
      'leading spaces',
      '  42, 43',
      [
        [42, []],
        [43, []],
      ],
    ],
    [
      'no whitespace',
      '1,42',
      [
        [1, []],
        [42, []],
      ],
    ],
    [
      'spaces around the comma',
      '1 , 42',
      [
        [1, []],
        [42, []],
      ],
    ],
    [
      'tabs around the comma',
      '1\t,\t42',
      [
        [1, []],
        [42, []],
      ],
    ],
    [
      'trailing whitespace',
      '1, 42 \t',
      [
        [1, []],
        [42, []],
      ],
    ],
    [
      'two field lines',
      ['1', '42'],
      [
        [1, []],
        [42, []],
      ],
    ],
    ['a trailing comma', '1, 42,', FAIL],
    ['an empty member', '1,,42', FAIL],
    ['an empty field line among others', ['1', '', '42'], FAIL],
    ['two items without a comma', '1 2', FAIL],
    [
      'every bare item type',
      '1, 2.5, "s", t, :aGk=:, ?0, @1, %"d"',
      [
        [1, []],
        [dec(2.5), []],
        ['s', []],
        [token('t'), []],
        [bytes('6869'), []],
        [false, []],
        [date(1), []],
        [display('d'), []],
      ],
    ],
  ])('%s', (...row) => checkList(row))
})

describe('RFC 9651 §4.2.3.2 parameters', () => {
  it.each<Row>([
    [
      'several, one without a value',
      'abc_123;a=1;b=2; cdef_456, ghi;q=9;r="+w"',
      [
        [
          token('abc_123'),
          [
            ['a', 1],
            ['b', 2],
            ['cdef_456', true],
          ],
        ],
        [
          token('ghi'),
          [
            ['q', 9],
            ['r', '+w'],
          ],
        ],
      ],
    ],
    ['a decimal value', 'text/html;q=1.0', [[token('text/html'), [['q', dec(1)]]]]],
    [
      'a value-less parameter first',
      'text/html;a;q=1.0',
      [
        [
          token('text/html'),
          [
            ['a', true],
            ['q', dec(1)],
          ],
        ],
      ],
    ],
    ['space before =', 'text/html, text/plain;q =0.5', FAIL],
    ['space after =', 'text/html, text/plain;q= 0.5', FAIL],
    ['space before ;', 'text/html, text/plain ;q=0.5', FAIL],
    ['spaces after ;', 'text/html;  q=0.5', [[token('text/html'), [['q', dec(0.5)]]]]],
    [
      'a repeated key keeps its first place and its last value',
      'a;b=1;c=2;b=3',
      [
        [
          token('a'),
          [
            ['b', 3],
            ['c', 2],
          ],
        ],
      ],
    ],
    ['a trailing semicolon', 'a;b=1;', FAIL],
    ['a trailing semicolon and space', 'a;b=1; ', FAIL],
    ['an empty key', 'a;=1', FAIL],
    ['prefix only', 'a;', FAIL],
    ['an inner list as a value', 'a;b=(1)', FAIL],
    [
      'every bare item type as a value',
      'a;i=1;d=2.5;s="s";t=t;b=:aGk=:;f=?0;at=@1;ds=%"d"',
      [
        [
          token('a'),
          [
            ['i', 1],
            ['d', dec(2.5)],
            ['s', 's'],
            ['t', token('t')],
            ['b', bytes('6869')],
            ['f', false],
            ['at', date(1)],
            ['ds', display('d')],
          ],
        ],
      ],
    ],
  ])('%s', (...row) => checkList(row))
})

describe('RFC 9651 §4.2.1.2 inner lists', () => {
  it.each<Row>([
    [
      'two inner lists',
      '(1 2), (42 43)',
      [
        [
          [
            [1, []],
            [2, []],
          ],
          [],
        ],
        [
          [
            [42, []],
            [43, []],
          ],
          [],
        ],
      ],
    ],
    ['one item', '(42)', [[[[42, []]], []]]],
    ['empty', '()', [[[], []]]],
    [
      'an empty one in the middle',
      '(1),(),(42)',
      [
        [[[1, []]], []],
        [[], []],
        [[[42, []]], []],
      ],
    ],
    [
      'extra spaces',
      '(  1  42  )',
      [
        [
          [
            [1, []],
            [42, []],
          ],
          [],
        ],
      ],
    ],
    ['a tab inside', '(1\t 42)', FAIL],
    ['no closing parenthesis', '(1 42', FAIL],
    ['no closing parenthesis, mid-list', '(1 2, (42 43)', FAIL],
    ['items without spaces', '(abc"def"?0123*dXZ3*xyz)', FAIL],
    ['an opening parenthesis only', '(', FAIL],
    ['nested', '((1))', FAIL],
    ['a dictionary member inside', '(a=1)', FAIL],
    ['a bare date sign inside', '(@)', FAIL],
    ['a bare byte-sequence colon inside', '(:)', FAIL],
    ['a parameter without a key inside', '(a;)', FAIL],
    ['a parameter without a key on the list', '(a);', FAIL],
    [
      'parameters on items and on the list',
      '("foo"; a=1;b=2);lvl=5, ("bar" "baz");lvl=1',
      [
        [
          [
            [
              'foo',
              [
                ['a', 1],
                ['b', 2],
              ],
            ],
          ],
          [['lvl', 5]],
        ],
        [
          [
            ['bar', []],
            ['baz', []],
          ],
          [['lvl', 1]],
        ],
      ],
    ],
  ])('%s', (...row) => checkList(row))
})

describe('RFC 9651 §4.2.2 dictionaries', () => {
  it.each<Row>([
    [
      'basic',
      'en="Applepie", da=:w4ZibGV0w6ZydGUK:',
      [
        ['en', ['Applepie', []]],
        ['da', [bytes('c386626c6574c3a67274650a'), []]],
      ],
    ],
    ['empty', '', []],
    ['one member', 'a=1', [['a', [1, []]]]],
    [
      'an inner list value',
      'a=(1 2)',
      [
        [
          'a',
          [
            [
              [1, []],
              [2, []],
            ],
            [],
          ],
        ],
      ],
    ],
    ['an empty inner list value', 'a=()', [['a', [[], []]]]],
    [
      'no whitespace',
      'a=1,b=2',
      [
        ['a', [1, []]],
        ['b', [2, []]],
      ],
    ],
    [
      'spaces and tabs around the comma',
      'a=1 ,\tb=2',
      [
        ['a', [1, []]],
        ['b', [2, []]],
      ],
    ],
    [
      'leading spaces',
      '     a=1 ,  b=2',
      [
        ['a', [1, []]],
        ['b', [2, []]],
      ],
    ],
    ['space before =', 'a =1, b=2', FAIL],
    ['space after =', 'a=1, b= 2', FAIL],
    [
      'two field lines',
      ['a=1', 'b=2'],
      [
        ['a', [1, []]],
        ['b', [2, []]],
      ],
    ],
    [
      'a member without a value',
      'a=1, b, c=3',
      [
        ['a', [1, []]],
        ['b', [true, []]],
        ['c', [3, []]],
      ],
    ],
    [
      'a member without a value, with parameters',
      'a=1, b;foo=9, c=3',
      [
        ['a', [1, []]],
        ['b', [true, [['foo', 9]]]],
        ['c', [3, []]],
      ],
    ],
    [
      'a repeated key keeps its first place and its last value',
      'a=1,b=2,a=3',
      [
        ['a', [3, []]],
        ['b', [2, []]],
      ],
    ],
    ['a key starting with a digit', 'a=1,1b=2,a=1', FAIL],
    ['an upper-case key', 'a=1,B=2,a=1', FAIL],
    ['a key with a bad character', 'a=1,b!=2,a=1', FAIL],
    ['a trailing comma', 'a=1, b=2,', FAIL],
    ['an empty member', 'a=1,,b=2', FAIL],
    ['a key with = and no value', 'a=', FAIL],
    ['a key with = and no value, then more', 'a=,b=1', FAIL],
    ['a parameter without a key on a bare key', 'a;', FAIL],
    ['a list of strings', '"a", "b"', FAIL],
    [
      'dates and display strings as values and parameters',
      'reset=@1700000000, note=%"caf%c3%a9";at=@1',
      [
        ['reset', [date(1700000000), []]],
        ['note', [display('café'), [['at', date(1)]]]],
      ],
    ],
  ])('%s', (...row) => checkDictionary(row))
})
