import { fitLogistic } from '../../knowledge/calibration';

describe('logistic calibration fit', () => {
  it('when samples carry a known logit offset, then the fitted intercept is what remains of the logit', () => {
    // Three right of four: logit 0.75 = ln 3; with an offset of 0.5 in every sample, the intercept is ln 3 − 0.5.
    const samples = [1, 1, 1, 0].map((y) => ({ x: [], y, weight: 1, offset: 0.5 }));
    const [intercept] = fitLogistic(samples, [0], 0);
    expect(intercept).toBeCloseTo(Math.log(3) - 0.5, 6);
  });
});
