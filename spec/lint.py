"""Checks for what the generator would silently get wrong: run before and after generating.

``lint_spec`` reads ``openapi.yaml`` (before generating); ``lint_generated`` reads the freshly
generated package (before it replaces ``generated/``). Each returns findings, one sentence each,
naming the operation or schema; ``scripts/generate.py`` refuses to write anything while there
are any.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch")
BINARY_MEDIA = ("video/", "image/", "audio/", "application/octet-stream")


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path} ({operation.get('operationId', 'no operationId')})", operation)
        for path, operations in spec.get("paths", {}).items()
        for method, operation in operations.items()
        if method in METHODS
    ]


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        resolved: dict[str, Any] = spec["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
        return resolved
    return node


def lint_spec(spec: dict[str, Any]) -> list[str]:
    """Findings in an OpenAPI document that the pinned generator turns into wrong code."""
    findings = []
    for name, operation in _operations(spec):
        if "operationId" not in operation:
            findings.append(
                f"{name}: no operationId; the generated function would be named by guess"
            )
        body = operation.get("requestBody")
        if body:
            findings += _body_findings(spec, name, body)
        for status, response in operation.get("responses", {}).items():
            media = list(response.get("content", {}))
            if "application/json" in media and any(m.startswith(BINARY_MEDIA) for m in media):
                findings.append(
                    f"{name}: the {status} answer lists application/json beside media types; the "
                    "generator parses the first it knows, and would call .json() on media"
                )
    titles = Counter(
        schema.get("title")
        for schema in spec.get("components", {}).get("schemas", {}).values()
        if isinstance(schema, dict) and schema.get("title")
    )
    for title, count in sorted(titles.items()):
        if count > 1:
            findings.append(
                f"schemas: {count} share the title {title!r}; the generator would number their "
                "classes (Title2, Title3) in an order nobody chose"
            )
    return findings


def _body_findings(spec: dict[str, Any], name: str, body: dict[str, Any]) -> list[str]:
    findings = []
    content = body.get("content", {})
    refs = [media.get("schema", {}).get("$ref") for media in content.values()]
    shared = {ref for ref in refs if ref and refs.count(ref) > 1}
    for ref in sorted(shared):
        findings.append(
            f"{name}: the request body offers {ref.rsplit('/', 1)[1]} under "
            f"{' and '.join(sorted(content))}; the generated code would set files and json "
            "at once (a multipart body sent as JSON)"
        )
    if body.get("required") is not True:
        findings.append(f"{name}: requestBody.required is not true; `body` would be optional")
    multipart = content.get("multipart/form-data", {}).get("schema")
    if multipart:
        for prop_name, prop in _resolve(spec, multipart).get("properties", {}).items():
            branches = prop.get("oneOf", []) + prop.get("anyOf", [])
            if any(_resolve(spec, b).get("type") == "object" for b in branches):
                findings.append(
                    f"{name}: multipart part {prop_name!r} may be an object, which the "
                    "generator sends as a JSON part no server is known to accept"
                )
    return findings


_CLASS = re.compile(r"^class (\w+)(?:\(([^)]*)\))?:", re.M)


def lint_generated(
    package: Path, class_overrides: dict[str, dict[str, str]], mixins: dict[str, str]
) -> list[str]:
    """Findings in a generated package: configured names that match nothing.

    Args:
        package: The generated package directory.
        class_overrides: ``generator-config.yaml``'s ``class_overrides`` (the generator ignores
            an entry that matches no class, silently).
        mixins: Class name -> overlay mixin, from ``templates/model.py.jinja``'s
            ``OVERLAY_MIXINS`` (a renamed class silently loses its behaviour).
    """
    classes: dict[str, str] = {}
    for path in sorted((package / "models").glob("*.py")):
        for match in _CLASS.finditer(path.read_text(encoding="utf-8")):
            classes[match.group(1)] = match.group(2) or ""
    findings = []
    for generated_name, override in class_overrides.items():
        wanted = override.get("class_name", generated_name)
        if wanted not in classes:
            findings.append(
                f"generator-config.yaml: class_overrides[{generated_name!r}] matches no generated "
                f"class, so {wanted} does not exist (upstream renamed or retitled the schema?)"
            )
    for class_name, mixin in mixins.items():
        if class_name not in classes:
            findings.append(
                f"templates/model.py.jinja: OVERLAY_MIXINS names {class_name}, which was not "
                f"generated; its {mixin} behaviour would be lost"
            )
        elif mixin not in classes[class_name]:
            findings.append(f"models: {class_name} does not inherit {mixin}")
    return findings


def overlay_mixins(template: Path) -> dict[str, str]:
    """``OVERLAY_MIXINS`` as written in the model template."""
    block = template.read_text(encoding="utf-8").split("{% set OVERLAY_MIXINS = {", 1)[1]
    block = block.split("} %}", 1)[0]
    return dict(re.findall(r'"(\w+)":\s*"(\w+)"', block))
