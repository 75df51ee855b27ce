"""A small renderer for the Go-template subset deploy/helm/firebreak uses (test-only).

No helm binary can be installed on the machines that run the tests (no registry for it, and no
pip package ships it), so tests render the chart with this: it understands ``{{ }}`` actions
with ``{{-``/``-}}`` trimming, ``if``/``else if``/``else``, ``range $k, $v := …``, ``define`` /
``include``, ``$`` and ``.`` scopes, variables, pipelines, and the functions the chart calls
(quote, default, toYaml, nindent, indent, b64enc, not, and, or, eq, ne, printf, required,
trunc, trimSuffix, int, toString, list, contains). Anything else raises ``TemplateError`` — so the chart
stays inside what is checked here. The real ``helm template`` should agree; run it where helm is.
"""

from __future__ import annotations

import base64
import re
import shlex
from pathlib import Path

import yaml

_ACTION = re.compile(r"\{\{(-?)\s*(.*?)\s*(-?)\}\}", re.DOTALL)


class TemplateError(Exception):
    pass


# --- parsing ---------------------------------------------------------------------------------


def _tokenize(source: str) -> list[tuple[str, str]]:
    """[("text", …) | ("action", …)] with the trim markers applied to neighbouring text."""
    tokens: list[tuple[str, str]] = []
    position = 0
    trim_next = False
    for match in _ACTION.finditer(source):
        text = source[position : match.start()]
        if trim_next:
            text = text.lstrip()
        if match.group(1):
            text = text.rstrip()
        tokens.append(("text", text))
        body = match.group(2)
        if not body.startswith("/*"):
            tokens.append(("action", body))
        trim_next = bool(match.group(3))
        position = match.end()
    text = source[position:]
    tokens.append(("text", text.lstrip() if trim_next else text))
    return tokens


def _parse(tokens, index=0, closers=("end",)):
    """Nodes until a closer; returns (nodes, index of the closer, closer text)."""
    nodes: list = []
    while index < len(tokens):
        kind, value = tokens[index]
        if kind == "text":
            nodes.append(("text", value))
            index += 1
            continue
        word = value.split(None, 1)[0] if value else ""
        if word in closers or (word == "else" and "else" in closers):
            return nodes, index, value
        if word == "if":
            node, index = _parse_if(tokens, index)
            nodes.append(node)
        elif word == "range":
            body, index, _ = _parse(tokens, index + 1, ("end",))
            nodes.append(("range", value[len("range") :].strip(), body))
            index += 1
        elif word == "define":
            body, index, _ = _parse(tokens, index + 1, ("end",))
            nodes.append(("define", shlex.split(value)[1], body))
            index += 1
        elif word in ("with", "block", "template", "tpl"):
            raise TemplateError(f"unsupported action: {value}")
        else:
            nodes.append(("action", value))
            index += 1
    if closers != ("<eof>",):
        raise TemplateError(f"missing {{{{ end }}}} for {closers}")
    return nodes, index, ""


def _parse_if(tokens, index):
    branches = []
    condition = tokens[index][1][len("if") :].strip()
    index += 1
    while True:
        body, index, closer = _parse(tokens, index, ("end", "else"))
        branches.append((condition, body))
        if closer == "end":
            return ("if", branches), index + 1
        rest = closer[len("else") :].strip()
        condition = rest[3:].strip() if rest.startswith("if ") else None
        index += 1
        if condition is None:
            body, index, closer = _parse(tokens, index, ("end",))
            branches.append((None, body))
            return ("if", branches), index + 1


# --- evaluation --------------------------------------------------------------------------------


def _to_yaml(value) -> str:
    if value in (None, {}, []):
        return "{}" if isinstance(value, dict) else ("[]" if isinstance(value, list) else "")
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=False).rstrip("\n")


def _truthy(value) -> bool:
    return bool(value) and value not in (0, "0")


class Renderer:
    def __init__(self, chart_dir: Path):
        self.chart_dir = chart_dir
        self.defines: dict[str, list] = {}

    def render(self, values: dict, release: str = "firebreak", namespace: str = "default"):
        chart = yaml.safe_load((self.chart_dir / "Chart.yaml").read_text())
        root = {
            "Values": values,
            "Release": {"Name": release, "Namespace": namespace, "Service": "Helm"},
            "Chart": {
                "Name": chart["name"],
                "Version": chart["version"],
                "AppVersion": chart.get("appVersion", ""),
            },
        }
        parsed = {}
        for path in sorted((self.chart_dir / "templates").iterdir()):
            nodes, _, _ = _parse(_tokenize(path.read_text()), 0, ("<eof>",))
            parsed[path.name] = nodes
            for node in nodes:
                if node[0] == "define":
                    self.defines[node[1]] = node[2]
        output = {}
        for name, nodes in parsed.items():
            if name.startswith("_") or not name.endswith((".yaml", ".yml")):
                continue
            output[name] = self._run(nodes, root, {"$": root})
        return output

    def _run(self, nodes, dot, variables) -> str:
        parts = []
        for node in nodes:
            kind = node[0]
            if kind == "text":
                parts.append(node[1])
            elif kind == "define":
                continue
            elif kind == "action":
                value = self._pipeline(node[1], dot, variables)
                if node[1].lstrip().startswith("$") and ":=" in node[1]:
                    continue
                parts.append("" if value is None else str(value))
            elif kind == "if":
                for condition, body in node[1]:
                    if condition is None or _truthy(self._pipeline(condition, dot, variables)):
                        parts.append(self._run(body, dot, variables))
                        break
            elif kind == "range":
                parts.append(self._range(node[1], node[2], dot, variables))
        return "".join(parts)

    def _range(self, header, body, dot, variables) -> str:
        names: list[str] = []
        if ":=" in header:
            left, header = header.split(":=", 1)
            names = [name.strip() for name in left.split(",")]
        collection = self._pipeline(header.strip(), dot, variables)
        items = (
            sorted(collection.items())
            if isinstance(collection, dict)
            else list(enumerate(collection or []))
        )
        out = []
        for key, value in items:
            scope = dict(variables)
            if len(names) == 2:
                scope[names[0]], scope[names[1]] = key, value
            elif len(names) == 1:
                scope[names[0]] = value
            out.append(self._run(body, value, scope))
        return "".join(out)

    def _pipeline(self, text, dot, variables):
        if text.startswith("$") and ":=" in text:
            name, expression = (part.strip() for part in text.split(":=", 1))
            variables[name] = self._pipeline(expression, dot, variables)
            return None
        value = None
        for index, command in enumerate(_split_pipes(text)):
            words = _words(command)
            args = [self._operand(word, dot, variables) for word in words[1:]]
            if index == 0 and len(words) == 1 and not _is_function(words[0]):
                value = self._operand(words[0], dot, variables)
                continue
            if index > 0:
                args.append(value)
            value = self._call(words[0], args, dot, variables)
        return value

    def _operand(self, word, dot, variables):
        if word.startswith("(") and word.endswith(")"):
            return self._pipeline(word[1:-1], dot, variables)
        if word.startswith('"'):
            return bytes(word[1:-1], "utf-8").decode("unicode_escape")
        if re.fullmatch(r"-?\d+", word):
            return int(word)
        if word in ("true", "false"):
            return word == "true"
        if word == "nil":
            return None
        if word == ".":
            return dot
        if word.startswith("$"):
            head, _, rest = word.partition(".")
            if head not in variables:
                raise TemplateError(f"undefined variable {head}")
            return _lookup(variables[head], rest)
        if word.startswith("."):
            return _lookup(dot, word[1:])
        if _is_function(word):
            return self._call(word, [], dot, variables)
        raise TemplateError(f"cannot evaluate {word!r}")

    def _call(self, name, args, dot, variables):
        if name == "include":
            template, context = args
            if template not in self.defines:
                raise TemplateError(f"no template {template!r}")
            return self._run(self.defines[template], context, {"$": variables["$"]})
        function = FUNCTIONS.get(name)
        if function is None:
            raise TemplateError(f"unsupported function {name!r}")
        return function(*args)


def _required(message, value):
    if value in (None, ""):
        raise TemplateError(message)
    return value


FUNCTIONS = {
    "quote": lambda value: '"' + ("" if value is None else str(value)).replace('"', '\\"') + '"',
    "default": lambda fallback, value=None: value if _truthy(value) else fallback,
    "toYaml": _to_yaml,
    "nindent": lambda n, text: (
        "\n" + "\n".join(" " * n + line if line else line for line in str(text).split("\n"))
    ),
    "indent": lambda n, text: "\n".join(
        " " * n + line if line else line for line in str(text).split("\n")
    ),
    "b64enc": lambda text: base64.b64encode(str(text).encode()).decode(),
    "not": lambda value: not _truthy(value),
    "and": lambda *values: all(_truthy(v) for v in values),
    "or": lambda *values: next((v for v in values if _truthy(v)), values[-1] if values else None),
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "printf": lambda fmt, *args: re.sub(r"%[sdv]", "{}", fmt).format(*args),
    "required": _required,
    "trunc": lambda n, text: str(text)[:n],
    "trimSuffix": lambda suffix, text: str(text).removesuffix(suffix),
    "int": lambda value: int(value),
    "toString": lambda value: str(value),
    "list": lambda *values: list(values),
    "contains": lambda part, text: str(part) in str(text),
}


def _is_function(word: str) -> bool:
    return word in FUNCTIONS or word == "include"


def _lookup(value, path: str):
    for part in [p for p in path.split(".") if p]:
        if isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def _split_pipes(text: str) -> list[str]:
    parts, depth, quoted, current = [], 0, False, []
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
        if char == "|" and not quoted and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def _words(command: str) -> list[str]:
    words, depth, quoted, current = [], 0, False, []
    for char in command:
        if char == '"' and (not current or current[-1] != "\\"):
            quoted = not quoted
        if not quoted and char == "(":
            depth += 1
        if not quoted and char == ")":
            depth -= 1
        if char.isspace() and not quoted and depth == 0:
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


def render_chart(chart_dir: Path, values: dict, **release) -> list[dict]:
    """All Kubernetes documents the chart renders for ``values`` (already merged with defaults)."""
    documents = []
    for text in Renderer(chart_dir).render(values, **release).values():
        for document in yaml.safe_load_all(text):
            if document:
                documents.append(document)
    return documents


def merged(base: dict, override: dict) -> dict:
    """Helm's values merge: maps merge recursively, anything else replaces."""
    result = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result
