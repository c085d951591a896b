"""The docs' table of server families (``_capabilities.CAPABILITIES``), each fact with its
public source, or a check that the page still shows exactly that.

Usage::

    python scripts/capabilities_table.py           # print the tables
    python scripts/capabilities_table.py --write   # put them into docs/servers.md, between markers
    python scripts/capabilities_table.py --check   # exit 1 if docs/servers.md shows others
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "servers.md"  # the page that shows the table
START, END = "<!-- capabilities:start -->", "<!-- capabilities:end -->"


def render() -> str:
    """A row per family, then its sources."""
    sys.path.insert(0, str(ROOT / "overlays"))
    sys.path.insert(0, str(ROOT / "generated"))
    from openai_videos._capabilities import CAPABILITIES

    head = ["family (`capabilities=`)", "encodings", "reference image", "image limits",
            "sizes", "seconds", "seed / negative prompt / audio"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    notes = []
    for family in CAPABILITIES.values():
        data = family.to_json()
        image = data["image"]
        limits = [f"{image['max_bytes'] // 2**20} MB" if image["max_bytes"] else "",
                  f"{image['max_data_uri_bytes'] // 2**20} MB inline"
                  if image["max_data_uri_bytes"] else "",
                  f"<= {image['max_side']} px" if image["max_side"] else "",
                  "must equal `size`" if image["exact_size"] else ""]  # fmt: skip
        extras = [data["extras"].get(name, "-") for name in ("seed", "negative_prompt", "audio")]
        row = [
            f"{family.description} (`{family.name}`)",
            ", ".join(data["encodings"]),
            ", ".join(f"`{t}`" for t in data["image_transports"]) or "none",
            ", ".join(part for part in limits if part) or "-",
            ", ".join(data["sizes"]) if data["sizes"] else "any",
            ", ".join(str(d) for d in data["durations"]) if data["durations"] else "any",
            " / ".join(f"`{e}`" if e != "-" else e for e in extras),
        ]
        lines.append("| " + " | ".join(row) + " |")
        sources = "; ".join(f"{fact}: {source}" for fact, source in family.sources.items())
        notes.append(f"- `{family.name}`: {sources}.")
    return "\n".join(lines) + "\n\nSources:\n\n" + "\n".join(notes)


def readme_section(text: str) -> str:
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--check", action="store_true")
    options = parser.parse_args()
    table = render()
    text = PAGE.read_text(encoding="utf-8")
    if options.check:
        raise SystemExit(0 if readme_section(text) == table else 1)
    if options.write:
        head, rest = text.split(START, 1)
        PAGE.write_text(f"{head}{START}\n{table}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")
        print("wrote the tables into docs/servers.md")
        return
    print(table)


if __name__ == "__main__":
    main()
