// axe (WCAG 2.1 A and AA) on every page, in French and Arabic, at 320 px and 1280 px;
// plus what axe does not check: touch target size, reflow at 320 px, reduced motion.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { chooseLanguage, openPage, settled, startSuite, visit, WIDTHS } from './browser.mjs';

const PAGES = ['/', '/create', '/unlock', '/coffre', '/help', '/about', '/nowhere'];
const LANGUAGES = [
  { lang: 'fr', autonym: 'Français' },
  { lang: 'ar', autonym: 'العربية' },
];

let suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
}

for (const width of [WIDTHS.phone, WIDTHS.desktop]) {
  for (const { lang, autonym } of LANGUAGES) {
    describe(`${lang}, ${width} px`, () => {
      let tab;
      before(async () => {
        tab = await openPage(suite, { locale: 'fr-FR', width });
        await visit(tab.page, suite.baseUrl);
        await chooseLanguage(tab.page, autonym, lang);
      });
      after(async () => {
        tab.assertClean();
        await tab.close();
      });

      for (const path of PAGES) {
        it(`${path}: no axe violation, big targets, no sideways scrolling`, async () => {
          const { page } = tab;
          await visit(page, suite.baseUrl, path);
          assert.equal(await page.evaluate(() => document.documentElement.lang), lang);

          await settled(page);
          const results = await new AxeBuilder({ page })
            .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
            .analyze();
          assert.equal(results.violations.length, 0, describeViolations(results.violations));

          const small = await page.evaluate(() =>
            [...document.querySelectorAll('a, button')]
              .filter((el) => !el.classList.contains('skip-link'))
              .map((el) => ({ text: el.textContent.trim(), box: el.getBoundingClientRect() }))
              .filter(({ box }) => box.width < 44 || box.height < 44)
              .map(({ text, box }) => `${text}: ${Math.round(box.width)}×${Math.round(box.height)}`),
          );
          assert.deepEqual(small, [], 'touch targets are at least 44 × 44 px');

          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow} px)`);
        });
      }
    });
  }
}

it('respects prefers-reduced-motion', async () => {
  const tab = await openPage(suite, { locale: 'fr-FR', reducedMotion: 'reduce' });
  try {
    await visit(tab.page, suite.baseUrl);
    const motion = await tab.page.evaluate(() => ({
      button: getComputedStyle(document.querySelector('.button')).transitionDuration,
      scroll: getComputedStyle(document.documentElement).scrollBehavior,
    }));
    assert.deepEqual(motion, { button: '0s', scroll: 'auto' });
    tab.assertClean();
  } finally {
    await tab.close();
  }
});
