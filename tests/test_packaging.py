"""deepscratch as a pip user gets it: both distributions built, each installed into a fresh virtualenv.

    pytest tests/test_packaging.py -q

1. `python -m build` (sdist, then the wheel from the sdist) from a copy of the working tree, so nothing it writes
   (build/, *.egg-info) lands in the repository, and whatever the sdist forgets makes the wheel fail to build.
2. The wheel's runtime dependencies, resolved from the index as `pip install deepscratch` would, are downloaded into
   the wheelhouse .cache/wheelhouse/ (git-ignored), with what the sdist's build needs (pyproject.toml's [build-system]).
   Offline, the wheelhouse from an earlier run is used as it is.
3. The wheel, then the sdist, is installed from that wheelhouse alone (`--no-index`) into a fresh virtualenv that has
   nothing else (not even pip): the distributions found there are exactly what pip installed.
4. In each, README.md's first program prints what README.md says it prints, and every module of the package imports.
The number of distributions and their size on disk are printed.
"""

import configparser
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = ROOT / '.cache' / 'wheelhouse'
# what pip install deepscratch may bring besides deepscratch itself (issue 14: light runtime dependencies)
ALLOWED = {'numpy', 'graphviz-pure', 'fastprogress'}
# the working tree minus what is built or cached
SKIP = {'.git', '.venv', '.cache', '_docs', '_proc', '_build', '_site', 'build', 'dist', 'artifacts',
        '__pycache__', '.ipynb_checkpoints', '.pytest_cache'}


def run(*cmd, cwd=None, env=None):
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, text=True, capture_output=True,
                       env={**os.environ, 'PIP_DISABLE_PIP_VERSION_CHECK': '1', **(env or {})})
    if r.returncode:
        raise AssertionError(f'`{" ".join(map(str, cmd))}` failed ({r.returncode}):\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}')
    return r.stdout


def pip(*args):
    "The project's pip (23 or later: `--python` installs into another interpreter, which need not have pip)."
    return run(sys.executable, '-m', 'pip', *args)


@pytest.fixture(scope='module')
def dists(tmp_path_factory):
    "{'wheel': path, 'sdist': path}, built by `python -m build` from a copy of the working tree."
    tmp = tmp_path_factory.mktemp('packaging')
    src, out = tmp / 'src', tmp / 'dist'
    shutil.copytree(ROOT, src, ignore=lambda d, names: [n for n in names if n in SKIP or n.endswith('.egg-info')])
    # --no-isolation: the build backend from the project's venv (setuptools), instead of installing it afresh
    run(sys.executable, '-m', 'build', '--no-isolation', '--outdir', out, src)
    wheels, sdists = list(out.glob('*.whl')), list(out.glob('*.tar.gz'))
    assert len(wheels) == 1 and len(sdists) == 1, f'python -m build made {sorted(p.name for p in out.iterdir())}'
    return {'wheel': wheels[0], 'sdist': sdists[0]}


@pytest.fixture(scope='module')
def wheelhouse(dists):
    "The wheelhouse with the wheel's runtime dependencies and the sdist's build requirements."
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    requires = re.search(r'(?ms)^\[build-system\].*?^requires\s*=\s*\[(.*?)\]', (ROOT / 'pyproject.toml').read_text())
    build_requires = re.findall(r'"([^"]+)"', requires.group(1))
    try:
        # as `pip install deepscratch` resolves them; `--only-binary` keeps it to wheels, as a user's pip prefers
        pip('download', '-q', '--only-binary', ':all:', '-d', WHEELHOUSE, dists['wheel'], *build_requires)
    except AssertionError as e:
        if not any(WHEELHOUSE.glob('numpy-*.whl')):
            pytest.fail(f'cannot download the runtime dependencies, and there is no wheelhouse from an earlier run: {e}')
        print(f'test_packaging: offline? using the wheelhouse as it is ({e.args[0].splitlines()[0]})', file=sys.stderr)
    for stale in WHEELHOUSE.glob('deepscratch-*'): stale.unlink()   # ours comes from dists, never from the cache
    return WHEELHOUSE


def first_program():
    "README.md's first Python block and the output printed under it."
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    m = re.search(r'```python\n(.*?)```\n\n((?:    [^\n]*\n)+)', readme, re.S)
    assert m, 'README.md has no ```python block followed by its (indented) output'
    return m.group(1), textwrap.dedent(m.group(2))


def modules(wheel):
    "Every module of the package, from the wheel's file list."
    import zipfile
    names = [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith('.py')]
    return sorted(n.removesuffix('.py').removesuffix('/__init__').replace('/', '.') for n in names)


def installed(venv):
    "{distribution name: version} in the virtualenv's site-packages, and their size on disk in bytes."
    site = next(venv.glob('lib/python*/site-packages'))
    found = {}
    for meta in site.glob('*.dist-info'):
        text = (meta / 'METADATA').read_text(encoding='utf-8')
        name = re.search(r'^Name: (.*)$', text, re.M).group(1).strip()
        found[re.sub(r'[-_.]+', '-', name).lower()] = re.search(r'^Version: (.*)$', text, re.M).group(1).strip()
    size = sum(f.stat().st_size for f in site.rglob('*') if f.is_file())
    return found, size


@pytest.mark.parametrize('kind', ['wheel', 'sdist'])
def test_install(kind, dists, wheelhouse, tmp_path, capsys):
    venv = tmp_path / 'venv'
    run(sys.executable, '-m', 'venv', '--without-pip', venv)
    python = venv / 'bin' / 'python'
    # the sdist is built by pip in an isolated environment, with setuptools from the wheelhouse
    pip('--python', python, 'install', '-q', '--no-index', '--find-links', wheelhouse, dists[kind])
    found, size = installed(venv)
    extra = set(found) - ALLOWED - {'deepscratch'}
    assert 'deepscratch' in found and not extra, f'pip install deepscratch installed {sorted(extra)} too: {found}'

    code, expected = first_program()
    work = tmp_path / 'work'   # not the repository, so `import deepscratch` is the installed one
    work.mkdir()
    (work / 'first.py').write_text(code)
    printed = run(python, 'first.py', cwd=work, env={'PYTHONPATH': ''})
    assert printed == expected, f"README's first program printed {printed!r}, README.md says {expected!r}"

    mods = modules(dists['wheel'])
    check = ('import importlib, deepscratch, pathlib\n'
             f'for m in {mods!r}: importlib.import_module(m)\n'
             'print(pathlib.Path(deepscratch.__file__).parent)')
    where = Path(run(python, '-c', check, cwd=work, env={'PYTHONPATH': ''}).strip())
    assert where.is_relative_to(venv), f'imported deepscratch from {where}, not from the fresh virtualenv'

    norm = lambda f: re.sub(r'[-_.]+', '-', f.name.split('-')[0]).lower()
    download = sum(f.stat().st_size for f in [*wheelhouse.glob('*.whl'), dists['wheel']] if norm(f) in found)
    with capsys.disabled():
        print(f'\ntest_packaging: pip install {dists[kind].name} installed {len(found)} distributions, '
              f'{download / 1e6:.1f} MB of wheels, {size / 1e6:.1f} MB on disk: ' + ', '.join(f'{n} {v}' for n, v in sorted(found.items())) +
              f'; README\'s first program and {len(mods)} modules ran there')


def test_metadata_agrees_with_readme(dists):
    "README.md (the PyPI page) says `pip install deepscratch`, claims the Python versions the metadata claims, links absolutely."
    import zipfile
    wheel = zipfile.ZipFile(dists['wheel'])
    meta = wheel.read(next(n for n in wheel.namelist() if n.endswith('.dist-info/METADATA'))).decode()
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    assert readme.strip() in meta, 'the PyPI description is not README.md'
    assert 'pip install deepscratch' in readme
    cfg = configparser.ConfigParser(delimiters=['=']); cfg.read(ROOT / 'settings.ini')
    min_python = cfg['DEFAULT']['min_python']
    assert f'Requires-Python: >={min_python}' in meta
    assert f'Python {min_python} or later' in readme, f'README.md does not say "Python {min_python} or later"'
    assert f'Programming Language :: Python :: {min_python}' in meta
    # relative links break on PyPI: every markdown link and image is absolute (or an anchor)
    relative = [t for t in re.findall(r'\]\(([^)\s]+)', readme) if not re.match(r'(https?:|mailto:|#)', t)]
    assert not relative, f'README.md has relative links, which break on PyPI: {relative[:5]}'
    assert set(re.findall(r'^Requires-Dist: ([A-Za-z0-9_.-]+)[^;]*$', meta, re.M)) <= ALLOWED
