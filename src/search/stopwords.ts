/**
 * Words that carry no signal in a bug report or a code question. Kept short on purpose: words
 * like "error", "type" or "value" are also identifiers, and BM25's IDF already discounts them.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  `a an the and or but if then else of to in on at by for with from as is are was were be been being
  it its this that these those there here i me my we our you your he she they them their what which who
  whom when where why how do does did done doing have has had having not no nor so than too very can
  could should would will shall may might must just also only into over under about after before
  again further once all any both each few more most other some such own same s t don isn doesn
  didn won wasn aren weren hasn haven hadn shouldn wouldn couldn ll re ve d m o y am up down out off
  get got like use used using want need see seems seem way thing things something anything example
  e g eg ie etc please thanks thank hi hello issue bug problem expected actual behavior behaviour
  following work works working happen happens happened currently now however because while though
  one two would make makes made even still already way let lets yes well say said know think`.split(/\s+/).filter(Boolean),
);
