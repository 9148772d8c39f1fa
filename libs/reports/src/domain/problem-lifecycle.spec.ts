import { changeProblemStatus } from './problem-lifecycle';

describe('problem lifecycle', () => {
  it('needs a workaround for a known error, keeps a stored one, and makes resolved final', () => {
    expect(changeProblemStatus({ status: 'open', workaround: null }, 'known_error')).toMatchObject({
      ok: false,
      code: 'invalid',
    });
    expect(changeProblemStatus({ status: 'open', workaround: null }, 'known_error', 'reseat SFP')).toEqual({
      ok: true,
      status: 'known_error',
      workaround: 'reseat SFP',
      resolved: false,
    });
    expect(changeProblemStatus({ status: 'known_error', workaround: 'x' }, 'resolved')).toMatchObject({
      ok: true,
      resolved: true,
      workaround: 'x',
    });
    expect(changeProblemStatus({ status: 'resolved', workaround: null }, 'open')).toMatchObject({
      ok: false,
      code: 'illegal_transition',
    });
  });
});
