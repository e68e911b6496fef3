import { createMemo } from 'solid-js';
import type * as Y from 'yjs';
import type { Validated } from '../../domain/validation';
import { randomId } from '../../store/device-records';
import { createDocView } from '../../store/reactive';
import { createRecord, recordsOf, setFields } from '../../store/records';
import { STANDARD_ITEMS, type TemplateItem, validateTemplateItem } from '../checklists/model';

const ORG = 'org';
const TEMPLATE_PREFIX = 'template.';

/**
 * Workspace settings shared by every device: the organisation's name and the
 * extra actions this workspace adds to the monthly checklist.
 */
export function createSettingsStore(doc: Y.Doc, fallbackOrgName: string) {
  const view = createDocView(doc);
  const orgName = createMemo(() => {
    const name = view.records().get(ORG)?.['name'];
    return typeof name === 'string' && name ? name : fallbackOrgName;
  });
  const extraItems = createMemo(() =>
    [...view.records()]
      .filter(([id, f]) => id.startsWith(TEMPLATE_PREFIX) && f['archived'] !== true)
      .map(([id, f]) => ({ key: id.slice(TEMPLATE_PREFIX.length), title: String(f['title'] ?? ''), evidenceHint: String(f['evidenceHint'] ?? ''), order: String(f['createdAt'] ?? '') }))
      .sort((a, b) => a.order.localeCompare(b.order))
      .map(({ key, title, evidenceHint }): TemplateItem => ({ key, title, evidenceHint })),
  );
  const template = createMemo((): TemplateItem[] => [...STANDARD_ITEMS, ...extraItems()]);
  return {
    orgName,
    template,
    extraItems,
    /** Called once by the device that creates the workspace. */
    initialise(name: string) {
      if (!recordsOf(doc).has(ORG)) createRecord(doc, ORG, { name });
    },
    rename(name: string): string | undefined {
      const n = name.trim();
      if (!n) return 'Enter your organisation’s name.';
      if (n.length > 120) return 'Keep the name under 120 characters.';
      if (recordsOf(doc).has(ORG)) setFields(doc, ORG, { name: n });
      else createRecord(doc, ORG, { name: n });
      return undefined;
    },
    addItem(title: string, evidenceHint: string): Validated<TemplateItem> {
      const result = validateTemplateItem(title, evidenceHint, template());
      if (!result.ok) return result;
      const key = `x${randomId(6)}`;
      createRecord(doc, TEMPLATE_PREFIX + key, { ...result.value, archived: false, createdAt: new Date().toISOString() });
      return { ok: true, value: { key, ...result.value } };
    },
    /** Removes an extra action from checklists created from now on; existing checklists keep theirs. */
    removeItem(key: string) {
      setFields(doc, TEMPLATE_PREFIX + key, { archived: true });
    },
  };
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
