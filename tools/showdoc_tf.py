"""How the docs site shows an API entry: as TensorFlow's documentation does.

    placeholder(dtype=None, shape=None, name=None)          not  def placeholder(dtype:NoneType=None, ...)
    class Session(target='', graph=None, config=None)       a class as a class
    Session.run(fetches, feed_dict=None, ...)               a method under its class

nbdev's show_doc renders a signature with the types fastcore infers from the defaults (`dtype:NoneType=None`), and
finds a [source] line only for names defined in the notebook itself. `Renderer` keeps show_doc's heading and
docstring, writes the signature as Python's `inspect` does without annotations, lists the parameters' comments
(docments) when there are any, and links [source] to the exported module's file and line at settings.ini's git_url,
found in `deepscratch._modidx` (nbdev's index) and in the module's own text.

tools/docs.py installs it in each notebook's shell while it builds the site (`install()`); nothing else uses it, so
a notebook opened in Jupyter shows nbdev's own rendering.
"""

import ast
import functools
import importlib
import inspect
import os
import re
import textwrap
from pathlib import Path

from fastcore.docments import docments
from nbdev.showdoc import BasicMarkdownRenderer, _ext_link

MAXLINE = 90
# set by tools/docs.py: the module the notebook being processed exports, to prefer its names
MODULE_ENV = 'DEEPSCRATCH_DOCS_MODULE'


@functools.cache
def _modidx():
    from deepscratch._modidx import d
    return d


@functools.cache
def _lines(py):
    "{'name': line, 'Class.method': line} for the definitions in the package file `py` (e.g. deepscratch/graph.py)."
    import deepscratch
    path = Path(deepscratch.__file__).parent.parent / py
    out = {}
    for node in ast.parse(path.read_text(encoding='utf-8')).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out[node.name] = node.lineno
            if isinstance(node, ast.ClassDef):
                for sub in node.body:
                    if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                        out[f'{node.name}.{sub.name}'] = sub.lineno
    return out


def source(obj, name):
    "(file, line) of `name` (as the heading shows it: `placeholder`, `Session.run`) in the package, or None."
    syms = {k: v for mod in _modidx()['syms'].values() for k, v in mod.items()}
    here = os.environ.get(MODULE_ENV)
    own = getattr(obj, '__module__', '') or ''
    want = [f'{own}.{name}'] if own.startswith('deepscratch') else []
    if here: want.append(f'deepscratch.{here}.{name}')
    # a method attached to its class later (`@patch_method(Graph) def get_operation_by_name`) is indexed by its name
    last = name.rsplit('.', 1)[-1]
    if here and '.' in name: want.append(f'deepscratch.{here}.{last}')
    want += sorted(k for k in syms if k.endswith('.' + name))
    if '.' in name: want += sorted(k for k in syms if k.endswith('.' + last) and k.count('.') == 2)
    for key in want:
        if key in syms:
            py = syms[key][1]
            line = _lines(py).get(key.split('.', 2)[2]) or _lines(py).get(last)
            if line: return py, line
    return None


def source_url(obj, name):
    found = source(obj, name)
    if not found: return None
    s = _modidx()['settings']
    return f"{s['git_url'].rstrip('/')}/blob/{s['branch']}/{found[0]}#L{found[1]}"


def _plain(sig):
    "A signature without annotations, defaults as a reader would write them (functions by name)."
    params = []
    for p in sig.parameters.values():
        default = p.default
        if callable(default) and hasattr(default, '__name__') and not isinstance(default, type):
            default = _Named(default.__name__)
        params.append(p.replace(annotation=inspect.Parameter.empty, default=default))
    return sig.replace(parameters=params, return_annotation=inspect.Signature.empty)


class _Named:
    def __init__(self, name): self.name = name
    def __repr__(self): return self.name


def signature_text(obj, name):
    "`name(a, b=1)`, `class Name(a, b=1)`, wrapped under the opening parenthesis when longer than MAXLINE."
    prefix = 'class ' if inspect.isclass(obj) else ''
    try: sig = _plain(inspect.signature(obj))
    except (TypeError, ValueError): return prefix + name
    params = [str(p) for p in sig.parameters.values()]
    # a method under its class: `Session.run(fetches, ...)`, without self
    if '.' in name and params and params[0] in ('self', 'cls'): params = params[1:]
    one = f'{prefix}{name}({", ".join(params)})'
    if len(one) <= MAXLINE: return one
    indent = ' ' * (len(prefix) + len(name) + 1)
    return '\n'.join(textwrap.wrap(', '.join(params), MAXLINE - len(indent), initial_indent=f'{prefix}{name}(',
                                   subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)) + ')'


def _params_as_code(obj):
    """A function that writes the backticked parameter names of `obj` as HTML code, which nbdev does not link.

    nbdev links every backticked word that names an entry: in `placeholder`'s docstring "`shape`" would open the
    entry of the function `shape`, though it means the argument."""
    try: names = set(inspect.signature(obj).parameters) - {'self', 'cls'}
    except (TypeError, ValueError): names = set()
    if not names: return lambda text: text
    pattern = re.compile(r'`(' + '|'.join(map(re.escape, sorted(names))) + r')`')
    return lambda text: pattern.sub(r'<code>\1</code>', text)


class Renderer(BasicMarkdownRenderer):
    "show_doc's markdown with a TensorFlow-style signature, docments and a [source] link."

    def _repr_markdown_(self):
        doc = '---\n\n'
        src = source_url(self.sym, self.nm)
        if src: doc += _ext_link(src, 'source', 'style="float:right; font-size:smaller"') + '\n\n'
        doc += f"{'#' * self.title_level} {self.nm}\n\n"
        doc += f'```python\n{signature_text(self.sym, self.nm)}\n```\n'
        plain = _params_as_code(self.sym)
        if self.docs: doc += plain(f'\n*{self.docs.splitlines()[0]}*\n' + '\n'.join(self.docs.splitlines()[1:]))
        try: notes = {k: v for k, v in docments(self.sym).items() if v and k not in ('return', 'self')}
        except Exception: notes = {}
        if notes:
            doc += '\n\n| argument | |\n|:--|:--|\n' + ''.join(f'| <code>{k}</code> | {plain(v)} |\n' for k, v in notes.items())
        return doc

    def __repr__(self): return signature_text(self.sym, self.nm) + (f'\n{self.docs}' if self.docs else '')


def install():
    "Make show_doc use `Renderer` in this process (show_doc looks its default renderer up when called)."
    import nbdev.showdoc
    nbdev.showdoc.BasicMarkdownRenderer = Renderer
