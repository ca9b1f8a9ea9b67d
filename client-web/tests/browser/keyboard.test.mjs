// Keyboard only: skip link, then the switcher, the menu and the main buttons, in order,
// each with a visible focus ring.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { openPage, startSuite, visit, WIDTHS } from './browser.mjs';

let suite;
before(async () => {
  suite = await startSuite();
});
after(async () => {
  await suite?.stop();
});

/** The focused element: its accessible text, and whether a focus indicator is drawn. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const box = element.getBoundingClientRect();
    return {
      tag: element.tagName,
      id: element.id,
      text: (element.getAttribute('aria-label') ?? element.textContent ?? '').replace(/[\u2068\u2069]/g, '').trim(),
      visibleRing: outline || style.boxShadow !== 'none',
      onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 && box.left < innerWidth,
    };
  });
}

for (const width of [WIDTHS.phone, WIDTHS.desktop]) {
  it(`reaches the skip link, the switcher, the menu and the main buttons by Tab (${width} px)`, async () => {
    const tab = await openPage(suite, { locale: 'fr-FR', width });
    const { page } = tab;
    try {
      await visit(page, suite.baseUrl);
      const order = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        const current = await focused(page);
        if (!current) break;
        assert.ok(current.visibleRing, `visible focus on “${current.text}”`);
        assert.ok(current.onScreen, `“${current.text}” is on screen when focused`);
        order.push(current.text);
        if (current.text === 'J’ai déjà un coffre') break;
      }
      const expected = [
        'Aller au contenu',
        'Coffre Le coffre-fort numérique pour vos papiers',
        'Français',
        'English',
        'العربية',
        'Accueil',
        'Aide',
        'À propos',
        'Ouvrir mon coffre',
        'J’ai déjà un coffre',
      ];
      assert.deepEqual(
        order.map((text) => text.replace(/\s+/g, ' ')),
        expected,
      );
      tab.assertClean();
    } finally {
      await tab.close();
    }
  });
}

it('the skip link appears on focus and moves the focus to the content', async () => {
  const tab = await openPage(suite, { locale: 'fr-FR', width: WIDTHS.small });
  const { page } = tab;
  try {
    await visit(page, suite.baseUrl);
    const skip = page.getByRole('link', { name: 'Aller au contenu' });
    assert.equal(await skip.isVisible(), true);
    const hidden = await skip.boundingBox();
    assert.ok(hidden.y + hidden.height <= 0, 'off screen before it is focused');

    await page.keyboard.press('Tab');
    const shown = await skip.boundingBox();
    assert.ok(shown.y >= 0, 'on screen when focused');

    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    // The next Tab goes into the page content, past the header.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Ouvrir mon coffre');
    tab.assertClean();
  } finally {
    await tab.close();
  }
});

it('the language switcher works with the keyboard alone', async () => {
  const tab = await openPage(suite, { locale: 'fr-FR' });
  const { page } = tab;
  try {
    await visit(page, suite.baseUrl);
    await page.getByRole('button', { name: 'العربية', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    // Focus stays on the button just pressed.
    assert.equal((await focused(page)).text, 'العربية');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).text, 'English');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    tab.assertClean();
  } finally {
    await tab.close();
  }
});
