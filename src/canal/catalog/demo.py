"""Demo catalogs: the five catalog files in `catalog/demo/`, one per source document (DESIGN.md)."""

from pathlib import Path

from canal.catalog.services import import_catalog

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# R1 to R5, in the order of the source documents.
FILES = ["tareo.yaml", "redwall.yaml", "clientia.yaml", "alpenhost.yaml", "flowdesk.yaml"]


def load() -> None:
    for name in FILES:
        path = DEMO_DIR / name
        import_catalog(actor=None, text=path.read_text(encoding="utf-8"), source=f"catalog/demo/{name}")
