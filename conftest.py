"""pytest runs the notebooks too: `python -m pytest` (pyproject.toml's testpaths: nbs/ and tests/).

Each notebook of nbs/ (not `_`- or `.`-named) is one test item. It passes when every cell runs from the top
without an error (cells marked `#| eval: false` are skipped, a cell marked `#| error: true` may raise), as
`nbdev_test` would run it. Every notebook runs once, in a fresh process of its own, two at a time; the run is
also the docs build's processing of the notebook (tools/docs.py's `process_one`, which writes _proc/), so the
docs site is then rendered from these runs (`tools/docs.py render`, by tests/test_docs_site.py) instead of running
every notebook again. The runs start as soon as the items are collected and go on in the background while the tests of
tests/ run (so that both cores are busy throughout: the tests run in this one process); then come the notebook items,
in file order, each waiting for its run, and last the docs site's tests, which need every run done.

A failing notebook reports the traceback of its cell and the cell itself.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
NBS = ROOT / 'nbs'
RAN_ENV = 'DEEPSCRATCH_NOTEBOOKS_RAN'   # tells tests/test_docs_site.py that _proc/ holds this session's runs


def _docs():
    sys.path.insert(0, str(ROOT / 'tools'))
    try:
        import docs
    finally:
        sys.path.remove(str(ROOT / 'tools'))
    return docs


def _is_page(path):
    rel = path.relative_to(NBS)
    return not any(part.startswith(('.', '_')) for part in rel.parts)


def pytest_collect_file(file_path, parent):
    if file_path.suffix == '.ipynb' and file_path.is_relative_to(NBS) and _is_page(file_path):
        return NotebookFile.from_parent(parent, path=file_path)


class NotebookFile(pytest.File):
    def collect(self):
        yield NotebookItem.from_parent(self, name=self.path.name)


class NotebookFailed(Exception):
    pass


class Runs:
    "All collected notebooks, started together on the first notebook item: a pool of fresh processes."

    def __init__(self, items):
        self.items, self.jobs, self.pool, self.done = items, None, None, 0

    def start(self):
        cwd = os.getcwd()
        os.chdir(ROOT)   # docs.py works from the repository root
        try:
            docs = _docs()
            staged = {p.relative_to(docs.STAGE): p for p in docs.prepare()}
        finally:
            os.chdir(cwd)
        self.pool = docs.FreshProcesses(docs.N_WORKERS, _one_blas_thread, (str(ROOT),))   # a fresh process per notebook
        self.jobs = {}
        for item in self.items:
            nb = staged[item.path.relative_to(NBS)]
            self.jobs[item.path] = self.pool.submit(_process, str(ROOT), str(nb), str(docs.proc_path(nb)))

    def result(self, path):
        if self.jobs is None: self.start()
        try:
            return self.jobs[path].result()
        finally:
            self.done += 1
            if self.done == len(self.items):
                self.pool.shutdown()
                os.environ[RAN_ENV] = '1'


def _one_blas_thread(root):
    "Pool initializer: tools/docs.py's one_blas_thread (which says why), before the notebook imports numpy."
    sys.path.insert(0, str(Path(root) / 'tools'))
    import docs
    docs.one_blas_thread()


def _process(root, src, dst):
    "In a fresh process: run and process one notebook (tools/docs.py's process_one)."
    os.chdir(root)
    sys.path.insert(0, str(Path(root) / 'tools'))
    import docs
    return docs.process_one(src, dst)


class NotebookItem(pytest.Item):
    def runtest(self):
        secs, err = self.config.stash[RUNS].result(self.path)
        self.user_properties.append(('seconds', round(secs, 1)))
        if err: raise NotebookFailed(err)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, NotebookFailed): return f'{self.path.name} raised an error:\n{excinfo.value}'
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f'notebook {self.path.relative_to(ROOT)}'


RUNS = pytest.StashKey[Runs]()


def _needs_the_runs(item):
    "True for the docs site's tests, which render the site from this session's notebook runs."
    return item.path.name == 'test_docs_site.py'

def pytest_collection_modifyitems(session, config, items):
    "The notebooks' runs started in the background; the tests of tests/ first, then the notebook items in file order, then the docs site's tests."
    nbs = sorted((i for i in items if isinstance(i, NotebookItem)), key=lambda i: i.path)
    rest = [i for i in items if not isinstance(i, NotebookItem) and not _needs_the_runs(i)]
    items[:] = rest + nbs + [i for i in items if not isinstance(i, NotebookItem) and _needs_the_runs(i)]
    config.stash[RUNS] = runs = Runs(nbs)
    if not nbs: os.environ.pop(RAN_ENV, None)
    elif not config.option.collectonly: runs.start()

def pytest_sessionfinish(session):
    "A session stopped early (-x, Ctrl-C) does not wait for the notebooks not yet run."
    runs = session.config.stash.get(RUNS, None)
    if runs is not None and runs.pool is not None: runs.pool.shutdown(wait=False, cancel_futures=True)
