"""Look at the built docs site in a real browser: screenshots, and what a reader would notice.

    python tests/shoot_docs.py [--docs _docs] [--out /tmp/shots] [--chromium /usr/bin/chromium] [PAGE.html ...]

Serves the site on 127.0.0.1, opens each page in headless Chromium with every request
outside 127.0.0.1 blocked, saves a full-page screenshot per page, and reports per page:
console errors, failed or blocked requests, maths left untypeset, pictures that did not
load, and the sidebar's entries in order. Exits 1 when any page has a problem.

Needs Playwright's Python package and a Chromium (Debian: `apt-get install chromium`);
it never downloads a browser. Not collected by pytest yet (its name has no `test_`).
"""

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
                 '--disable-sync', '--no-first-run', '--disable-quic']

# What the page looks like, measured in the browser after it has settled.
PROBE_JS = """() => {
  const visible = (e) => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const math = [...document.querySelectorAll('span.math')];
  const imgs = [...document.querySelectorAll('main img, #quarto-document-content img, .cell-output img')];
  const svgs = [...document.querySelectorAll('.cell-output svg')];
  const side = [...document.querySelectorAll('#quarto-sidebar a.sidebar-link, #quarto-sidebar .sidebar-item a, nav.sidebar a')]
      .filter(visible).map(a => a.textContent.trim()).filter(Boolean);
  return {
    title: document.title,
    h1: (document.querySelector('h1') || {}).textContent || '',
    math: math.length,
    math_untypeset: math.filter(e => !e.querySelector('.katex')).map(e => e.textContent.slice(0, 60)),
    katex_errors: [...document.querySelectorAll('.katex-error')].map(e => e.textContent.slice(0, 60)),
    images: imgs.length,
    images_broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => (i.src || '').slice(0, 60)),
    svgs: svgs.length,
    svgs_empty: svgs.filter(s => s.getBoundingClientRect().width < 5 || s.getBoundingClientRect().height < 5).length,
    code_blocks: document.querySelectorAll('pre code').length,
    highlighted: document.querySelectorAll('pre code span[class]').length,
    sidebar: [...new Set(side)],
  };
}"""


def serve(folder):
    "Serve `folder` on 127.0.0.1 at a free port, in a daemon thread; return the base URL."
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f'http://127.0.0.1:{httpd.server_address[1]}/', httpd


def only_local(log):
    "A route handler that lets requests to 127.0.0.1 through and blocks (and logs) every other one."
    def route(r):   # one parameter: Playwright passes (route, request) to a handler that takes two
        if r.request.url.startswith(('data:', 'blob:')) or urlparse(r.request.url).hostname == '127.0.0.1':
            return r.continue_()
        log.append(f'blocked request outside 127.0.0.1: {r.request.url}')
        r.abort()
    return route


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass


def shoot(docs, out, chromium, pages, width):
    from playwright.sync_api import sync_playwright
    docs, out = Path(docs).resolve(), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pages = pages or sorted(str(p.relative_to(docs)) for p in docs.rglob('*.html'))
    base, httpd = serve(docs)
    problems = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={'width': width, 'height': 900}, device_scale_factor=1)
        for rel in pages:
            log = []
            page = ctx.new_page()

            page.route('**/*', only_local(log))
            page.on('console', lambda m, log=log: m.type in ('error', 'warning') and log.append(f'console {m.type}: {m.text}'))
            page.on('pageerror', lambda e, log=log: log.append(f'page error: {e}'))
            page.on('requestfailed', lambda r, log=log: log.append(f'request failed: {r.url} ({r.failure})'))
            page.on('response', lambda r, log=log: r.status >= 400 and log.append(f'HTTP {r.status}: {r.url}'))
            page.goto(base + rel, wait_until='networkidle')
            page.wait_for_timeout(300)   # KaTeX's auto-render runs on DOMContentLoaded; let it settle
            info = page.evaluate(PROBE_JS)
            shot = out / (rel.replace('/', '__').removesuffix('.html') + '.png')
            page.screenshot(path=str(shot), full_page=True)
            page.close()
            for k, msg in (('math_untypeset', 'maths left as TeX'), ('katex_errors', 'KaTeX errors'),
                           ('images_broken', 'pictures that did not load')):
                if info[k]: log.append(f'{msg}: {info[k]}')
            if info['svgs_empty']: log.append(f"{info['svgs_empty']} SVG output(s) with no size")
            print(f"{rel}: title {info['title']!r}; {info['math']} maths, {info['svgs']} svg, {info['images']} img, "
                  f"{info['code_blocks']} code blocks ({info['highlighted']} highlighted spans) -> {shot}")
            print(f"  sidebar: {' | '.join(info['sidebar'])}")
            for line in log: print(f'  PROBLEM {line}')
            if log: problems[rel] = log
        browser.close()
    httpd.shutdown()
    print(f"\n{len(pages)} pages, {len(problems)} with problems")
    return not problems


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('pages', nargs='*', help='pages relative to the site root (default: every .html)')
    p.add_argument('--docs', default='_docs', help='the built site')
    p.add_argument('--out', default='/tmp/shots', help='where the screenshots go')
    p.add_argument('--chromium', default='/usr/bin/chromium')
    p.add_argument('--width', type=int, default=1280)
    a = p.parse_args()
    sys.exit(0 if shoot(a.docs, a.out, a.chromium, a.pages, a.width) else 1)


if __name__ == '__main__':
    main()
