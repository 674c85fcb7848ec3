/**
 * Emotionally neutral carrier sentences (our own, in the spirit of RAVDESS's "Kids are talking by
 * the door"): the words never give the class away, only the delivery does. No commas, so the only
 * long pauses in a synthesised batch are the breaks we insert between utterances.
 */
export const DEMO_SENTENCES: readonly string[] = [
  'Kids are talking by the door',
  'Dogs are sitting by the door',
  'The train leaves at seven tonight',
  'I put the keys on the kitchen table',
  'We will meet again on Thursday morning',
  'The report is due at the end of the week',
  'She bought a new lamp for the office',
  'There is a letter waiting for you',
  'The bus was late again today',
  'He moved the boxes into the garage',
  'My phone is on the second shelf',
  'They painted the fence a pale green',
  'The meeting has been moved to Monday',
  'Please bring the chairs inside',
  'The shop closes at nine on Sundays',
  'I found your jacket in the car',
  'Our neighbours are planting a new tree',
  'The window in the hall is open',
  'We need to buy more coffee',
  'The results came back this afternoon',
  'He called about the broken heater',
  'The river is higher than last year',
  'Someone left the lights on upstairs',
  'The package arrived before lunch',
  'You can leave your bag here',
  'The film starts in ten minutes',
  'They are moving to another city',
  'The bread is in the top drawer',
  'I saw your brother at the station',
  'The garden looks different in winter',
  'We talked about it yesterday',
  'The printer on this floor is new',
];
