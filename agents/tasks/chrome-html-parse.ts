// OSWorld's active_tab_html_parse getter: text picked out of the active tab's page by class, label,
// XPath or input, under the keys the task names (a metric such as check_direct_json_object then
// compares them with the expected values).
import type { Page } from 'playwright-core';

const trimmed = (s: string | null | undefined) => (s ?? '').trim();
const entries = (v: unknown): [string, unknown][] => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v) : []);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

/** The text of each element a CSS selector finds (none when the selector is not valid CSS). */
async function texts(page: Page, selector: string): Promise<string[]> {
  try {
    return (await page.locator(selector).allTextContents()).map(trimmed);
  } catch {
    return [];
  }
}

/** The direct text nodes of the first element a selector finds (class_multiObject_child). */
async function childTexts(page: Page, selector: string): Promise<string[]> {
  try {
    const first = page.locator(selector).first();
    if ((await first.count()) === 0) return [];
    // Runs in the page; the engine is built without DOM types, so the node is typed by hand.
    return await first.evaluate((node: { childNodes: ArrayLike<{ nodeType: number; textContent: string | null }> }) => Array.from(node.childNodes).filter((n) => n.nodeType === 3).map((n) => (n.textContent ?? '').trim()).filter(Boolean));
  } catch {
    return [];
  }
}

/** OSWorld's extraction by `category`; keys whose element is not on the page are left out, as OSWorld leaves them. */
export async function parseActiveTab(page: Page, config: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const category = String(config['category'] ?? 'class');
  if (category === 'class') {
    for (const [cls, byOrder] of entries(config['class_multiObject'])) {
      const found = await texts(page, `.${cls}`);
      for (const [order, key] of entries(byOrder)) if (Number(order) < found.length) out[String(key)] = found[Number(order)];
    }
    for (const [cls, byOrder] of entries(config['class_multiObject_child'])) {
      const found = await childTexts(page, `.${cls}`);
      for (const [order, key] of entries(byOrder)) if (Number(order) < found.length) out[String(key)] = found[Number(order)];
    }
    for (const [cls, items] of entries(config['class_multiObject_search_exist'])) {
      const found = await texts(page, `.${cls}`);
      const wanted = list(items);
      for (const item of wanted) if (item !== 'is_other_exist') out[item] = found.includes(item);
      if (wanted.includes('is_other_exist')) out['is_other_exist'] = found.some((t) => !wanted.includes(t));
    }
    for (const [cls, key] of entries(config['class_singleObject'])) {
      const [first] = await texts(page, `.${cls}`);
      if (first !== undefined) out[String(key)] = first;
    }
  } else if (category === 'label') {
    for (const [label, key] of entries(config['labelObject'])) {
      const el = page.locator(`text=${label}`).first();
      const text = (await el.count()) > 0 ? trimmed(await el.textContent()) : '';
      if (text) out[String(key)] = text;
    }
  } else if (category === 'xpath' || category === 'input') {
    for (const [xpath, key] of entries(config[category === 'xpath' ? 'xpathObject' : 'inputObject'])) {
      const el = page.locator(`xpath=${xpath}`).first();
      if ((await el.count()) === 0) continue;
      out[String(key)] = category === 'xpath' ? trimmed(await el.textContent()) : trimmed(await el.inputValue());
    }
  } else if (category === 'class&url') {
    const url = page.url().toLowerCase();
    for (const [cls, items] of entries(config['class_multiObject'])) {
      const found = (await texts(page, `.${cls}`)).map((t) => t.toLowerCase());
      const wanted = list(items).map((i) => i.toLowerCase());
      for (const item of wanted) if (found.includes(item)) out[item] = true;
      out['is_other_exist'] = out['is_other_exist'] === true || found.some((t) => wanted.every((w) => !w.includes(t)));
    }
    for (const key of list(config['url_include_expected']).map((k) => k.toLowerCase())) if (!(key in out)) out[key] = url.includes(key);
    for (const [part, key] of entries(config['url_include_expected_multichoice'])) {
      const k = String(key).toLowerCase();
      if (!(k in out)) out[k] = url.includes(part.toLowerCase());
    }
  } else {
    throw new Error(`active_tab_html_parse: category "${category}" is not one of class, label, xpath, input, class&url`);
  }
  return out;
}
