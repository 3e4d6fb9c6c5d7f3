"""The docs site as a reader gets it: every page of _docs/ opened in headless Chromium.

    pytest tests/test_docs_site.py        # builds _docs/ first if it is missing or older than its sources

For every page (each .html file of _docs/, and each page the notebooks promise) one test
lists all that is wrong with it, in one assertion message:
  - HTTP errors, failed requests for the site's own files, console errors, script errors;
  - any request for something outside 127.0.0.1 (they are all blocked: the site must work offline);
  - pictures that did not load, graph drawings (inline SVG) of no size;
  - maths that KaTeX left as TeX or could not typeset;
  - a sidebar that does not list index first, then every chapter in file order (from nbs/);
  - on a chapter that exports a module, a public class or function with no show_doc entry.
A screenshot of each page's first screen goes to tests/artifacts/ (the whole page with
DOCS_SITE_FULL_SHOTS=1: encoding a tall page's PNG took most of this file's time; tests/shoot_docs.py
also takes whole pages). Another test types into the search box and expects the placeholders chapter
among the results.

`make test` builds the site just before pytest, and sets DOCS_SITE_NO_BUILD=1 so this file does not
build it again (and reports a stale site instead). Run alone, it builds the site itself when any
notebook, library file, docs tool or packaging file is newer than _docs/, as `make docs` would.

The browser is the machine's Chromium (CHROMIUM, by default Debian's /usr/bin/chromium, which
`make test` installs when missing), driven by Playwright's Python package; no browser is downloaded.
"""

import functools
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

import pytest

from shoot_docs import CHROMIUM_ARGS, only_local, serve   # tests/shoot_docs.py: the same server and blocking

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / '_docs'
NBS = ROOT / 'nbs'
ARTIFACTS = ROOT / 'tests' / 'artifacts'
CHROMIUM = os.environ.get('CHROMIUM') or '/usr/bin/chromium'
NO_BUILD = os.environ.get('DOCS_SITE_NO_BUILD', '') not in ('', '0')
STRICT = os.environ.get('DOCS_SITE_STRICT', '') not in ('', '0')     # layout notes fail the page too
# Beyond blocking requests: no host name resolves but 127.0.0.1, so nothing the routes miss (the favicon,
# preconnects) can reach outside either.
BROWSER_ARGS = CHROMIUM_ARGS + ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']
SHRUNK = 0.5   # a graph drawing shown at less than this share of its size has labels too small to read
WIDTH, HEIGHT = 1280, 900
SEARCH_TERM, SEARCH_MODULE = 'placeholder', 'placeholders'   # typing this must find the chapter exporting this module


# ---------------------------------------------------------------- what the notebooks promise

def _hidden(rel):
    return any(part.startswith(('.', '_')) for part in rel.parts)


def notebooks():
    "The notebooks that make pages: not in or under a folder or file whose name starts with `.` or `_`."
    return [p for p in NBS.rglob('*.ipynb') if not _hidden(p.relative_to(NBS))]


def page_of(nb):
    "The page of a notebook, named as nbdev names it (01_graph.ipynb -> graph.html), as deepscratch._modidx links it."
    rel = nb.relative_to(NBS)
    return (rel.parent / re.sub(r'^\d+[a-zA-Z0-9]*_', '', rel.name.lower())).with_suffix('.html').as_posix()


@functools.cache
def expected_sidebar():
    "The pages in sidebar order: index first, then the numbered chapters in file order, then any other notebook."
    def key(nb):
        rel = nb.relative_to(NBS)
        return (len(rel.parts) > 1, rel.parent.as_posix(), nb.name != 'index.ipynb',
                not re.match(r'\d', nb.name), nb.name)
    return [page_of(nb) for nb in sorted(notebooks(), key=key)]


def default_exp(nb):
    "The module a notebook exports (`#| default_exp X`), or None."
    cells = json.loads(nb.read_text(encoding='utf-8')).get('cells', [])
    for cell in cells:
        src = ''.join(cell.get('source', []))
        m = re.search(r'^\s*#\s*\|\s*default_exp\s+(\S+)', src, re.M)
        if cell.get('cell_type') == 'code' and m: return m.group(1)
    return None


@functools.cache
def modules():
    "{page: module name} for the chapters that export a module."
    return {page_of(nb): mod for nb in notebooks() if (mod := default_exp(nb))}


def documented_as(mod_name):
    """{public name: the show_doc headings that document it} for `deepscratch.<mod_name>.__all__`.

    Classes and functions need a show_doc entry, under their own name or, for an alias such as
    `truediv = divide`, under the name they were defined with (a method patched onto a class shows
    as `Class.method`). Constants (error codes, dtypes) are values, which show_doc cannot document:
    they are left out.
    """
    mod = importlib.import_module(f'deepscratch.{mod_name}')
    out = {}
    for name in getattr(mod, '__all__', []):
        obj = getattr(mod, name, None)
        if not (inspect.isclass(obj) or inspect.isroutine(obj)): continue
        out[name] = {name, getattr(obj, '__name__', name), getattr(obj, '__qualname__', name)}
    return out


# ---------------------------------------------------------------- a site built from the current sources

def sources():
    "What the site is made of: the notebooks (and nbs/ itself, for added or removed ones), the library, the tools."
    yield NBS
    for p in NBS.rglob('*'):
        rel = p.relative_to(NBS)
        # nbdev.yml and sidebar.yml are written by the build itself (from settings.ini and the notebooks)
        if p.is_file() and (not _hidden(rel) or rel.as_posix() == '_quarto.yml') and p.name not in ('sidebar.yml', 'nbdev.yml'):
            yield p
    yield from (ROOT / 'deepscratch').rglob('*.py')
    for f in ('tools/docs.py', 'tools/showdoc_tf.py', 'settings.ini', 'setup.py'):
        if (ROOT / f).exists(): yield ROOT / f


def stale_reason():
    "Why _docs/ is not the site of the current sources, or None when it is."
    pages = list(DOCS.rglob('*.html'))
    if not pages: return f'{DOCS.relative_to(ROOT)}/ has no pages'
    built = min(p.stat().st_mtime for p in pages)
    newer = sorted((p for p in sources() if p.stat().st_mtime > built), key=lambda p: -p.stat().st_mtime)
    if newer:
        return f'{newer[0].relative_to(ROOT)} changed after _docs/ was built' + \
            (f' (and {len(newer) - 1} more file(s))' if len(newer) > 1 else '')
    return None


@functools.cache
def site():
    """Make sure _docs/ is current; return (stale reason, build error).

    When pytest has just run the notebooks in this session (conftest.py), their runs are in _proc/ and the site
    is rendered from them. Otherwise it is built as `make docs` does, unless told not to (DOCS_SITE_NO_BUILD)."""
    ran = os.environ.get('DEEPSCRATCH_NOTEBOOKS_RAN') == '1'
    reason = 'the notebooks were just run' if ran else stale_reason()
    if not reason or (NO_BUILD and not ran): return reason, None
    print(f'\ntest_docs_site: {"rendering" if ran else "building"} the docs site, since {reason}', file=sys.__stderr__, flush=True)
    bin_dir = Path(sys.executable).parent
    log, start = [], time.time()
    steps = [[sys.executable, 'tools/docs.py', 'render']] if ran else \
        [[str(bin_dir / 'nbdev_export')], [sys.executable, 'tools/docs.py', 'build']]
    for cmd in steps:
        r = subprocess.run(cmd, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env={**os.environ, 'PATH': f'{bin_dir}{os.pathsep}{os.environ.get("PATH", "")}'})
        log.append(r.stdout)
        if r.returncode:
            return reason, f'`{" ".join(cmd[-2:])}` failed:\n' + ''.join(log)[-6000:]
    print(f'test_docs_site: built in {time.time() - start:.0f} s', file=sys.__stderr__, flush=True)
    return stale_reason(), None


def pages():
    "Every page the notebooks promise (a missing one fails as a 404); the site is built or rendered when the tests run."
    return sorted(expected_sidebar(), key=lambda p: (p != 'index.html', p))


def pytest_generate_tests(metafunc):
    if 'page' in metafunc.fixturenames:
        metafunc.parametrize('page', pages())


# ---------------------------------------------------------------- the browser

@pytest.fixture(scope='module')
def server():
    site()
    base, httpd = serve(DOCS)
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope='module')
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f'no Chromium at {CHROMIUM}: run `make test` (it installs Debian\'s chromium), '
                    f'or `apt-get install chromium`, or set CHROMIUM to a Chromium or Chrome binary', pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright's Python package is missing: `pip install -e '.[dev]'` (make test does)", pytrace=False)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


class Visit:
    "One page opened in a fresh browser context that lets nothing leave 127.0.0.1, and what went wrong there."

    def __init__(self, browser, url):
        self.problems, self.url = [], url
        self.console, self.reported = [], set()   # console errors, and the URLs already reported otherwise
        self.ctx = browser.new_context(viewport={'width': WIDTH, 'height': HEIGHT}, device_scale_factor=1,
                                       service_workers='block')
        blocked = only_local(self.problems)
        def route(r):
            self.reported.add(r.request.url)
            blocked(r)
        self.ctx.route('**/*', route)
        if hasattr(self.ctx, 'route_web_socket'):
            def no_socket(ws):
                if urlparse(ws.url).hostname != '127.0.0.1':
                    self.problems.append(f'blocked web socket outside 127.0.0.1: {ws.url}')
                    ws.close()
                else: ws.connect_to_server()
            self.ctx.route_web_socket(re.compile('.*'), no_socket)
        self.page = p = self.ctx.new_page()
        p.on('console', self._console)
        p.on('pageerror', lambda e: self.problems.append(f'script error: {e}'))
        p.on('requestfailed', self._failed)
        p.on('response', self._response)

    def _short(self, url):
        return url.replace(self.url.rsplit('/', 1)[0] + '/', '')

    def _console(self, msg):
        if msg.type != 'error': return
        # a page with no <link rel="icon"> makes Chromium try /favicon.ico: a layout note (below), not an error
        where = (msg.location or {}).get('url', '')
        if urlparse(where).path == '/favicon.ico': return
        self.console.append((msg.text, where))

    def _response(self, r):
        if r.status >= 400:
            self.reported.add(r.url)
            if r.url == self.url: return   # open() says so
            self.problems.append(f'HTTP {r.status} for {self._short(r.url)}')

    def _failed(self, req):
        if urlparse(req.url).hostname == '127.0.0.1':   # the others were blocked on purpose, and are reported as such
            self.reported.add(req.url)
            self.problems.append(f'request failed: {self._short(req.url)} ({req.failure})')

    def report(self):
        "All the problems, once each; a console error about a request already reported is left out."
        problems = self.problems + [f'console error: {text}' for text, where in self.console
                                    if not (text.startswith('Failed to load resource') and
                                            (where in self.reported or urlparse(where).hostname != '127.0.0.1'))]
        return list(dict.fromkeys(problems))

    def open(self):
        r = self.page.goto(self.url, wait_until='load')
        if r is None or r.status != 200:
            self.problems.insert(0, f'HTTP {r.status if r else "no response"} for the page itself')
        return r is not None and r.status == 200

    def close(self):
        self.ctx.close()


# What a reader would see, measured in the page once it and its pictures and fonts have loaded.
PROBE_JS = r"""async (SHRUNK) => {
  const settle = (e) => e.complete ? null : new Promise((ok) => { e.addEventListener('load', ok); e.addEventListener('error', ok); });
  const imgs = [...document.images];
  imgs.forEach((i) => { i.loading = 'eager'; });
  await Promise.race([Promise.all(imgs.map(settle)), new Promise((ok) => setTimeout(ok, 5000))]);
  await document.fonts.ready;
  await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
  const size = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  const short = (s) => (s || '').replace(/[\u200b\u2061]/g, '').replace(/\s+/g, ' ').trim().slice(0, 80);
  // TeX that reached the page as text: delimiters outside code and outside what KaTeX made
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest('pre, code, script, style, .katex, .math') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  const rawTex = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (/\\\(|\\\[|\$\$/.test(n.data)) rawTex.push(short(n.data));
  const outside = (u) => { try { return new URL(u, location.href).hostname !== '127.0.0.1'; } catch (e) { return false; } };
  return {
    title: short((document.querySelector('h1') || {}).textContent),
    math: document.querySelectorAll('span.math').length,
    math_untypeset: [...document.querySelectorAll('span.math')].filter((e) => !e.querySelector('.katex')).map((e) => short(e.textContent)),
    katex_errors: [...document.querySelectorAll('.katex-error')].map((e) => short(e.title || e.textContent)),
    // KaTeX (throwOnError: false) shows a command it does not know in red, as its own name
    katex_unknown: [...document.querySelectorAll('.katex-mathml mstyle[mathcolor="#cc0000"] > mtext')]
      .map((e) => e.textContent).filter((s) => s.startsWith('\\')),
    raw_tex: rawTex,
    images: imgs.length,
    images_broken: imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => short(i.getAttribute('src'))),
    svgs: document.querySelectorAll('.cell-output svg').length,
    svgs_empty: [...document.querySelectorAll('.cell-output svg')].map(size).filter(([w, h]) => !(w > 0 && h > 0)),
    hints_outside: [...document.querySelectorAll('link:is([rel~="preconnect"], [rel~="dns-prefetch"], [rel~="prefetch"], [rel~="preload"], [rel~="icon"])')]
      .filter((l) => outside(l.getAttribute('href'))).map((l) => l.getAttribute('rel') + ' ' + l.getAttribute('href')),
    sidebar: [...document.querySelectorAll('#quarto-sidebar a.sidebar-link')].map((a) => ({href: a.href, text: short(a.textContent)})),
    api: [...document.querySelectorAll('.cell-output-markdown > :is(h1, h2, h3, h4, h5, h6)[id]')].map((h) => short(h.textContent)),
    wider_than_window: document.documentElement.scrollWidth - window.innerWidth,
    // for the layout notes
    icon: !!document.querySelector('link[rel~="icon"]'),
    math_too_wide: [...document.querySelectorAll('.katex-display')].filter((e) => e.scrollWidth - e.clientWidth > 1)
      .map((e) => `${short(e.querySelector('.katex-html') ? e.querySelector('.katex-html').textContent : e.textContent).slice(0, 50)} (${e.scrollWidth - e.clientWidth} px too wide)`),
    svgs_shrunk: [...document.querySelectorAll('.cell-output svg')].map((s) => {
      let full = 0; try { full = s.width.baseVal.value; } catch (e) { /* no width attribute */ }
      return [Math.round(s.getBoundingClientRect().width), Math.round(full)]; }).filter(([w, full]) => full > 0 && w < SHRUNK * full),
  };
}"""


def layout_notes(info):
    "What a reader would notice but the site still works with: reported as warnings (as failures with DOCS_SITE_STRICT=1)."
    out = []
    if info['math_too_wide']: out.append(f"{len(info['math_too_wide'])} display formula(s) wider than the text column, cut off at the right: {info['math_too_wide'][:3]}")
    for w, full in info['svgs_shrunk']:
        out.append(f'a graph drawing {full} px wide is shrunk to {w} px ({100 * w // full}%): its labels are too small to read')
    if not info['icon'] and not _said('icon'):
        out.append('no <link rel="icon"> (on this page and maybe others): browsers ask for /favicon.ico, which is not there')
    return out


_SAID = set()


def _said(key):
    "True if a site-wide note was made already, so it shows once rather than on every page."
    if key in _SAID: return True
    _SAID.add(key)
    return False


def check_page(info, page, base):
    "The problems a probe shows, as sentences."
    out = []
    if not info['title']: out.append('no title (h1)')
    if info['math_untypeset']: out.append(f"{len(info['math_untypeset'])} of {info['math']} maths not typeset by KaTeX, e.g. {info['math_untypeset'][:3]}")
    if info['katex_errors']: out.append(f"KaTeX could not typeset {len(info['katex_errors'])}: {info['katex_errors'][:3]}")
    if info['katex_unknown']: out.append(f"TeX commands KaTeX does not know (shown in red): {sorted(set(info['katex_unknown']))}")
    if info['raw_tex']: out.append(f"TeX left as text: {info['raw_tex'][:3]}")
    if info['images_broken']: out.append(f"{len(info['images_broken'])} of {info['images']} pictures did not load: {info['images_broken'][:3]}")
    if info['svgs_empty']: out.append(f"{len(info['svgs_empty'])} of {info['svgs']} graph drawings (svg) have no size: {info['svgs_empty'][:3]}")
    if info['hints_outside']: out.append(f"links that make the browser reach outside: {info['hints_outside']}")
    if info['wider_than_window'] > 1: out.append(f"the page is {info['wider_than_window']} px wider than a {WIDTH} px window")

    want = expected_sidebar()
    got = [a['href'].removeprefix(base).split('#')[0] for a in info['sidebar']]
    missing, extra = [p for p in want if p not in got], [p for p in got if p not in want]
    if missing: out.append(f'the sidebar does not list {missing}')
    if extra: out.append(f'the sidebar lists pages that are not chapters: {extra}')
    if not missing and not extra and got != want:
        out.append(f'the sidebar lists the chapters in the order {got}, expected {want}')
    empty = [a['href'].removeprefix(base) for a in info['sidebar'] if not a['text']]
    if empty: out.append(f'sidebar entries with no text: {empty}')

    mod = modules().get(page)
    if mod:
        try:
            public = documented_as(mod)
        except Exception as e:
            return out + [f'cannot import deepscratch.{mod} to list its public names: {type(e).__name__}: {e}']
        missing = [n for n, spellings in public.items() if not spellings & set(info['api'])]
        if missing:
            out.append(f"no show_doc entry for {len(missing)} public name(s) of deepscratch.{mod}: {missing}")
    return out


# ---------------------------------------------------------------- the tests

class DocsLayoutWarning(UserWarning):
    "Something on a page a reader would notice, that does not fail the test (unless DOCS_SITE_STRICT=1)."


FULL_SHOTS = os.environ.get('DOCS_SITE_FULL_SHOTS') == '1'   # whole-page screenshots, for a reader to look through


def test_site_is_current():
    "_docs/ was built from the current notebooks (by make test just before, or by this file)."
    reason, error = site()
    if error: pytest.fail(f'building the docs site failed: {error}', pytrace=False)
    if reason:
        pytest.fail(f'_docs/ is stale: {reason}. ' + ('With DOCS_SITE_NO_BUILD set (as make test does, having just built '
                    'it), this test does not rebuild it: did the build fail? `make docs` rebuilds it.' if NO_BUILD else ''),
                    pytrace=False)


def test_page(page, server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    visit = Visit(browser, server + page)
    try:
        if visit.open():
            info = visit.page.evaluate(PROBE_JS, SHRUNK)
            shot = ARTIFACTS / (page.removesuffix('.html').replace('/', '__') + '.png')
            visit.page.screenshot(path=str(shot), full_page=FULL_SHOTS)
            visit.problems += check_page(info, page, server)
            notes = layout_notes(info)
            if STRICT: visit.problems += notes
            elif notes:   # one warning per page, named by the page, in pytest's summary
                warnings.warn_explicit(f'{len(notes)} layout note(s):\n  - ' + '\n  - '.join(notes),
                                       DocsLayoutWarning, f'_docs/{page}', 0)
    finally:
        visit.close()
    problems = visit.report()
    if problems:   # the message alone: the code of this test says nothing about the page
        pytest.fail(f'{page}: {len(problems)} problem(s):\n  - ' + '\n  - '.join(problems), pytrace=False)


def test_search_finds_a_chapter(server, browser):
    "Typing a term into the search box of the home page lists the chapter about it, and its link opens it."
    target = next((p for p, m in modules().items() if m == SEARCH_MODULE), None)
    assert target, f'no chapter exports deepscratch.{SEARCH_MODULE}, so the search has nothing to find'
    visit, failure = Visit(browser, server + 'index.html'), None
    try:
        if visit.open():
            box = visit.page.locator('#quarto-search input').first
            box.click()
            box.press_sequentially(SEARCH_TERM, delay=30)
            results = visit.page.locator('.search-result')
            try:
                results.first.wait_for(state='visible', timeout=10_000)
            except Exception:
                pass   # reported below, with what the box shows instead
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            visit.page.screenshot(path=str(ARTIFACTS / 'search.png'))
            hrefs = [urlparse(h).path.lstrip('/') for h in results.evaluate_all('(as) => as.map((a) => a.href)')]
            if target not in hrefs:
                shown = visit.page.locator('.smalldocs-search-results').first.inner_text().strip()[:200]
                failure = f'typing {SEARCH_TERM!r} into the search box listed {hrefs or repr(shown or "nothing")}, expected a link to {target}'
            else:
                visit.page.locator(f'.search-result[href*="{target}"]').first.click()
                visit.page.wait_for_load_state('load')
                opened = urlparse(visit.page.url).path.lstrip('/')
                if opened != target: failure = f'clicking the search result for {target} opened {opened}'
    finally:
        visit.close()
    problems = ([failure] if failure else []) + visit.report()
    if problems:
        pytest.fail('searching from index.html:\n  - ' + '\n  - '.join(problems), pytrace=False)


# ---------------------------------------------------------------- API entries: [source] links, and links to entries

# for each API entry (a show_doc output): its heading and its [source] link; and the backticked names that link to
# an entry of the site (nbdev's doc links, made relative to this copy of the site)
LINKS_JS = r"""() => {
  const entries = [...document.querySelectorAll('.cell-output-markdown')].filter((o) => o.querySelector('h3[id]')).map((o) => {
    const a = [...o.querySelectorAll('a')].find((a) => a.textContent.trim() === 'source');
    const h = o.querySelector('h3[id]');
    return {name: h.textContent.replace(/\s+/g, ' ').trim(), href: a ? a.href : null,
            signature: (o.querySelector('pre') || {}).textContent || '',
            linked: [...o.querySelectorAll('a[href] > code')].map((c) => c.textContent)};
  });
  const names = [...document.querySelectorAll('main a[href] > code')].map((c) => ({text: c.textContent, href: c.parentElement.href}))
    .filter((l) => new URL(l.href).hostname === '127.0.0.1');
  return {entries, names};
}"""
API_SAMPLE = ['placeholders.html', 'session.html', 'graph.html', 'optimizers.html']   # each exports a module


def _source_problem(name, href):
    "Why the [source] link `href` of the entry `name` is wrong, or None."
    import configparser
    cfg = configparser.ConfigParser(delimiters=['='])
    cfg.read(ROOT / 'settings.ini')
    c = cfg['DEFAULT']
    m = re.fullmatch(re.escape(c['git_url'].rstrip('/')) + r'/blob/' + re.escape(c['branch']) + r'/(deepscratch/[\w/]+\.py)#L(\d+)', href or '')
    if not m: return f'{name}: [source] link {href!r} is not a line of a package file at {c["git_url"]}'
    path, line = ROOT / m.group(1), int(m.group(2))
    lines = path.read_text(encoding='utf-8').splitlines() if path.exists() else []
    short = name.split('.')[-1]
    if not (0 < line <= len(lines) and re.match(rf'\s*(async\s+)?(def|class)\s+{re.escape(short)}\b', lines[line - 1])):
        got = lines[line - 1].strip() if 0 < line <= len(lines) else '(no such line)'
        return f'{name}: [source] points at {m.group(1)} line {line}, which reads {got!r}'
    return None


def test_api_links(server, browser):
    "Sample chapters: every entry's [source] is the right file and line; backticked names open the entry they name."
    problems, checked = [], 0
    for page in API_SAMPLE:
        visit = Visit(browser, server + page)
        try:
            if not visit.open(): problems.append(f'{page}: could not open it'); continue
            info = visit.page.evaluate(LINKS_JS)
            if not info['entries']: problems.append(f'{page}: no API entries')
            for e in info['entries']:
                checked += 1
                if (p := _source_problem(e['name'], e['href'])): problems.append(f'{page}: {p}')
                if re.search(r'\w:\w+=', e['signature']) or e['signature'].startswith('def '):
                    problems.append(f'{page}: {e["name"]}: the signature is not written as TensorFlow writes it: {e["signature"][:80]!r}')
                # an argument named in the entry's own docstring is that argument, not the entry of the same name
                params = set(re.findall(r'[(,]\s*\**(\w+)', e['signature'].split('\n', 1)[-1] if e['signature'].startswith('```') else e['signature']))
                if (wrong := sorted(params & set(e['linked']))):
                    problems.append(f'{page}: {e["name"]}: its argument(s) {wrong} link to other entries')
            if not info['names']: problems.append(f'{page}: no backticked name links to an API entry')
            for link in info['names']:
                target = urlparse(link['href'])
                anchor = target.fragment
                html = DOCS / target.path.lstrip('/')
                ids = set(re.findall(r'\bid="([^"]+)"', html.read_text(encoding='utf-8'))) if html.exists() else set()
                if not html.exists(): problems.append(f'{page}: `{link["text"]}` links to a missing page {target.path}')
                elif anchor and anchor not in ids: problems.append(f'{page}: `{link["text"]}` links to {target.path}#{anchor}, which has no such entry')
                elif anchor:   # `placeholder` and `Placeholder` are two entries: each link opens the one spelled as it is
                    heading = dict(re.findall(r'<h[1-6] id="([^"]+)"[^>]*>([^<]+)</h[1-6]>', html.read_text(encoding='utf-8'))).get(anchor, '')
                    said, shown = re.sub(r'\(\)$', '', link['text']).rsplit('.', 1)[-1], heading.rsplit('.', 1)[-1]
                    if said != shown and said.lower() == shown.lower():
                        problems.append(f'{page}: `{link["text"]}` opens the entry {heading!r}')
            if page == API_SAMPLE[0] and info['names']:   # and one of them, clicked, shows its entry's heading
                first = info['names'][0]
                visit.page.locator(f'main a[href] > code >> text="{first["text"]}"').first.click()
                visit.page.wait_for_load_state('load')
                frag = urlparse(visit.page.url).fragment
                shown = visit.page.locator(f'[id="{frag}"]').first if frag else None
                if not (shown and shown.count() and shown.is_visible()):
                    problems.append(f'{page}: clicking `{first["text"]}` opened {visit.page.url} without showing its entry')
        finally:
            visit.close()
    assert checked > 20, f'only {checked} API entries found in {API_SAMPLE}'
    if problems:
        pytest.fail(f'{len(problems)} problem(s) with the API links ({checked} entries checked):\n  - ' + '\n  - '.join(problems[:30]), pytrace=False)
