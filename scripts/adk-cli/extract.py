#!/usr/bin/env python3
"""The CLI oracle: the command surface of the ADK's `orchestrate` CLI, read statically from its typer source.

    ADK_SRC=../shared/adk/source python3 scripts/adk-cli/extract.py > scripts/adk-cli/surface.json

Nothing of the ADK is imported or run (its dependencies are not installed here): the `*_command.py`
modules under src/ibm_watsonx_orchestrate/cli/commands/ and cli/main.py are parsed with `ast`.
For every command (`env add`, `models policy import` …) it records the options (long and short
flags, required or not, flag or value, repeatable, the allowed values of enum types, hidden), the
positional arguments, and every prompt the command can reach (input, getpass, typer.confirm /
prompt, rich Prompt.ask, the ADK's own prompt helpers) with the conditions around it and the options
those conditions read — the options that avoid the prompt. The stand-in `orchestrate`
(examples/orchestrate-stand-in.cjs) and the argv test (test/adk.cli.test.ts) read the JSON.
"""
import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ADK_SRC = Path(os.environ.get("ADK_SRC", Path(__file__).resolve().parents[3] / "shared" / "adk" / "source"))
PKG = ADK_SRC / "src" / "ibm_watsonx_orchestrate"
CLI = PKG / "cli"

PROMPT_CALLS = {"input", "getpass.getpass", "typer.confirm", "typer.prompt", "Prompt.ask", "Confirm.ask", "getpass"}
MAX_DEPTH = 4


def rel(path: Path) -> str:
    return str(path.relative_to(ADK_SRC))


def dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


class Module:
    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        parts = list(path.with_suffix("").parts)
        start = next(i for i, part in enumerate(parts) if part.startswith("ibm_watsonx_orchestrate"))
        self.name = ".".join(p for p in parts[start:] if p != "__init__")
        self.imports = {}  # local name -> (module, name)
        self.star = []  # modules of `from x import *`
        package = self.name if path.name == "__init__.py" else self.name.rpartition(".")[0]
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and (node.module or node.level):
                source = node.module or ""
                if node.level:  # relative: from .x import y
                    base = package
                    for _ in range(node.level - 1):
                        base = base.rpartition(".")[0]
                    source = f"{base}.{source}" if source else base
                if any(a.name == "*" for a in node.names):
                    self.star.append(source)
                    continue
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (source, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports[alias.asname or alias.name.split(".")[0]] = (alias.name, None)
        self.functions = {}  # name -> FunctionDef (module level and methods)
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(node.name, node)
        self.classes = {n.name: n for n in ast.walk(self.tree) if isinstance(n, ast.ClassDef)}


_modules = {}


def module_file(modname: str):
    base = ADK_SRC / "src" / Path(*modname.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    # packages/ (core types) live beside src/
    for root in [*(ADK_SRC / "packages").glob("*"), *(ADK_SRC / "packages").glob("*/src")]:
        b = root / Path(*modname.split("."))
        for candidate in (b.with_suffix(".py"), b / "__init__.py"):
            if candidate.exists():
                return candidate
    return None


def load(path: Path) -> Module:
    key = str(path)
    if key not in _modules:
        _modules[key] = Module(path)
    return _modules[key]


def load_name(modname: str):
    f = module_file(modname)
    return load(f) if f else None


# ---- enums: the values typer accepts for an option typed with an Enum -----------------------------


def enum_members(module: Module, class_name: str):
    cls = module.classes.get(class_name)
    out = {}
    for stmt in cls.body if cls else []:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            for t in stmt.targets:
                if isinstance(t, ast.Name):
                    out[t.id] = stmt.value.value
    return out


def enum_values(module: Module, type_name: str, depth: int = 0):
    if depth > 3:
        return None
    if type_name in module.classes:
        cls = module.classes[type_name]
        if not any(dotted(b).endswith("Enum") or dotted(b) in ("str",) for b in cls.bases):
            return None
        values = []
        for stmt in cls.body:
            if not isinstance(stmt, ast.Assign):
                continue
            if isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                values.append(stmt.value.value)
            elif isinstance(stmt.value, ast.Attribute) and stmt.value.attr == "value":  # Other.member.value
                ref = dotted(stmt.value.value).split(".")
                other = enum_members(module, ref[0]) if len(ref) == 2 else {}
                if ref[-1] in other:
                    values.append(other[ref[-1]])
        return values or None
    if type_name in module.imports:
        modname, name = module.imports[type_name]
        target = load_name(modname)
        if target and name:
            return enum_values(target, name, depth + 1)
    for modname in module.star:
        target = load_name(modname)
        if target:
            found = enum_values(target, type_name, depth + 1)
            if found:
                return found
    return None


# ---- typer apps and commands ------------------------------------------------------------------------


def typer_apps(module: Module):
    """Module-level `x = typer.Typer(...)` names."""
    out = set()
    for node in module.tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and dotted(node.value.func) in ("typer.Typer", "Typer"):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    out.add(t.id)
    return out


def app_key(module: Module, name: str):
    """Where the Typer object named `name` in `module` is defined: (module name, variable)."""
    if name in typer_apps(module):
        return (module.name, name)
    if name in module.imports:
        modname, orig = module.imports[name]
        return (modname, orig)
    return (module.name, name)


def kw(call: ast.Call, name: str):
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


def const(node):
    return node.value if isinstance(node, ast.Constant) else None


def unwrap_type(annotation):
    """(base type text, is_list, enum/type name) of a parameter annotation."""
    node = annotation
    is_list = False
    while True:
        if isinstance(node, ast.Subscript):
            head = dotted(node.value)
            if head in ("Optional", "typing.Optional"):
                node = node.slice
                continue
            if head in ("List", "list", "typing.List"):
                is_list = True
                node = node.slice
                continue
            if head in ("Union", "typing.Union") and isinstance(node.slice, ast.Tuple):
                node = node.slice.elts[0]
                continue
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # X | None
            node = node.left
            continue
        break
    return dotted(node) or (const(node) if isinstance(node, ast.Constant) else ""), is_list


def parameters(module: Module, fn):
    options, arguments = [], []
    args = fn.args.args
    defaults = [None] * (len(args) - len(fn.args.defaults)) + list(fn.args.defaults)
    for arg, default in zip(args, defaults):
        annotation = arg.annotation
        info = None
        type_node = annotation
        if isinstance(annotation, ast.Subscript) and dotted(annotation.value) in ("Annotated", "typing.Annotated", "typing_extensions.Annotated"):
            elts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            type_node = elts[0]
            for meta in elts[1:]:
                if isinstance(meta, ast.Call) and dotted(meta.func) in ("typer.Option", "typer.Argument", "Option", "Argument"):
                    info = meta
        if info is None and isinstance(default, ast.Call) and dotted(default.func) in ("typer.Option", "typer.Argument", "Option", "Argument"):
            info = default
            # old style: typer.Option(<default>, "--flag", ...): the first positional is the default
            default_value = info.args[0] if info.args else kw(info, "default")
            default = default_value
            decl_args = info.args[1:]
        else:
            decl_args = info.args if info is not None else []
            if info is not None and kw(info, "default") is not None:
                default = kw(info, "default")
        if arg.arg in ("ctx", "self") or (annotation is not None and dotted(annotation) in ("typer.Context", "Context")):
            continue
        base, is_list = unwrap_type(type_node) if type_node is not None else ("str", False)
        required = default is None or (isinstance(default, ast.Constant) and default.value is Ellipsis)
        # Annotated style without a default: required. `= None` default: optional.
        if info is not None and info.args and dotted(info.func).endswith("Option") and isinstance(info.args[0], ast.Constant) and info.args[0].value is Ellipsis:
            required = True
        hidden = const(kw(info, "hidden")) if info is not None else None
        kind = "argument" if info is not None and dotted(info.func).endswith("Argument") else ("option" if info is not None else "argument")
        choices = enum_values(module, base.split(".")[-1]) if base not in ("str", "int", "float", "bool", "Path") else None
        record = {"name": arg.arg, "type": "bool" if base == "bool" else ("int" if base == "int" else ("float" if base == "float" else "str")), "required": bool(required)}
        if is_list:
            record["multiple"] = True
        if choices:
            record["choices"] = choices
        if hidden:
            record["hidden"] = True
        if info is not None and const(kw(info, "exists")) is True:
            record["mustExist"] = True  # typer checks the path before the command runs (exit 2)
        if kind == "argument":
            arguments.append(record)
            continue
        flags, off = [], []
        for d in decl_args:
            text = const(d)
            if not isinstance(text, str):
                continue
            for part in text.split("/"):
                part = part.strip()
                if not part:
                    continue
                (off if "/" in text and part != text.split("/")[0].strip() else flags).append(part)
        if not flags:
            flags = ["--" + arg.arg.replace("_", "-")]
            if base == "bool" and not off:
                off = ["--no-" + arg.arg.replace("_", "-")]
        record["flags"] = flags
        if off:
            record["offFlags"] = off
        if record["type"] == "bool":
            record["required"] = False  # a flag always has its default
        options.append(record)
    return options, arguments


def commands_of(module: Module):
    """[(app var, command name, function node, hidden)] of a module's @app.command decorators."""
    out = []
    for node in module.tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for deco in node.decorator_list:
            if isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr == "command":
                app = dotted(deco.func.value)
                name = const(kw(deco, "name")) or (const(deco.args[0]) if deco.args else None) or node.name.replace("_", "-")
                out.append((app, name, node, bool(const(kw(deco, "hidden")))))
    return out


def sub_apps(module: Module):
    """[(parent var, child var, name)] of `parent.add_typer(child, name=...)`."""
    out = []
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add_typer" and node.args:
            out.append((dotted(node.func.value), dotted(node.args[0]), const(kw(node, "name"))))
    return out


# ---- prompts: where a command can stop and read stdin ---------------------------------------------------


def enclosing_guards(fn, target):
    """The `if` tests (as source, negated in an else branch) around `target` inside `fn`."""
    guards = []

    def visit(node, stack):
        if node is target:
            guards.extend(stack)
            return True
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            for child in node.body:
                if visit(child, stack + [test]):
                    return True
            for child in node.orelse:
                if visit(child, stack + [f"not ({test})"]):
                    return True
            return False
        for child in ast.iter_child_nodes(node):
            if visit(child, stack):
                return True
        return False

    visit(fn, [])
    return guards


def callee_names(fn):
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            yield node, dotted(node.func)


def resolve_function(module: Module, name: str):
    """A called name to (module, FunctionDef): own functions and methods (bare or `self.x`),
    imported functions and modules, and methods of the CLI's controller classes this module imports
    (`controller = XController(); controller.x()`). A method of any other local value
    (`some_list.remove()`) is not followed."""
    last = name.split(".")[-1]
    head = name.split(".")[0]
    if "." not in name or head == "self":
        if last in module.functions:
            return module, module.functions[last]
        if name in module.imports:
            modname, orig = module.imports[name]
            target = load_name(modname)
            if target and orig in target.functions:
                return target, target.functions[orig]
        return None
    if head in module.imports:
        modname, orig = module.imports[head]
        target = (load_name(f"{modname}.{orig}") if orig else None) or load_name(modname)
        if target and last in target.functions:
            return target, target.functions[last]
        if target and orig in target.classes and last in target.functions:  # Class.method
            return target, target.functions[last]
        return None
    for local, (modname, orig) in module.imports.items():
        if not modname.startswith("ibm_watsonx_orchestrate.cli") or not orig or not orig.endswith("Controller"):
            continue
        target = load_name(modname)
        if target and orig in target.classes and last in target.functions:
            return target, target.functions[last]
    return None


def find_prompts(module: Module, fn, depth=0, seen=None, chain=(), aliases=None):
    """Prompt calls reachable from `fn`, with the `if` conditions on the way. `aliases` maps the
    callee's parameter names back to the command's (`Controller(safe_mode=safe)`, `f(apikey=apikey)`)."""
    seen = seen if seen is not None else set()
    aliases = dict(aliases or {})
    key = (module.name, fn.name, fn.lineno)
    if key in seen or depth > MAX_DEPTH:
        return []
    seen.add(key)
    for call, _ in callee_names(fn):
        for k in call.keywords:
            value = dotted(k.value).split(".")[-1] if dotted(k.value) else None
            if k.arg and value:
                aliases.setdefault(k.arg, aliases.get(value, value))
    found = []
    for call, name in callee_names(fn):
        if name in PROMPT_CALLS or name.endswith("getpass.getpass"):
            found.append({
                "site": f"{rel(module.path)}:{call.lineno}",
                "call": name,
                "guards": list(chain) + enclosing_guards(fn, call),
                "aliases": aliases,
            })
            continue
        if not name or name.startswith(("logger.", "typer.echo", "print", "rich.", "console.")):
            continue
        resolved = resolve_function(module, name)
        if not resolved:
            continue
        target_module, target_fn = resolved
        if target_module.name.split(".")[1:2] != ["cli"]:
            continue  # prompts live in the CLI package; clients and builders do not prompt
        guards = enclosing_guards(fn, call)
        found.extend(find_prompts(target_module, target_fn, depth + 1, seen, tuple(chain) + tuple(guards), aliases))
    return found


def classify(prompt, options):
    """Which options a prompt's conditions read: `not x` / `x is None` — giving the option avoids the
    prompt (avoidedBy); a bare `x` — the prompt needs the option (onlyWith)."""
    by_name = {o["name"]: o["flags"][0] for o in options}
    aliases = prompt.pop("aliases")
    avoided, only = [], []

    def flag(name):
        return by_name.get(name) or by_name.get(aliases.get(name, ""))

    for guard in prompt["guards"]:
        tree = ast.parse(guard, mode="eval").body
        negative = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and isinstance(node.operand, (ast.Name, ast.Attribute)):
                negative.add(id(node.operand))
            if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Is) and isinstance(node.left, (ast.Name, ast.Attribute)):
                negative.add(id(node.left))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Name, ast.Attribute)) and not (isinstance(node, ast.Name) and node.id == "self"):
                name = node.attr if isinstance(node, ast.Attribute) else node.id
                f = flag(name)
                if not f:
                    continue
                (avoided if id(node) in negative else only).append(f)
    if avoided:
        prompt["avoidedBy"] = sorted(set(avoided))
    if only:
        prompt["onlyWith"] = sorted(set(only) - set(avoided))


# ---- walk the app tree ------------------------------------------------------------------------------------


def main():
    if not CLI.exists():
        sys.exit(f"no ADK source at {ADK_SRC} (set ADK_SRC)")
    files = [CLI / "main.py"] + sorted((CLI / "commands").rglob("*_command.py"))
    modules = [load(f) for f in files]
    children = {}  # app key -> [(child key, name)]
    commands = {}  # app key -> [(name, module, fn, hidden)]
    for m in modules:
        for parent, child, name in sub_apps(m):
            children.setdefault(app_key(m, parent), []).append((app_key(m, child), name))
        for app, name, fn, hidden in commands_of(m):
            commands.setdefault(app_key(m, app), []).append((name, m, fn, hidden))

    main_key = ("ibm_watsonx_orchestrate.cli.main", "app")
    surface = {}
    groups = []

    def walk(key, path):
        for name, m, fn, hidden in commands.get(key, []):
            options, arguments = parameters(m, fn)
            full = " ".join(path + [name])
            record = {"source": f"{rel(m.path)}:{fn.lineno}", "options": options, "arguments": arguments}
            if hidden:
                record["hidden"] = True
            prompts = find_prompts(m, fn)
            for p in prompts:
                classify(p, options)
            if prompts:
                record["prompts"] = prompts
            surface[full] = record
        for child, name in children.get(key, []):
            if name is None:  # add_typer without a name merges the child's commands into the parent
                walk(child, path)
            else:
                groups.append(" ".join(path + [name]))
                walk(child, path + [name])

    walk(main_key, [])
    version = None
    pyproject = ADK_SRC / "pyproject.toml"
    if pyproject.exists():
        m = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text(), re.M)
        version = m.group(1) if m else None
    if not version:
        init = PKG / "__init__.py"
        m = re.search(r'__version__\s*=\s*["\']([^"\']+)', init.read_text()) if init.exists() else None
        version = m.group(1) if m else None
    out = {
        "comment": "Generated by scripts/adk-cli/extract.py from the ADK's typer source; do not edit by hand.",
        "adkVersion": version,
        "globalOptions": [{"flags": ["--debug"], "type": "bool"}, {"flags": ["--version"], "type": "bool"}, {"flags": ["--help"], "type": "bool"}],
        "groups": sorted(groups),
        "commands": dict(sorted(surface.items())),
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
