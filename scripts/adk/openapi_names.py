#!/usr/bin/env python3
"""openapi_names.py — the tool names the ADK derives from OpenAPI operationIds.

Usage: ADK_SRC=../shared/adk/source python3 scripts/adk/openapi_names.py test/fixtures/adk/openapi-tool-names.json
Reads the fixture's `operationIds`, puts each into one operation of one OpenAPI document and runs
the ADK's own `create_openapi_json_tools_from_content` (what `orchestrate tools import -k openapi`
calls, tools_controller.import_openapi_tool); prints the fixture again with the names it made
(`[operationId, name]`, in input order). test/adk.spec.test.ts compares openapiToolName with it.
"""
import asyncio
import json
import sys
import types
import warnings

import adk_import  # noqa: F401  (sys.path and stand-ins first)

warnings.filterwarnings("ignore")


def main(path):
    with open(path, encoding="utf-8") as f:
        fixture = json.load(f)
    ids = [row[0] for row in fixture["names"]]
    import ibm_watsonx_orchestrate.agent_builder.tools.openapi_tool as ot
    # jsonref is a stand-in (adk_import): nothing to resolve in this document anyway.
    ot.jsonref = types.SimpleNamespace(replace_refs=lambda obj, **kw: obj, JsonRef=type("JsonRef", (), {}))
    doc = {
        "openapi": "3.0.0",
        "info": {"title": "names", "version": "1"},
        "paths": {f"/p{i}": {"get": {"operationId": op, "description": "d", "responses": {"200": {"description": "ok"}}}} for i, op in enumerate(ids)},
    }
    tools = asyncio.run(ot.create_openapi_json_tools_from_content(doc, None))
    fixture["names"] = [[op, t.__tool_spec__.name] for op, t in zip(ids, tools)]
    # One row a line; \u escapes keep invisible characters (zero width, combining marks) visible.
    rows = ",\n".join("    " + json.dumps(row) for row in fixture["names"])
    head = json.dumps({k: v for k, v in fixture.items() if k != "names"}, indent=2)[:-2]
    sys.stdout.write(f'{head},\n  "names": [\n{rows}\n  ]\n}}\n')


if __name__ == "__main__":
    main(sys.argv[1])
