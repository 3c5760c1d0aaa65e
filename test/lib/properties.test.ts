import { CONVERSION_RUNS, PROPERTIES, RUNS } from './properties/properties';

// HARF_FUZZ_RUNS sets the cases of every property; scripts/fuzz.js runs 100 000 each.
describe(`properties (${RUNS} cases each, ${CONVERSION_RUNS} whole conversions)`, () => {
  it.each(PROPERTIES)('%s', (_name, check) => {
    check();
  });
});
