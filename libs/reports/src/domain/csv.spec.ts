import { csvCell, toCsv } from './csv';

describe('csv', () => {
  it('quotes what needs quoting and doubles quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' edge')).toBe('" edge"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(['a', 'b'])).toBe('a b');
  });

  it('defuses spreadsheet formulas in text', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-rf')).toBe("'-rf");
  });

  it('writes a header and CRLF lines', () => {
    const rows = [{ n: 'sw,1', v: 2 }];
    expect(
      toCsv(
        [
          { header: 'name', value: (r: (typeof rows)[0]) => r.n },
          { header: 'value', value: (r: (typeof rows)[0]) => r.v },
        ],
        rows,
      ),
    ).toBe('name,value\r\n"sw,1",2\r\n');
  });
});
