import { anyWordQuery, ArticleFacts, keywords, rankArticles, scoreArticle } from './article-matching';
import { renderMarkdown } from './markdown';

const article = (over: Partial<ArticleFacts>): ArticleFacts => ({
  id: 'a',
  title: 'A',
  faultTypes: [],
  deviceKinds: [],
  tags: [],
  textRank: 0,
  ...over,
});

describe('keywords and queries', () => {
  it('keeps words worth searching, once, without stop words or bare numbers', () => {
    expect(keywords('The Internet is DOWN at the Berlin office 2026, internet!')).toEqual([
      'internet',
      'down',
      'berlin',
      'office',
    ]);
  });

  it('builds an any-word prefix query with nothing an attacker can inject', () => {
    expect(anyWordQuery("router ' | !! & (down)")).toBe('router:* | down:*');
    expect(anyWordQuery('a ! &')).toBeNull();
  });
});

describe('scoreArticle / rankArticles', () => {
  const ticket = { faultType: 'device_down', deviceKind: 'router', text: 'Berlin router down, vpn gone' };

  it('weighs fault type over device kind over tags over text', () => {
    const byFault = scoreArticle(article({ faultTypes: ['device_down'] }), ticket);
    const byKind = scoreArticle(article({ deviceKinds: ['router'] }), ticket);
    const byTag = scoreArticle(article({ tags: ['vpn'] }), ticket);
    const byText = scoreArticle(article({ textRank: 0.05 }), ticket);
    expect(byFault).toBeGreaterThan(byKind);
    expect(byKind).toBeGreaterThan(byTag);
    expect(byTag).toBeGreaterThan(byText);
    expect(byText).toBeGreaterThan(0);
  });

  it('never matches by the generic fault type `other`', () => {
    expect(scoreArticle(article({ faultTypes: ['other'] }), { ...ticket, faultType: 'other' })).toBe(0);
  });

  it('returns the best first, only those that fit, at most limit', () => {
    const ranked = rankArticles(
      [
        article({ id: 'kind', title: 'Kind', deviceKinds: ['router'] }),
        article({ id: 'none', title: 'None', faultTypes: ['high_cpu'] }),
        article({ id: 'both', title: 'Both', faultTypes: ['device_down'], deviceKinds: ['router'] }),
        article({ id: 'fault', title: 'Fault', faultTypes: ['device_down'] }),
      ],
      ticket,
      2,
    );
    expect(ranked.map((a) => a.id)).toEqual(['both', 'fault']);
  });
});

describe('renderMarkdown', () => {
  it('renders markdown and drops whatever could run in the browser', () => {
    const html = renderMarkdown(
      '# Reboot\n\n1. **power** off\n\n<script>alert(1)</script><img src=x onerror="alert(2)">\n\n[x](javascript:alert(3)) [ok](https://example.org)',
    );
    expect(html).toContain('<h1>Reboot</h1>');
    expect(html).toContain('<strong>power</strong>');
    expect(html).not.toMatch(/<script|onerror|href="javascript/i);
    expect(html).toContain('<a href="https://example.org">ok</a>');
  });
});
