"""Print the architecture figures issue 10 asks for, measured on the working tree.

Usage: ``.venv/bin/python scripts/architecture_figures.py [--no-mypy]``

- container properties typed ``Any`` (go-to-definition stops there);
- private reaches: ``x._name`` where ``x`` is not ``self``/``cls`` (chalicelib, app.py, devstack,
  tests, bench), listed;
- services and agent modules importing an adapter (aws/, repositories/, offline/, devstack);
- the Milvus -> pgvector thought experiment: files outside the Milvus adapter package and the
  wiring (providers, settings, devstack) that name Milvus or import its adapter;
- mypy errors on chalicelib and app.py.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SCANNED = ("chalicelib", "devstack", "tests", "bench", "scripts")
_ADAPTERS = ("chalicelib.aws", "chalicelib.repositories", "chalicelib.offline", "devstack")
_MILVUS_WORDS = re.compile(r"milvus|pymilvus|VectorRow|vector_filter", re.IGNORECASE)
_MILVUS_HOME = (
    "chalicelib/repositories/milvus/",
    "chalicelib/providers.py",
    "chalicelib/settings.py",
)


def _files() -> list[Path]:
    found = [ROOT / "app.py"]
    for top in _SCANNED:
        found += sorted(p for p in (ROOT / top).rglob("*.py") if "__pycache__" not in p.parts)
    return found


def _any_properties() -> list[str]:
    tree = ast.parse((ROOT / "chalicelib" / "providers.py").read_text())
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.returns is not None:
            cached = any("cached_property" in ast.unparse(d) for d in node.decorator_list)
            if cached and ast.unparse(node.returns) == "Any":
                names.append(node.name)
    return names


def _private_reaches() -> list[str]:
    reaches = []
    for path in _files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            name = node.attr
            if not name.startswith("_") or name.startswith("__"):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            rel = path.relative_to(ROOT)
            reaches.append(f"{rel}:{node.lineno}: {ast.unparse(node)}")
    return reaches


def _adapter_imports() -> list[str]:
    hits = []
    for top in ("services", "agent"):
        for path in sorted((ROOT / "chalicelib" / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                if module and module.startswith(_ADAPTERS):
                    hits.append(f"{path.relative_to(ROOT)}:{node.lineno}: {module}")
    return hits


def _milvus_files() -> list[str]:
    hits = []
    candidates = _files() + sorted((ROOT / "chalicelib" / "migrations").glob("*.sql"))
    for path in candidates:
        rel = str(path.relative_to(ROOT))
        if rel.startswith(_MILVUS_HOME) or rel.startswith(("devstack/", "scripts/")):
            continue
        if _MILVUS_WORDS.search(path.read_text()):
            hits.append(rel)
    return hits


def _mypy_errors() -> str:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "chalicelib", "app.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    last = (run.stdout.strip().splitlines() or ["(no output)"])[-1]
    return last


def main() -> int:
    """Print each figure, then the lists behind them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-mypy", action="store_true", help="skip the mypy run (slow)")
    parser.add_argument("--list", action="store_true", help="list each reach and import")
    args = parser.parse_args()
    anys, reaches, imports = _any_properties(), _private_reaches(), _adapter_imports()
    milvus = _milvus_files()
    print(f"container properties typed Any   {len(anys)}")
    print(f"private reaches across modules   {len(reaches)}")
    print(f"service/agent imports of adapters {len(imports)}")
    print(f"files naming Milvus outside its adapter and wiring  {len(milvus)}")
    if not args.no_mypy:
        print(f"mypy (chalicelib, app.py)        {_mypy_errors()}")
    if args.list:
        for title, items in (
            ("Any properties", anys),
            ("private reaches", reaches),
            ("adapter imports", imports),
            ("Milvus outside its adapter", milvus),
        ):
            print(f"\n{title}:")
            for item in items:
                print(f"  {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
