import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Markdown to HTML a browser may show: `marked` renders, then `sanitize-html` keeps an allow-list of
 * tags and attributes (no raw HTML scripts, handlers, styles, frames, or `javascript:` links survive,
 * whatever the markdown held).
 */
export function renderMarkdown(body: string): string {
  const html = marked.parse(body) as string;
  return sanitizeHtml(html, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2', 'del'],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title'],
      code: ['class'],
      th: ['align'],
      td: ['align'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedClasses: { code: [/^language-[\w-]+$/] },
  });
}
