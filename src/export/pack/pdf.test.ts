import { describe, expect, it } from 'vitest';
import { pdfPages, pdfText } from '../../../test/pdftext';
import { PdfLayout, wrapText } from './pdf';

describe('PdfLayout', () => {
  it('wraps long text within the width, cutting words longer than a line', async () => {
    const pdf = await PdfLayout.create({ title: 't', author: 'a', createdAt: '2026-11-25T10:00:00.000Z' });
    const lines = wrapText(`Łukasz ${'x'.repeat(300)} and\nZoë`, pdf.regular, 10, 200);
    for (const l of lines) expect(pdf.regular.widthOfTextAtSize(l, 10)).toBeLessThanOrEqual(200);
    expect(lines[0]).toBe('Lukasz');
    expect(lines.at(-1)).toBe('Zoë');
    expect(lines.join('')).toContain('x'.repeat(20));
  });

  it('repeats a long table’s header on every page and numbers every page', async () => {
    const pdf = await PdfLayout.create({ title: 'Table test', author: 'Zoë', createdAt: '2026-11-25T10:00:00.000Z' });
    pdf.heading('People', 1);
    pdf.table({ columns: ['Name column', 'Team column'], rows: Array.from({ length: 150 }, (_, i) => [`Person ${i} 李`, i % 2 ? 'Ops' : 'Sales']) });
    const bytes = await pdf.save('Footer text');
    const pages = pdfPages(bytes);
    expect(pages).toBeGreaterThan(2);
    const text = pdfText(bytes);
    const perPage = text.split('\f').filter((p) => p.trim());
    expect(perPage).toHaveLength(pages);
    perPage.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toContain('Name column');
      expect(page).toContain(`Page ${i + 1} of ${pages}`);
      expect(page).toContain('Footer text');
    });
    expect(text).toContain('Person 149 [U+674E]');
  });
});
